package io.vigil.connectors.kafka;

import io.vigil.localstack.LocalKafka;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.DeadLetter;
import io.vigil.model.EcsJson;
import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Flink jobs write alerts and dead letters to real topics; a plain consumer reads them back. */
@Timeout(120)
class KafkaSinkTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final String ALERTS = "sink.vigil.alerts";
    private static final String DEAD = "sink.vigil.dead-letters";

    private static LocalKafka kafka;

    /** Stands in for an alert: the connectors never see the real type. */
    public static class TestAlert {
        public String id;
        public String rule;
        public int score;

        public TestAlert() {}

        TestAlert(String id, String rule, int score) {
            this.id = id;
            this.rule = rule;
            this.score = score;
        }

        String json() {
            return "{\"event\":{\"id\":\"" + id + "\",\"risk_score\":" + score + "},\"rule\":{\"id\":\"" + rule + "\"}}";
        }
    }

    @BeforeAll
    static void topics() {
        kafka = SharedKafka.get();
        kafka.createTopics(2, ALERTS);
        kafka.createTopics(1, DEAD);
    }

    @Test
    void alertsAreWrittenAsJsonKeyedById() throws Exception {
        List<TestAlert> alerts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            alerts.add(new TestAlert("alert-" + i, "brute-force", 40 + i));
        }
        StreamExecutionEnvironment env = env();
        env.fromData(alerts)
                .sinkTo(VigilKafka.<TestAlert>alertSink(
                        KafkaSettings.plaintext(kafka.bootstrapServers()), ALERTS, a -> a.id, TestAlert::json))
                .name("alerts");
        env.execute("alerts to kafka");

        Map<String, String> read = readAll(ALERTS, 20);
        assertThat(read).hasSize(20);
        for (TestAlert a : alerts) {
            JsonNode doc = EcsJson.MAPPER.readTree(read.get(a.id));
            assertThat(doc.path("event").path("id").asText()).isEqualTo(a.id);
            assertThat(doc.path("event").path("risk_score").asInt()).isEqualTo(a.score);
        }
    }

    @Test
    void deadLettersAreWrittenAsEcsJsonKeyedByOrigin() throws Exception {
        DeadLetter fromKafka = DeadLetter.of(
                RawRecord.of("<13>garbage".getBytes(StandardCharsets.UTF_8), Origin.kafka("raw.syslog", 1, 42), "syslog"),
                "no timestamp");
        DeadLetter binary = DeadLetter.of(
                RawRecord.of(new byte[] {(byte) 0xff, 0x00, 0x41}, Origin.kafka("raw.windows", 0, 7), "windows"),
                "not JSON");
        DeadLetter fromFile = DeadLetter.of(
                RawRecord.of("x".getBytes(StandardCharsets.UTF_8), Origin.file("logs/auth.log", 3), "syslog"),
                "too short");
        StreamExecutionEnvironment env = env();
        env.fromData(fromKafka, binary, fromFile)
                .sinkTo(VigilKafka.deadLetterSink(KafkaSettings.plaintext(kafka.bootstrapServers()), DEAD))
                .name("dead letters");
        env.execute("dead letters to kafka");

        Map<String, String> read = readAll(DEAD, 3);
        assertThat(read).containsOnlyKeys("raw.syslog/1@42", "raw.windows/0@7", "logs/auth.log:3");
        assertThat(read.get("raw.syslog/1@42")).isEqualTo(EcsJson.write(fromKafka));
        assertThat(read.get("raw.windows/0@7")).isEqualTo(EcsJson.write(binary));
        assertThat(read.get("logs/auth.log:3")).isEqualTo(EcsJson.write(fromFile));
    }

    private static StreamExecutionEnvironment env() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    /** Reads the topic from the start until {@code expected} records arrived (or 30 s passed). */
    private static Map<String, String> readAll(String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, String> byKey = new LinkedHashMap<>();
        int count = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (count < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    byKey.put(r.key(), r.value());
                    count++;
                }
            }
        }
        assertThat(count).as("records read from " + topic).isEqualTo(expected);
        return byKey;
    }
}
