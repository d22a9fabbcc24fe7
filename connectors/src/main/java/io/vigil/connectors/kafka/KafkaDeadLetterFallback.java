package io.vigil.connectors.kafka;

import io.vigil.connectors.elasticsearch.BulkDocument;
import io.vigil.connectors.elasticsearch.DeadLetterRejectedHandler;
import io.vigil.connectors.elasticsearch.ElasticsearchFallback;
import io.vigil.model.DeadLetter;
import io.vigil.model.EcsJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The {@link ElasticsearchFallback} of the streaming job: each document Elasticsearch did not
 * store becomes a {@link DeadLetter#ELASTICSEARCH} dead letter on the Kafka dead-letter topic,
 * written with {@code acks=all} and idempotence. {@link #flush()} waits for every record's
 * acknowledgement, so the sink's send (and so a checkpoint) completes only once Kafka has them.
 *
 * <p>The record value is the dead letter's JSON ({@link EcsJson#write(DeadLetter)}): raw = the
 * refused source, origin = {@code elasticsearch} / target index, reason = status, error type and
 * Elasticsearch's reason. The key is {@code index/id}, so consumers can tell a document refused
 * again after a restore from a new one. A source too large for one record keeps its first bytes
 * ({@code raw.bytes} gives the whole length) so that the record stays under
 * {@link #DEFAULT_MAX_RECORD_BYTES} (Kafka's default limit is 1 MiB).
 */
public final class KafkaDeadLetterFallback implements ElasticsearchFallback {

    private static final long serialVersionUID = 1L;

    /** Largest record value written: under the 1 MiB producer and broker defaults, with room for the key. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 900_000;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaSettings settings;
    private final String topic;
    private final int maxRecordBytes;

    private transient Producer<byte[], byte[]> producer;
    private transient List<Future<RecordMetadata>> unacknowledged;

    public KafkaDeadLetterFallback(KafkaSettings settings, String topic) {
        this(settings, topic, DEFAULT_MAX_RECORD_BYTES);
    }

    public KafkaDeadLetterFallback(KafkaSettings settings, String topic, int maxRecordBytes) {
        if (settings == null) {
            throw new IllegalArgumentException("the Kafka fallback needs Kafka settings");
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("the Kafka fallback needs a dead-letter topic");
        }
        if (maxRecordBytes < 1024) {
            throw new IllegalArgumentException("maxRecordBytes must be at least 1024, got " + maxRecordBytes);
        }
        this.settings = settings;
        this.topic = topic;
        this.maxRecordBytes = maxRecordBytes;
    }

    public String topic() {
        return topic;
    }

    @Override
    public void open() {
        Properties p = settings.toProperties();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(p);
        unacknowledged = new ArrayList<>();
    }

    @Override
    public void send(BulkDocument document, String reason) throws IOException {
        byte[] key = (document.index() + "/" + document.id()).getBytes(StandardCharsets.UTF_8);
        try {
            unacknowledged.add(producer.send(new ProducerRecord<>(topic, key, value(document, reason, maxRecordBytes))));
        } catch (KafkaException e) {
            throw new IOException("cannot hand " + document + " to Kafka topic " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void flush() throws IOException {
        producer.flush();
        try {
            for (Future<RecordMetadata> f : unacknowledged) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IOException("Kafka topic " + topic + " did not take the documents Elasticsearch refused: "
                    + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for Kafka topic " + topic);
        } finally {
            unacknowledged.clear();
        }
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(CLOSE_TIMEOUT);
            producer = null;
        }
    }

    @Override
    public String describe() {
        return "Kafka topic " + topic;
    }

    /** The dead letter's JSON, its raw part cut until the whole fits in {@code maxBytes}. */
    static byte[] value(BulkDocument document, String reason, int maxBytes) {
        int keep = Math.min(document.source().length, maxBytes);
        while (true) {
            byte[] json = EcsJson.write(DeadLetterRejectedHandler.letter(document, reason, keep))
                    .getBytes(StandardCharsets.UTF_8);
            if (json.length <= maxBytes || keep == 0) {
                return json;
            }
            // escaping can make the JSON several times longer than the bytes it holds
            keep = keep / 2;
        }
    }
}
