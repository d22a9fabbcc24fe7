package io.vigil.jobs.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.connectors.kafka.KafkaSettings;
import io.vigil.context.ContextUpdate;
import io.vigil.jobs.stream.StreamingServices;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The context control topic on a real broker: created compacted, written under the table's key, read by the job's source. */
class ContextTopicTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    private static KafkaSettings kafka() {
        return KafkaSettings.plaintext(StreamingServices.KAFKA.bootstrapServers());
    }

    private static ContextUpdate update(String name, int minute, String body) {
        return new ContextUpdate(ContextUpdate.INTEL, name, "csv", "alice", AT.plusSeconds(60L * minute),
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writeCreatesACompactedTopicKeyedByKindAndName() throws Exception {
        ContextTopic topic = new ContextTopic(kafka(), "context-keys", v -> null);
        assertThat(topic.write(update("abuse-ch", 0, "1.2.3.4\n"))).isZero();
        assertThat(topic.write(update("abuse-ch", 1, "5.6.7.8\n"))).isEqualTo(1);
        assertThat(topic.ensureExists()).as("it exists now").isFalse();
        try (Admin admin = StreamingServices.KAFKA.admin()) {
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, "context-keys");
            Map<String, String> config = new java.util.TreeMap<>();
            admin.describeConfigs(Set.of(r)).all().get().get(r).entries().forEach(e -> config.put(e.name(), e.value()));
            assertThat(config).containsEntry("cleanup.policy", "compact")
                    .containsEntry("max.message.bytes", String.valueOf(ContextTopic.MAX_RECORD_BYTES));
            assertThat(admin.describeTopics(Set.of("context-keys")).allTopicNames().get().get("context-keys")
                    .partitions()).hasSize(1);
        }
    }

    @Test
    void theJobsSourceReadsEveryUpdateFromTheStartAndSkipsARecordThatIsNotOne() throws Exception {
        ContextTopic topic = new ContextTopic(kafka(), "context-source", v -> null);
        ContextUpdate first = update("feed-a", 0, "1.2.3.4\n");
        topic.write(first);
        Properties props = new Properties();
        props.put("bootstrap.servers", StreamingServices.KAFKA.bootstrapServers());
        try (var producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("context-source", "intel/x".getBytes(StandardCharsets.UTF_8),
                    "{\"not\": \"an update\"}".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>("context-source", "intel/gone".getBytes(StandardCharsets.UTF_8),
                    null)).get();
        }
        ContextUpdate second = update("feed-b", 2, "example.org\n");
        topic.write(second);

        org.apache.flink.configuration.Configuration conf = new org.apache.flink.configuration.Configuration();
        conf.set(org.apache.flink.configuration.PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        List<ContextUpdate> read = new ArrayList<>();
        try (CloseableIterator<ContextUpdate> it = new ContextTopicSource(kafka(), "context-source", "test-context")
                .open(env).executeAndCollect("context source")) {
            while (read.size() < 2 && it.hasNext()) {
                read.add(it.next());
            }
        }
        assertThat(read).extracting(ContextUpdate::key).containsExactly("intel/feed-a", "intel/feed-b");
        assertThat(read.get(1).body()).isEqualTo(second.body());
        assertThat(read.get(0).at()).isEqualTo(first.at());
    }

    @Test
    void aRecordThatIsNotAnUpdateIsSkippedByTheDeserializer() throws Exception {
        List<ContextUpdate> out = new ArrayList<>();
        var collector = new org.apache.flink.util.Collector<ContextUpdate>() {
            @Override
            public void collect(ContextUpdate record) {
                out.add(record);
            }

            @Override
            public void close() {}
        };
        var d = new ContextTopicSource.Deserializer();
        d.deserialize(new org.apache.kafka.clients.consumer.ConsumerRecord<>("t", 0, 0L, null,
                "garbage".getBytes(StandardCharsets.UTF_8)), collector);
        d.deserialize(new org.apache.kafka.clients.consumer.ConsumerRecord<>("t", 0, 1L, null, null), collector);
        d.deserialize(new org.apache.kafka.clients.consumer.ConsumerRecord<>("t", 0, 2L, null,
                update("ok", 0, "x").toJson()), collector);
        assertThat(out).extracting(ContextUpdate::name).containsExactly("ok");
    }
}
