package io.vigil.jobs.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.connectors.kafka.KafkaSettings;
import io.vigil.jobs.stream.StreamingServices;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The rules control topic on a real broker: created compacted, written with acknowledgement, read whole in order. */
class ControlTopicTest {

    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    private static ControlTopic topic(String name) {
        return new ControlTopic(KafkaSettings.plaintext(StreamingServices.KAFKA.bootstrapServers()), name, v -> null);
    }

    private static ControlRecord push(String slot, String version, int minute, byte[] bundle) {
        Instant at = AT.plusSeconds(60L * minute);
        return ControlRecord.of("push", slot, version, "alice", at, at.plusSeconds(30), bundle);
    }

    @Test
    void writeCreatesACompactedTopicAndReadAllReturnsEveryRecordInOrder() throws Exception {
        ControlTopic topic = topic("rules-control-order");
        ControlRecord first = push(ControlRecord.LIVE, "1.0.0", 0, "bundle one".getBytes(StandardCharsets.UTF_8));
        ControlRecord second = push(ControlRecord.SHADOW, "1.1.0", 1, "bundle two".getBytes(StandardCharsets.UTF_8));
        ControlRecord clear = ControlRecord.of("clear", ControlRecord.SHADOW, "1.1.0", "bob", AT.plusSeconds(120),
                AT.plusSeconds(120), null);

        assertThat(topic.write(first)).isZero();
        assertThat(topic.write(second)).isEqualTo(1);
        assertThat(topic.write(clear)).isEqualTo(2);

        Map<String, String> config = topic.describeConfig();
        assertThat(config).containsEntry("cleanup.policy", "compact")
                .containsEntry("max.message.bytes", String.valueOf(16 << 20));
        List<ControlRecord> read = topic.readAll();
        assertThat(read).extracting(ControlRecord::id).containsExactly(first.id(), second.id(), clear.id());
        assertThat(read.get(1).bundle()).isEqualTo(second.bundle());
        assertThat(read.get(1).effectiveAt()).isEqualTo(second.effectiveAt());
        assertThat(read.get(2).actor()).isEqualTo("bob");
        assertThat(topic.ensureExists()).as("it exists now").isFalse();
    }

    @Test
    void aBundleOfTenMebibytesIsWrittenAndReadBack() throws Exception {
        // above Kafka's default limit of 1 MiB a record: the topic and the producer allow 16 MiB
        byte[] big = new byte[10 << 20];
        new Random(16).nextBytes(big);
        ControlTopic topic = topic("rules-control-big");
        topic.write(push(ControlRecord.LIVE, "2.0.0", 0, big));
        assertThat(topic.readAll()).singleElement().satisfies(r -> assertThat(r.bundle()).isEqualTo(big));
    }

    @Test
    void anAbsentTopicReadsEmptyAndIsNotCreatedByReading() throws Exception {
        ControlTopic topic = topic("rules-control-absent");
        assertThat(topic.readAll()).isEmpty();
        try (var admin = StreamingServices.KAFKA.admin()) {
            assertThat(admin.listTopics().names().get()).doesNotContain("rules-control-absent");
        }
    }

    @Test
    void aRecordNotWrittenByVigilIsSkipped() throws Exception {
        ControlTopic topic = topic("rules-control-foreign");
        ControlRecord ok = push(ControlRecord.LIVE, "1.0.0", 0, new byte[] {1, 2, 3});
        topic.write(ok);
        var props = new java.util.Properties();
        props.put("bootstrap.servers", StreamingServices.KAFKA.bootstrapServers());
        try (var producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("rules-control-foreign", "x".getBytes(StandardCharsets.UTF_8),
                    "{\"kind\":\"delete-everything\"}".getBytes(StandardCharsets.UTF_8))).get();
        }
        ControlRecord later = push(ControlRecord.SHADOW, "1.1.0", 1, new byte[] {4});
        topic.write(later);
        assertThat(topic.readAll()).extracting(ControlRecord::id).containsExactly(ok.id(), later.id());
    }
}
