package io.vigil.model;

import java.util.Objects;

/**
 * Where a raw record came from, kept on every event and dead letter as evidence.
 *
 * <p>For a file, {@code source} is the path as given on the command line, {@code partition} is
 * {@code null} and {@code offset} is the 1-based line (or JSON record) number; for a Windows event
 * log file ({@code .evtx}, a binary format without lines) it is the byte offset of the record, or of
 * the damaged chunk, in the file. For Kafka,
 * {@code source} is the topic, {@code partition} the partition and {@code offset} the record
 * offset.
 *
 * @param kind {@link #FILE}, {@link #KAFKA} or {@link #WEBHOOK}
 * @param source file path or topic name
 * @param partition Kafka partition, {@code null} for files
 * @param offset line/record number in a file, or Kafka offset
 */
public record Origin(String kind, String source, Integer partition, long offset) {

    public static final String FILE = "file";
    public static final String KAFKA = "kafka";
    /** A webhook delivery given up: {@code source} is {@code endpoint/idempotency-key}, {@code offset} the attempts made. */
    public static final String WEBHOOK = "webhook";

    public Origin {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
    }

    public static Origin file(String path, long lineNumber) {
        return new Origin(FILE, path, null, lineNumber);
    }

    public static Origin kafka(String topic, int partition, long offset) {
        return new Origin(KAFKA, topic, partition, offset);
    }

    public static Origin webhook(String endpoint, String idempotencyKey, int attempts) {
        return new Origin(WEBHOOK, endpoint + "/" + idempotencyKey, null, attempts);
    }

    /** A short human form: {@code path:line} or {@code topic/partition@offset}. */
    @Override
    public String toString() {
        if (WEBHOOK.equals(kind)) {
            return "webhook:" + source;
        }
        return FILE.equals(kind) ? source + ":" + offset : source + "/" + partition + "@" + offset;
    }
}
