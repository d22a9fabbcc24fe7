package io.vigil.connectors.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.connectors.kafka.KafkaDeadLetterFallback;
import io.vigil.connectors.kafka.KafkaSettings;
import io.vigil.localstack.LocalKafka;
import io.vigil.connectors.kafka.SharedKafka;
import io.vigil.model.EcsJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A dead-letter topic of its own on the shared test broker, with the fallback writing to it and a reader. */
final class FallbackTopic {

    /** One record as written: key {@code index/id} and the dead letter as JSON. */
    record Letter(String key, JsonNode value) {}

    private final String topic;
    private final LocalKafka kafka;

    FallbackTopic(String topic) {
        this.topic = topic;
        this.kafka = SharedKafka.get();
        kafka.createTopics(1, topic);
    }

    KafkaDeadLetterFallback fallback() {
        return new KafkaDeadLetterFallback(KafkaSettings.plaintext(kafka.bootstrapServers()), topic);
    }

    /** Every record in the topic now (up to its end offset when called: the fallback flushed before). */
    List<Letter> letters() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        TopicPartition partition = new TopicPartition(topic, 0);
        List<Letter> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            Map<TopicPartition, Long> end = consumer.endOffsets(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition) < end.get(partition)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to offset " + end.get(partition));
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(new Letter(r.key(), EcsJson.MAPPER.readTree(r.value())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
