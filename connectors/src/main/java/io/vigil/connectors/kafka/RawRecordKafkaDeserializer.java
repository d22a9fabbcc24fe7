package io.vigil.connectors.kafka;

import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns every Kafka record into exactly one {@link RawRecord}; none is dropped.
 *
 * <ul>
 *   <li>the format comes from the record's topic ({@code topicFormats}); a topic not in the map
 *       gets the default format, or, without one, {@value #UNKNOWN_FORMAT}, which no decoder
 *       accepts, so the record becomes a dead letter;
 *   <li>the bytes are the record value ({@code null} value: no bytes); a value over
 *       {@code maxRecordBytes} keeps only its first bytes with {@code truncatedFrom} set to its
 *       full length, so the decoder dead-letters it;
 *   <li>the origin is {@code topic/partition@offset}, the reference time the record timestamp;
 *   <li>the header is the topic's own ({@link #withHeaders}): context its records share and do
 *       not carry, such as the {@code #fields} line of a topic of Zeek TSV rows; {@code null}
 *       for a topic without one.
 * </ul>
 */
public final class RawRecordKafkaDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {

    private static final long serialVersionUID = 1L;

    /** The format of records whose topic has none. */
    public static final String UNKNOWN_FORMAT = "unknown";

    private static final byte[] EMPTY = new byte[0];

    private final HashMap<String, String> topicFormats;
    private final String defaultFormat;
    private final int maxRecordBytes;
    private final HashMap<String, String> topicHeaders;

    /**
     * @param topicFormats topic → format name
     * @param defaultFormat format for topics not in the map; {@code null} for {@value #UNKNOWN_FORMAT}
     * @param maxRecordBytes the largest value kept whole, at least 1
     */
    public RawRecordKafkaDeserializer(Map<String, String> topicFormats, String defaultFormat, int maxRecordBytes) {
        Objects.requireNonNull(topicFormats, "topicFormats");
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be at least 1, got " + maxRecordBytes);
        }
        topicFormats.forEach((topic, format) -> {
            if (topic == null || topic.isBlank() || format == null || format.isBlank()) {
                throw new IllegalArgumentException(
                        "topic formats need a topic and a format name, got " + topic + " -> " + format);
            }
        });
        this.topicFormats = new HashMap<>(topicFormats);
        this.defaultFormat = defaultFormat == null || defaultFormat.isBlank() ? UNKNOWN_FORMAT : defaultFormat;
        this.maxRecordBytes = maxRecordBytes;
        this.topicHeaders = new HashMap<>();
    }

    private RawRecordKafkaDeserializer(RawRecordKafkaDeserializer base, Map<String, String> topicHeaders) {
        this.topicFormats = base.topicFormats;
        this.defaultFormat = base.defaultFormat;
        this.maxRecordBytes = base.maxRecordBytes;
        this.topicHeaders = new HashMap<>(topicHeaders);
    }

    /**
     * This deserializer, giving the records of each topic of {@code topicHeaders} that header
     * ({@link RawRecord#header()}); the decoder of the topic's format says what it means.
     */
    public RawRecordKafkaDeserializer withHeaders(Map<String, String> topicHeaders) {
        Objects.requireNonNull(topicHeaders, "topicHeaders");
        topicHeaders.forEach((topic, header) -> {
            if (topic == null || topic.isBlank() || header == null || header.isBlank()) {
                throw new IllegalArgumentException("topic headers need a topic and a header, got " + topic + " -> "
                        + header);
            }
        });
        return new RawRecordKafkaDeserializer(this, topicHeaders);
    }

    /** The header of a topic's records, or {@code null}. */
    public String headerOf(String topic) {
        return topicHeaders.get(topic);
    }

    /** The topics with a format of their own. */
    public Map<String, String> topicFormats() {
        return Map.copyOf(topicFormats);
    }

    public String formatOf(String topic) {
        return topicFormats.getOrDefault(topic, defaultFormat);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
        out.collect(toRawRecord(record));
    }

    /** The raw record for one Kafka record. */
    public RawRecord toRawRecord(ConsumerRecord<byte[], byte[]> record) {
        byte[] value = record.value();
        byte[] bytes = value == null ? EMPTY : value;
        long truncatedFrom = -1;
        if (bytes.length > maxRecordBytes) {
            truncatedFrom = bytes.length;
            bytes = Arrays.copyOf(bytes, maxRecordBytes);
        }
        Instant referenceTime = record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : null;
        return new RawRecord(
                bytes,
                Origin.kafka(record.topic(), record.partition(), record.offset()),
                formatOf(record.topic()),
                headerOf(record.topic()),
                referenceTime,
                truncatedFrom);
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }
}
