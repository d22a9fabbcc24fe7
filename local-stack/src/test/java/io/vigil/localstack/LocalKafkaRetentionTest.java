package io.vigil.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Records stamped with an old event time survive the local broker's retention checks (with
 * Kafka's default 7-day retention they were deleted 30 s after start, before the job read them).
 */
@Timeout(120)
class LocalKafkaRetentionTest {

    @Test
    void oldRecordsAreKeptWhileATopicWithTimeRetentionIsCleaned() throws Exception {
        // retention checks every 200 ms instead of every 5 minutes after 30 s
        try (LocalKafka kafka = LocalKafka.start(Map.of("log.retention.check.interval.ms", "200",
                "log.initial.task.delay.ms", "0"))) {
            try (Admin admin = kafka.admin()) {
                admin.createTopics(List.of(new NewTopic("raw.old", 1, (short) 1),
                        new NewTopic("control.short-retention", 1, (short) 1)
                                .configs(Map.of("retention.ms", "1000")))).all().get();
            }
            long old = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (String topic : List.of("raw.old", "control.short-retention")) {
                    for (int i = 0; i < 3; i++) {
                        producer.send(new ProducerRecord<>(topic, 0, old + i, null,
                                ("line " + i).getBytes(StandardCharsets.UTF_8))).get();
                    }
                }
            }
            TopicPartition control = new TopicPartition("control.short-retention", 0);
            TopicPartition raw = new TopicPartition("raw.old", 0);
            // the control topic's records go once a retention check has run
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (earliest(kafka, control) < 3) {
                assertThat(System.nanoTime()).as("a retention check within 60 s").isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(earliest(kafka, raw)).isZero();
        }
    }

    private static long earliest(LocalKafka kafka, TopicPartition tp) throws Exception {
        try (Admin admin = kafka.admin()) {
            return admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).all().get().get(tp).offset();
        }
    }
}
