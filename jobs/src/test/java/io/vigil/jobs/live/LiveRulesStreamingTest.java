package io.vigil.jobs.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.connectors.webhook.WebhookReceiver;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.stream.Checkpoints;
import io.vigil.jobs.stream.StreamingJobTest;
import io.vigil.model.EcsJson;
import io.vigil.rules.bundle.BundleKeys;
import io.vigil.rules.bundle.RuleBundle;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.elasticsearch.client.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live rules in the streaming job, on the real broker, Elasticsearch node and a webhook receiver on
 * loopback: a bundle pushed to the control topic while a brute force is in progress keeps its
 * count (the alert starts at the first failure, before the push); a shadow bundle's alerts land in
 * {@code vigil-shadow-alerts-*} and reach no webhook; a bundle signed with another key is refused
 * with its reason in {@code vigil-rules}; and a job restored from its checkpoint after the push
 * still runs the shadow pack, which only its broadcast state holds (the control source resumes
 * after the records).
 */
class LiveRulesStreamingTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final String SECRET = "test-webhook-secret";
    private static final Instant T0 = Instant.parse("2024-08-01T10:00:00Z");
    private static final String DAY = "2024.08.01";

    @TempDir
    Path dir;

    private final StreamingJobTest helper = new StreamingJobTest();
    private WebhookReceiver receiver;

    @BeforeAll
    static void services() {
        StreamingJobTest.services();
    }

    @AfterEach
    void stop() {
        if (receiver != null) {
            receiver.close();
        }
    }

    /** The packaged ssh rules (brute force and user enumeration, version 1) with their fixtures, signed. */
    private byte[] sshBundle(String version) throws Exception {
        Path d = dir.resolve("ssh-" + version);
        Files.createDirectories(d.resolve("ssh"));
        for (String f : List.of("ssh.drl", "ssh-brute-force.fixtures.json", "ssh-user-enumeration.fixtures.json")) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("io/vigil/rules/ssh/" + f)) {
                Files.write(d.resolve("ssh/" + f), in.readAllBytes());
            }
        }
        Files.writeString(d.resolve(RuleBundle.MANIFEST), "version: \"" + version + "\"\nauthor: \"soc\"\n"
                + "created: \"2024-08-01T09:00:00Z\"\ndescription: \"ssh rules only\"\n");
        return RuleBundle.fromDirectory(d).signed(TestBundles.KEYS.getPrivate()).toBytes();
    }

    private static void push(String topic, ControlRecord record) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, StreamingJobTest.kafka.bootstrapServers());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 << 20);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, record.id().getBytes(StandardCharsets.UTF_8),
                    record.toJson())).get();
        }
    }

    private static List<ProducerRecord<byte[], byte[]>> failures(String topic, String ip, int... seconds) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (int s : seconds) {
            Instant t = T0.plusSeconds(s);
            out.add(StreamingJobTest.record(topic, t, StreamingJobTest.SYSLOG.format(t) + " bastion sshd[" + (100 + s)
                    + "]: Failed password for root from " + ip + " port " + (40000 + s) + " ssh2"));
        }
        return out;
    }

    private static ProducerRecord<byte[], byte[]> later(String topic, int second) {
        Instant t = T0.plusSeconds(second);
        return StreamingJobTest.record(topic, t, StreamingJobTest.SYSLOG.format(t)
                + " bastion CRON[9]: pam_unix(cron:session): session closed for user root");
    }

    private static JsonNode outcome(String id) throws Exception {
        StreamingJobTest.rest.performRequest(new Request("POST", "/vigil-rules/_refresh"));
        return EcsJson.MAPPER.readTree(StreamingJobTest.rest.performRequest(
                new Request("GET", "/vigil-rules/_doc/" + id)).getEntity().getContent()).path("_source");
    }

    private static List<JsonNode> search(String index, String field, String value) throws Exception {
        StreamingJobTest.rest.performRequest(new Request("POST", "/" + index + "/_refresh"));
        Request search = new Request("GET", "/" + index + "/_search");
        search.setJsonEntity("{\"size\":100,\"query\":{\"term\":{\"" + field + "\":\"" + value + "\"}}}");
        JsonNode body = EcsJson.MAPPER.readTree(StreamingJobTest.rest.performRequest(search).getEntity().getContent());
        List<JsonNode> hits = new ArrayList<>();
        body.at("/hits/hits").forEach(h -> hits.add(h.get("_source")));
        return hits;
    }

    @Test
    void bundlesPushedMidStreamSwitchKeepStateShadowQuietlyAndSurviveARestore() throws Exception {
        String prefix = "live1";
        String raw = prefix + ".syslog";
        String control = prefix + ".rules";
        StreamingJobTest.kafka.createTopics(1, raw, prefix + ".windows", prefix + ".dead-letters", prefix + ".alerts",
                control);
        receiver = WebhookReceiver.start(SECRET);
        Path key = dir.resolve("bundles.pub");
        Files.writeString(key, BundleKeys.pem(TestBundles.KEYS.getPublic()));
        Map<String, String> m = helper.settings(prefix, dir.resolve("chk").toString());
        m.put("rules.public-key", key.toString());
        m.put("rules.control-topic", control);
        m.put("webhooks.endpoints.soar.url", receiver.url("/hooks"));
        m.put("webhooks.endpoints.soar.secret-env", "VIGIL_TEST_WEBHOOK_SECRET");
        VigilConfig config = VigilConfig.of(m, "test");

        // three failures of a brute force, read (and checkpointed) before any bundle
        StreamingJobTest.produce(failures(raw, "203.0.113.5", 0, 5, 10));
        JobClient job = helper.start(config);
        String liveId;
        try {
            StreamingJobTest.await("the first failures read", () -> StreamingJobTest.safely(
                    () -> committed(prefix, raw) == 3));
            ControlRecord live = ControlRecord.of("push", ControlRecord.LIVE, "ssh-1", "soc", T0.minusSeconds(60),
                    T0.plusSeconds(12), sshBundle("ssh-1"));
            // two failures in 60 s, from the switch on (the failures before it were evaluated before it came)
            ControlRecord shadow = ControlRecord.of("push", ControlRecord.SHADOW, "shadow-1", "soc",
                    T0.minusSeconds(50), T0.plusSeconds(12),
                    TestBundles.bundle(dir.resolve("shadow"), "shadow-1", 1, 2, false));
            ControlRecord forged = ControlRecord.of("push", ControlRecord.LIVE, "ssh-2", "mallory", T0.minusSeconds(40),
                    T0.plusSeconds(12), RuleBundle.fromDirectory(dir.resolve("ssh-ssh-1"))
                            .signed(TestBundles.OTHER_KEYS.getPrivate()).toBytes());
            liveId = live.id();
            push(control, live);
            push(control, shadow);
            push(control, forged);
            StreamingJobTest.await("the outcomes in vigil-rules", () -> StreamingJobTest.safely(
                    () -> outcome(forged.id()).has("vigil") && outcome(shadow.id()).has("vigil")
                            && outcome(live.id()).has("vigil")));
            assertThat(outcome(live.id()).at("/vigil/rules/outcome").asText()).isEqualTo("active");
            assertThat(outcome(live.id()).at("/vigil/rules/rules").toString()).contains("ssh-brute-force@1");
            assertThat(outcome(shadow.id()).at("/vigil/rules/slot").asText()).isEqualTo("shadow");
            JsonNode refused = outcome(forged.id());
            assertThat(refused.at("/vigil/rules/outcome").asText()).isEqualTo("refused");
            assertThat(refused.at("/vigil/rules/step").asText()).isEqualTo("signature");
            assertThat(refused.at("/vigil/rules/actor").asText()).isEqualTo("mallory");

            // the brute force goes on after the switch: two more failures make five
            List<ProducerRecord<byte[], byte[]>> rest = new ArrayList<>(failures(raw, "203.0.113.5", 15, 20));
            rest.add(later(raw, 200));
            StreamingJobTest.produce(rest);
            String alerts = "vigil-alerts-" + DAY;
            StreamingJobTest.await("the brute-force alert", () -> StreamingJobTest.safely(
                    () -> StreamingJobTest.alerts(alerts, "203.0.113.5").size() == 1));
            JsonNode alert = StreamingJobTest.alerts(alerts, "203.0.113.5").get(0).get("_source");
            assertThat(alert.at("/rule/id").asText()).isEqualTo("ssh-brute-force");
            // counted across the push: it starts at the first failure, which the old pack counted
            assertThat(alert.at("/event/start").asText()).isEqualTo("2024-08-01T10:00:00Z");

            String shadowIndex = "vigil-shadow-alerts-" + DAY;
            StreamingJobTest.await("the shadow alert", () -> StreamingJobTest.safely(
                    () -> !search(shadowIndex, "source.ip", "203.0.113.5").isEmpty()));
            assertThat(search(shadowIndex, "source.ip", "203.0.113.5")).extracting(a -> a.at("/rule/id").asText())
                    .containsOnly("five-failures");
            assertThat(search(alerts, "rule.id", "five-failures")).isEmpty();
            receiver.await("the live alert delivered", r -> !r.isEmpty(), Duration.ofSeconds(90));
            assertThat(receiver.received()).extracting(WebhookReceiver.Received::body)
                    .allMatch(b -> b.contains("ssh-brute-force") && !b.contains("five-failures"));

            StreamingJobTest.await("a checkpoint after the pushes", () -> StreamingJobTest.safely(
                    () -> committed(prefix, raw) == 6));
        } finally {
            StreamingJobTest.cancel(job);
        }
        StreamingJobTest.await("the job to stop", () -> StreamingJobTest.safely(
                () -> job.getJobStatus().get() == JobStatus.CANCELED));

        // restored: three failures of another address are a shadow alert only if the shadow pack came back
        List<ProducerRecord<byte[], byte[]>> after = new ArrayList<>(failures(raw, "203.0.113.6", 300, 305, 310));
        after.add(later(raw, 500));
        StreamingJobTest.produce(after);
        JobClient resumed = helper.start(config, Checkpoints.latest(dir.resolve("chk").toString()).orElseThrow()
                .toString());
        try {
            String shadowIndex = "vigil-shadow-alerts-" + DAY;
            StreamingJobTest.await("the shadow alert after the restore", () -> StreamingJobTest.safely(
                    () -> !search(shadowIndex, "source.ip", "203.0.113.6").isEmpty()));
            assertThat(outcome(liveId).at("/vigil/rules/outcome").asText()).isEqualTo("active");
        } finally {
            StreamingJobTest.cancel(resumed);
        }
    }

    private static long committed(String group, String topic) throws Exception {
        try (var admin = StreamingJobTest.kafka.admin()) {
            var offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            var offset = offsets.get(new org.apache.kafka.common.TopicPartition(topic, 0));
            return offset == null ? -1 : offset.offset();
        }
    }
}
