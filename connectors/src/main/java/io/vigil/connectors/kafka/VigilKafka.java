package io.vigil.connectors.kafka;

import io.vigil.model.DeadLetter;
import io.vigil.model.EcsJson;
import io.vigil.model.RawRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Kafka sources and sinks of Vigil, on Flink's FLIP-27 {@link KafkaSource} and Sink V2
 * {@link KafkaSink}.
 *
 * <p>Sources start from the group's committed offsets, or from the earliest offset when the group
 * has none, and commit offsets on checkpoints (the connector's behaviour with checkpointing on).
 * The returned builders can be adjusted further (for example {@code setBounded(...)}) before
 * {@code build()}.
 */
public final class VigilKafka {

    private VigilKafka() {}

    /** Maps an element to a record key and value; connectors know nothing of the element's type. */
    public interface KafkaRecordMapper<T> extends java.io.Serializable {
        /** The key, or {@code null} for none. */
        String key(T element);

        String value(T element);
    }

    /**
     * A source of raw records from the topics of {@code topicFormats}, each with its format and,
     * for the topics of {@code topicHeaders}, that header (see {@link RawRecordKafkaDeserializer#withHeaders});
     * a value longer than {@code maxRecordBytes} keeps only its first bytes and becomes a dead letter.
     */
    public static KafkaSourceBuilder<RawRecord> rawSource(KafkaSettings settings, String groupId,
            Map<String, String> topicFormats, Map<String, String> topicHeaders, int maxRecordBytes) {
        return rawSource(settings, groupId, List.copyOf(topicFormats.keySet()),
                new RawRecordKafkaDeserializer(topicFormats, null, maxRecordBytes).withHeaders(topicHeaders));
    }

    /**
     * A source of raw records from {@code topics}; the deserializer gives each topic its format
     * (a topic it has no format for gets its default, or {@code unknown}).
     */
    public static KafkaSourceBuilder<RawRecord> rawSource(
            KafkaSettings settings, String groupId, List<String> topics, RawRecordKafkaDeserializer deserializer) {
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("a Kafka source needs at least one topic");
        }
        return base(settings, groupId, deserializer).setTopics(topics);
    }

    /** A source of raw records from every topic matching {@code topicPattern}. */
    public static KafkaSourceBuilder<RawRecord> rawSource(
            KafkaSettings settings, String groupId, Pattern topicPattern, RawRecordKafkaDeserializer deserializer) {
        return base(settings, groupId, deserializer).setTopicPattern(topicPattern);
    }

    @SuppressWarnings("deprecation") // OffsetResetStrategy is what the connector's API takes
    private static KafkaSourceBuilder<RawRecord> base(
            KafkaSettings settings, String groupId, RawRecordKafkaDeserializer deserializer) {
        Objects.requireNonNull(deserializer, "deserializer");
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("a Kafka source needs a consumer group id");
        }
        Properties props = settings.toProperties();
        return KafkaSource.<RawRecord>builder()
                .setProperties(props)
                .setBootstrapServers(settings.bootstrapServers())
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(deserializer);
    }

    /**
     * A sink writing each element as one record: key and value as UTF-8 text.
     *
     * @param transactionalIdPrefix needed for {@link DeliveryGuarantee#EXACTLY_ONCE}, otherwise
     *     ignored (may be {@code null}); the exactly-once path is not yet covered by a test: a
     *     bounded MiniCluster job with it did not finish, so prefer at-least-once with
     *     deterministic keys until it is
     */
    public static <T> KafkaSink<T> sink(
            KafkaSettings settings,
            String topic,
            KafkaRecordMapper<T> mapper,
            DeliveryGuarantee guarantee,
            String transactionalIdPrefix) {
        Objects.requireNonNull(mapper, "mapper");
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("a Kafka sink needs a topic");
        }
        var builder = KafkaSink.<T>builder()
                .setKafkaProducerConfig(settings.toProperties())
                .setBootstrapServers(settings.bootstrapServers())
                .setRecordSerializer(new MappedSerializer<>(topic, mapper))
                .setDeliveryGuarantee(guarantee);
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            if (transactionalIdPrefix == null || transactionalIdPrefix.isBlank()) {
                throw new IllegalArgumentException("an exactly-once Kafka sink needs a transactional id prefix");
            }
            builder.setTransactionalIdPrefix(transactionalIdPrefix);
        }
        return builder.build();
    }

    /** An at-least-once sink with the key and value functions given. */
    public static <T> KafkaSink<T> sink(
            KafkaSettings settings,
            String topic,
            SerializableFunction<T, String> key,
            SerializableFunction<T, String> value) {
        return sink(settings, topic, mapper(key, value), DeliveryGuarantee.AT_LEAST_ONCE, null);
    }

    /**
     * The alerts sink: value = the alert document (JSON), key = the alert id, so a replayed
     * alert lands on the same partition and compacts onto the first. At-least-once: alert ids
     * are deterministic, so consumers deduplicate by key.
     */
    public static <T> KafkaSink<T> alertSink(
            KafkaSettings settings,
            String topic,
            SerializableFunction<T, String> id,
            SerializableFunction<T, String> json) {
        return sink(settings, topic, id, json);
    }

    /** The dead-letter sink: value = {@link EcsJson#write(DeadLetter)}, key = the origin ({@code topic/partition@offset}). */
    public static KafkaSink<DeadLetter> deadLetterSink(KafkaSettings settings, String topic) {
        return sink(settings, topic, VigilKafka::deadLetterKey, EcsJson::write);
    }

    /** The record key of a dead letter: its origin in short form. */
    public static String deadLetterKey(DeadLetter letter) {
        return letter.origin().toString();
    }

    private static <T> KafkaRecordMapper<T> mapper(SerializableFunction<T, String> key, SerializableFunction<T, String> value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return new KafkaRecordMapper<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public String key(T element) {
                return key.apply(element);
            }

            @Override
            public String value(T element) {
                return value.apply(element);
            }
        };
    }

    private static final class MappedSerializer<T> implements KafkaRecordSerializationSchema<T> {
        private static final long serialVersionUID = 1L;
        private final String topic;
        private final KafkaRecordMapper<T> mapper;

        MappedSerializer(String topic, KafkaRecordMapper<T> mapper) {
            this.topic = topic;
            this.mapper = mapper;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
            String key = mapper.key(element);
            String value = mapper.value(element);
            return new ProducerRecord<>(
                    topic,
                    null,
                    timestamp == null || timestamp < 0 ? null : timestamp,
                    key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                    value == null ? null : value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
