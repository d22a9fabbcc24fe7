package io.vigil.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A restarted broker keeps its address, its records and its consumer groups' offsets, and a client
 * that was connected before the restart goes on after it (what the fault scenario
 * {@code kafka-restart} does to the streaming job).
 */
@Timeout(120)
class LocalKafkaRestartTest {

    @Test
    void aRestartedBrokerKeepsItsAddressRecordsAndCommittedOffsets() throws Exception {
        try (LocalKafka kafka = LocalKafka.start()) {
            String before = kafka.bootstrapServers();
            kafka.createTopics("raw.restart");
            TopicPartition tp = new TopicPartition("raw.restart", 0);
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 3; i++) {
                    producer.send(new ProducerRecord<>("raw.restart", 0, null, bytes("before " + i))).get();
                }
                try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka)) {
                    consumer.assign(List.of(tp));
                    consumer.seekToBeginning(List.of(tp));
                    assertThat(poll(consumer, 3)).containsExactly("before 0", "before 1", "before 2");
                    consumer.commitSync(Map.of(tp, new OffsetAndMetadata(2)));

                    kafka.restart();

                    assertThat(kafka.bootstrapServers()).isEqualTo(before);
                    // the producer and the consumer of before the restart reconnect by themselves
                    producer.send(new ProducerRecord<>("raw.restart", 0, null, bytes("after"))).get();
                    assertThat(poll(consumer, 1)).containsExactly("after");
                }
            }
            try (KafkaConsumer<byte[], byte[]> fresh = consumer(kafka)) {
                assertThat(fresh.committed(java.util.Set.of(tp)).get(tp).offset()).isEqualTo(2);
                fresh.assign(List.of(tp));
                fresh.seekToBeginning(List.of(tp));
                assertThat(poll(fresh, 4)).containsExactly("before 0", "before 1", "before 2", "after");
            }
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(LocalKafka kafka) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "restart-test");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<String> poll(KafkaConsumer<byte[], byte[]> consumer, int n) {
        List<String> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (out.size() < n && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(new String(r.value(), StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
