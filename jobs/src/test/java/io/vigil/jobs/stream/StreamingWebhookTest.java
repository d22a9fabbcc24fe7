package io.vigil.jobs.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.connectors.webhook.WebhookReceiver;
import io.vigil.connectors.webhook.WebhookReceiver.Received;
import io.vigil.connectors.webhook.WebhookReceiver.Reply;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.model.EcsJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.elasticsearch.client.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts of the streaming job reach responders over signed webhooks, on the real broker, node and
 * a real HTTP server on loopback: retried until accepted with one idempotency key, every attempt in
 * {@code vigil-deliveries-*}, a refused delivery in the dead-letter topic, and a delivery still
 * being retried when the job stops is delivered after it resumes from its checkpoint.
 */
class StreamingWebhookTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** The jobs module's tests get this secret in VIGIL_TEST_WEBHOOK_SECRET (pom.xml). */
    private static final String SECRET = "test-webhook-secret";
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final StreamingJobTest helper = new StreamingJobTest();
    private final List<WebhookReceiver> receivers = new ArrayList<>();

    @BeforeAll
    static void services() {
        StreamingJobTest.services();
    }

    @AfterEach
    void stop() {
        receivers.forEach(WebhookReceiver::close);
    }

    private WebhookReceiver receiver() throws Exception {
        WebhookReceiver r = WebhookReceiver.start(SECRET);
        receivers.add(r);
        return r;
    }

    private static void endpoint(Map<String, String> m, String name, String url, String... more) {
        String p = "webhooks.endpoints." + name + ".";
        m.put(p + "url", url);
        m.put(p + "secret-env", "VIGIL_TEST_WEBHOOK_SECRET");
        m.put(p + "initial-backoff", "100ms");
        m.put(p + "max-backoff", "300ms");
        for (int i = 0; i < more.length; i += 2) {
            m.put(p + more[i], more[i + 1]);
        }
    }

    @Test
    void alertsAreDeliveredSignedRetriedRecordedAndRefusalsDeadLettered() throws Exception {
        String prefix = "w1";
        StreamingJobTest.kafka.createTopics(1, prefix + ".syslog", prefix + ".windows", prefix + ".dead-letters",
                prefix + ".alerts");
        WebhookReceiver soar = receiver().then(Reply.status(500), Reply.status(500));
        WebhookReceiver ticketing = receiver().otherwise(Reply.status(400));
        WebhookReceiver chat = receiver();
        Map<String, String> m = helper.settings(prefix, dir.resolve("chk").toString());
        endpoint(m, "soar", soar.url("/hooks/vigil"), "rules", "ssh-brute-force");
        endpoint(m, "ticketing", ticketing.url("/tickets"), "rules", "ssh-brute-force", "format", "ecs");
        endpoint(m, "chat", chat.url("/chat"), "send", "incidents", "format", "slack");
        VigilConfig config = VigilConfig.of(m, "test");
        produceBruteForce(prefix, "203.0.113.77", Instant.parse("2024-07-01T10:00:00Z"));

        JobClient job = helper.start(config);
        try {
            List<Received> got = soar.await("an accepted delivery", r -> r.stream().anyMatch(x -> x.replied() == 200), WAIT);
            // the webhook may well arrive before the alert is searchable
            List<String> ids = new ArrayList<>();
            StreamingJobTest.await("the alert in elasticsearch", () -> StreamingJobTest.safely(() -> {
                ids.clear();
                StreamingJobTest.alerts("vigil-alerts-2024.07.01", "203.0.113.77").stream()
                        .filter(h -> h.at("/_source/rule/id").asText().equals("ssh-brute-force"))
                        .forEach(h -> ids.add(h.get("_id").asText()));
                return ids.size() == 1;
            }));
            String alertId = ids.get(0);
            assertThat(got).hasSize(3);
            assertThat(got).extracting(Received::idempotencyKey).containsOnly(alertId);
            assertThat(got).extracting(Received::signatureProblem).containsOnlyNulls();
            assertThat(got).extracting(Received::replied).containsExactly(500, 500, 200);
            JsonNode body = EcsJson.MAPPER.readTree(got.get(2).body());
            assertThat(body.path("type").asText()).isEqualTo("vigil.alert");
            assertThat(body.path("id").asText()).isEqualTo(alertId);
            assertThat(body.at("/rule/id").asText()).isEqualTo("ssh-brute-force");
            assertThat(body.at("/entities/source.ip").asText()).isEqualTo("203.0.113.77");
            // the signed body names the rule's provenance
            assertThat(body.at("/rule/ruleset").asText()).isEqualTo("vigil");
            assertThat(body.at("/rule/authors")).extracting(JsonNode::asText).containsExactly("Vigil");
            assertThat(body.at("/rule/references")).extracting(JsonNode::asText).containsExactlyElementsOf(
                    StreamingServices.RULES.rule("ssh-brute-force").references());

            // every attempt is on record, under the alert's id
            List<JsonNode> attempts = new ArrayList<>();
            StreamingJobTest.await("three recorded attempts", () -> StreamingJobTest.safely(() -> {
                attempts.clear();
                attempts.addAll(deliveries("soar", alertId));
                return attempts.size() == 3;
            }));
            assertThat(attempts).extracting(a -> a.at("/vigil/delivery/outcome").asText())
                    .containsExactly("retrying", "retrying", "delivered");
            assertThat(attempts).extracting(a -> a.at("/http/response/status_code").asInt()).containsExactly(500, 500, 200);
            assertThat(attempts).extracting(a -> a.at("/vigil/alert/id").asText()).containsOnly(alertId);

            // 400 is not retried: one attempt, then the dead-letter topic, with the payload and the reason
            List<ConsumerRecord<String, String>> dead = StreamingJobTest.consume(prefix + ".dead-letters", 1);
            assertThat(dead).singleElement().satisfies(r -> {
                JsonNode letter = EcsJson.MAPPER.readTree(r.value());
                assertThat(letter.path("reason").asText()).contains("webhook ticketing").contains("HTTP 400");
                assertThat(letter.path("decoder").asText()).isEqualTo("webhook");
                assertThat(EcsJson.MAPPER.readTree(letter.at("/raw/value").asText()).at("/event/id").asText())
                        .isEqualTo(alertId);
            });
            assertThat(ticketing.received()).hasSize(1);

            // incident changes go to the endpoint that asked for them, one key per incident version
            List<Received> changes = chat.await("an incident change", r -> !r.isEmpty(), WAIT);
            assertThat(changes.get(0).idempotencyKey()).matches("[0-9a-f]+:\\d+");
            assertThat(EcsJson.MAPPER.readTree(changes.get(0).body()).path("text").asText()).contains("incident");
        } finally {
            StreamingJobTest.cancel(job);
        }
    }

    @Test
    void aDeliveryBeingRetriedWhenTheJobStopsIsDeliveredAfterItResumes() throws Exception {
        String prefix = "w2";
        StreamingJobTest.kafka.createTopics(1, prefix + ".syslog", prefix + ".windows", prefix + ".dead-letters",
                prefix + ".alerts");
        WebhookReceiver soar = receiver().otherwise(Reply.status(503));
        String checkpoints = dir.resolve("chk").toString();
        Map<String, String> m = helper.settings(prefix, checkpoints);
        endpoint(m, "soar", soar.url("/hooks"), "rules", "ssh-brute-force", "max-attempts", "1000");
        VigilConfig config = VigilConfig.of(m, "test");
        produceBruteForce(prefix, "198.51.100.99", Instant.parse("2024-07-02T10:00:00Z"));

        JobClient job = helper.start(config);
        Received first = soar.await("a first attempt", r -> !r.isEmpty(), WAIT).get(0);
        // a checkpoint completed after the first attempt holds the pending delivery
        StreamingJobTest.await("a checkpoint holding the pending delivery", () -> StreamingJobTest.safely(() -> {
            Optional<Path> latest = Checkpoints.latest(checkpoints);
            return latest.isPresent() && Files.getLastModifiedTime(latest.get().resolve("_metadata")).toMillis()
                    > first.receivedAtMillis() + 100;
        }));
        StreamingJobTest.cancel(job);
        StreamingJobTest.await("the job to stop", () -> StreamingJobTest.safely(
                () -> job.getJobStatus().get() == JobStatus.CANCELED));
        int before = soar.received().size();
        soar.otherwise(Reply.status(200));

        JobClient resumed = helper.start(config, Checkpoints.latest(checkpoints).orElseThrow().toString());
        try {
            List<Received> got = soar.await("the delivery after the restart",
                    r -> r.stream().anyMatch(x -> x.replied() == 200), WAIT);
            assertThat(got.size()).isGreaterThan(before);
            // never a second key for the same alert
            assertThat(got).extracting(Received::idempotencyKey).containsOnly(first.idempotencyKey());
            assertThat(got).extracting(Received::signatureProblem).containsOnlyNulls();
            assertThat(got.stream().filter(r -> r.replied() == 200)).hasSize(1);
            StreamingJobTest.await("the delivered attempt on record", () -> StreamingJobTest.safely(() ->
                    deliveries("soar", first.idempotencyKey()).stream()
                            .anyMatch(a -> a.at("/vigil/delivery/outcome").asText().equals("delivered"))));
        } finally {
            StreamingJobTest.cancel(resumed);
        }
    }

    /** Six failed logins from {@code ip} (one ssh-brute-force alert), then a later event that moves the watermark past them. */
    private static void produceBruteForce(String prefix, String ip, Instant t0) throws Exception {
        List<org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>> records = new ArrayList<>(
                StreamingJobTest.bruteForce(prefix + ".syslog", ip, t0, 6, false));
        records.add(StreamingJobTest.record(prefix + ".syslog", t0.plusSeconds(600), StreamingJobTest.SYSLOG
                .format(t0.plusSeconds(600)) + " bastion CRON[9]: pam_unix(cron:session): session closed for user root"));
        StreamingJobTest.produce(records);
    }

    /** The recorded attempts of one delivery, in attempt order. */
    private static List<JsonNode> deliveries(String endpoint, String key) throws Exception {
        StreamingJobTest.rest.performRequest(new Request("POST", "/vigil-deliveries-*/_refresh"));
        Request q = new Request("GET", "/vigil-deliveries-*/_search");
        q.setJsonEntity("{\"size\":100,\"sort\":[{\"vigil.delivery.attempt\":\"asc\"}],\"query\":{\"bool\":{\"filter\":["
                + "{\"term\":{\"vigil.delivery.endpoint\":\"" + endpoint + "\"}},"
                + "{\"term\":{\"vigil.delivery.idempotency_key\":\"" + key + "\"}}]}}}");
        JsonNode found = EcsJson.MAPPER.readTree(StreamingJobTest.rest.performRequest(q).getEntity().getContent());
        List<JsonNode> out = new ArrayList<>();
        found.at("/hits/hits").forEach(h -> out.add(h.get("_source")));
        return out;
    }
}
