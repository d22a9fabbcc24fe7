package io.vigil.jobs.stream;

import io.vigil.jobs.wiring.FlinkSettings;
import io.vigil.jobs.wiring.Connections;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.localstack.LocalElasticsearch;
import io.vigil.localstack.LocalKafka;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.model.EcsJson;
import io.vigil.rules.verify.RuleSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job against a real Kafka broker and a real Elasticsearch node: raw records in
 * Kafka become alerts in Elasticsearch under their deterministic ids, records that cannot be
 * decoded reach the dead-letter topic ({@link StreamingRestartTest}: a restart from a checkpoint).
 */
public class StreamingJobTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    public static final DateTimeFormatter SYSLOG = DateTimeFormatter.ofPattern("MMM d HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    public static LocalKafka kafka;
    public static LocalElasticsearch es;
    public static RestClient rest;
    public static RuleSet rules;

    @TempDir
    Path dir;

    @BeforeAll
    public static void services() {
        kafka = StreamingServices.KAFKA;
        es = StreamingServices.ES;
        rest = StreamingServices.REST;
        rules = StreamingServices.RULES;
    }

    VigilConfig config(String prefix, String checkpoints) {
        return VigilConfig.of(settings(prefix, checkpoints), "test");
    }

    /** The test configuration as keys, to add to. */
    public Map<String, String> settings(String prefix, String checkpoints) {
        Map<String, String> m = new HashMap<>();
        m.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        m.put("kafka.topics", prefix + ".syslog:syslog," + prefix + ".windows:windows");
        m.put("kafka.group-id", prefix);
        m.put("kafka.dead-letter-topic", prefix + ".dead-letters");
        m.put("kafka.alerts-topic", prefix + ".alerts");
        m.put("elasticsearch.urls", es.url());
        m.put("elasticsearch.bulk.flush-interval", "200ms");
        m.put("detection.out-of-orderness", "1s");
        m.put("checkpoints.interval", "300ms");
        m.put("checkpoints.dir", checkpoints);
        m.put("parallelism", "1");
        return m;
    }

    /** Failed sshd passwords from {@code ip}, one every 5 s from {@code start}, then maybe a success. */
    public static List<ProducerRecord<byte[], byte[]>> bruteForce(String topic, String ip, Instant start, int failures,
                                                                   boolean success) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (int i = 0; i <= failures; i++) {
            Instant t = start.plusSeconds(5L * i);
            String line = i < failures
                    ? SYSLOG.format(t) + " bastion sshd[" + (100 + i) + "]: Failed password for root from " + ip
                    + " port " + (40000 + i) + " ssh2"
                    : SYSLOG.format(t) + " bastion sshd[200]: Accepted password for root from " + ip + " port 40100 ssh2";
            if (i < failures || success) {
                out.add(record(topic, t, line));
            }
        }
        return out;
    }

    public static ProducerRecord<byte[], byte[]> record(String topic, Instant t, String value) {
        return new ProducerRecord<>(topic, 0, t.toEpochMilli(), null, value.getBytes(StandardCharsets.UTF_8));
    }

    public static void produce(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        produce(kafka.bootstrapServers(), records);
    }

    /** Writes the records to the broker at {@code bootstrap}, unauthenticated. */
    public static void produce(String bootstrap, List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(r).get();
            }
        }
    }

    public JobClient start(VigilConfig config) throws Exception {
        return start(config, null);
    }

    public JobClient start(VigilConfig config, String restoreFrom) throws Exception {
        Connections.installTemplates(Connections.elasticsearch(config));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkSettings.flinkConfig(config, restoreFrom));
        StreamingTopology.build(config, rules, env);
        return env.executeAsync("streaming test");
    }

    public static List<JsonNode> alerts(String index, String ip) throws Exception {
        rest.performRequest(new Request("POST", "/" + index + "/_refresh"));
        Request search = new Request("GET", "/" + index + "/_search");
        search.setJsonEntity("{\"size\":100,\"query\":{\"term\":{\"source.ip\":\"" + ip + "\"}}}");
        JsonNode body = EcsJson.MAPPER.readTree(rest.performRequest(search).getEntity().getContent());
        List<JsonNode> hits = new ArrayList<>();
        body.at("/hits/hits").forEach(hits::add);
        return hits;
    }

    /** Polls a condition of the running system until it holds or the deadline passes. */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, condition, () -> true);
    }

    public static void await(String what, BooleanSupplier condition, BooleanSupplier onTimeout)
            throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                onTimeout.getAsBoolean();
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    /**
     * Cancels {@code job} and waits until it has stopped: until then it may still write a checkpoint
     * into a temporary directory JUnit is deleting.
     */
    public static void cancel(org.apache.flink.core.execution.JobClient job) throws Exception {
        job.cancel().get();
        try {
            job.getJobExecutionResult().get(2, java.util.concurrent.TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException cancelled) {
            // what a cancelled job's result is
        }
    }

    public static boolean safely(java.util.concurrent.Callable<Boolean> c) {
        try {
            return c.call();
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void rawRecordsInKafkaBecomeAlertsInElasticsearchAndDeadLetters() throws Exception {
        String prefix = "t1";
        kafka.createTopics(1, prefix + ".syslog", prefix + ".windows", prefix + ".dead-letters", prefix + ".alerts");
        Instant t0 = Instant.parse("2024-06-01T10:00:00Z");
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(bruteForce(prefix + ".syslog", "203.0.113.50",
                t0, 6, true));
        records.add(record(prefix + ".syslog", t0.plusSeconds(40), "this is not a log line"));
        records.add(record(prefix + ".windows", t0.plusSeconds(41), "{\"EventID\":4625,\"Channel\":\"Secu"));
        // a later event moves event time past the attack
        records.add(record(prefix + ".syslog", t0.plusSeconds(120),
                SYSLOG.format(t0.plusSeconds(120)) + " bastion CRON[9]: pam_unix(cron:session): session closed for user root"));
        produce(records);

        JobClient job = start(config(prefix, dir.resolve("chk").toString()));
        try {
            String index = "vigil-alerts-2024.06.01";
            await("both alerts in Elasticsearch", () -> safely(() -> alerts(index, "203.0.113.50").size() >= 2));
            List<JsonNode> hits = alerts(index, "203.0.113.50");
            assertThat(hits).extracting(h -> h.at("/_source/rule/id").asText())
                    .containsExactlyInAnyOrder("ssh-brute-force", "brute-force-then-success");
            for (JsonNode h : hits) {
                assertThat(h.get("_id").asText()).isEqualTo(h.at("/_source/event/id").asText()).hasSize(32);
                assertThat(h.at("/_source/event/kind").asText()).isEqualTo("alert");
                assertThat(h.at("/_source/vigil/alert/origins/0/source").asText()).isEqualTo(prefix + ".syslog");
            }
            JsonNode brute = hits.stream().filter(h -> h.at("/_source/rule/id").asText().equals("ssh-brute-force"))
                    .findFirst().orElseThrow();
            assertThat(brute.at("/_source/threat/technique/id/0").asText()).isEqualTo("T1110.001");
            assertThat(brute.at("/_source/event/start").asText()).isEqualTo("2024-06-01T10:00:00Z");
            // the rule's provenance: Vigil's own pack, its author and the rule's references
            List<String> references = rules.rule("ssh-brute-force").references();
            assertThat(brute.at("/_source/rule/ruleset").asText()).isEqualTo("vigil");
            assertThat(brute.at("/_source/rule/author")).extracting(JsonNode::asText).containsExactly("Vigil");
            assertThat(brute.at("/_source/rule/reference")).extracting(JsonNode::asText)
                    .containsExactlyElementsOf(references).isNotEmpty();

            List<ConsumerRecord<String, String>> dead = consume(prefix + ".dead-letters", 2);
            assertThat(dead).extracting(ConsumerRecord::key)
                    .containsExactlyInAnyOrder(prefix + ".syslog/0@7", prefix + ".windows/0@0");
            assertThat(dead).allSatisfy(r -> assertThat(EcsJson.MAPPER.readTree(r.value()).path("reason").asText())
                    .isNotBlank());
            // both alerts share the attacking address: one incident, in the stream
            await("the incident", () -> safely(() -> {
                rest.performRequest(new Request("POST", "/vigil-incidents/_refresh"));
                Request q = new Request("GET", "/vigil-incidents/_search");
                q.setJsonEntity("{\"query\":{\"term\":{\"source.ip\":\"203.0.113.50\"}}}");
                JsonNode found = EcsJson.MAPPER.readTree(rest.performRequest(q).getEntity().getContent());
                return found.at("/hits/hits/0/_source/vigil/incident/alert_count").asLong() == 2;
            }));
            // keyed by alert id; an alert re-emitted when its suppression ends carries the same key
            List<ConsumerRecord<String, String>> alertRecords = consume(prefix + ".alerts", 2);
            assertThat(alertRecords.stream().map(ConsumerRecord::key).distinct())
                    .containsExactlyInAnyOrderElementsOf(hits.stream().map(h -> h.get("_id").asText()).toList());
            // the record carries the provenance the document does
            for (ConsumerRecord<String, String> r : alertRecords) {
                JsonNode value = EcsJson.MAPPER.readTree(r.value());
                assertThat(value.at("/rule/ruleset").asText()).isEqualTo("vigil");
                assertThat(value.at("/rule/author")).extracting(JsonNode::asText).containsExactly("Vigil");
                if (value.at("/rule/id").asText().equals("ssh-brute-force")) {
                    assertThat(value.at("/rule/reference")).extracting(JsonNode::asText)
                            .containsExactlyElementsOf(references);
                }
            }
        } finally {
            cancel(job);
        }
    }

    public static List<ConsumerRecord<String, String>> consume(String topic, int n) throws Exception {
        return consume(kafka.bootstrapServers(), topic, n);
    }

    /** The first {@code n} records of {@code topic} on the broker at {@code bootstrap}, unauthenticated. */
    public static List<ConsumerRecord<String, String>> consume(String bootstrap, String topic, int n) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            long end = System.nanoTime() + DEADLINE.toNanos();
            while (out.size() < n && System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }
}
