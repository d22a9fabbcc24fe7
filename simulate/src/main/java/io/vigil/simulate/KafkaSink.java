package io.vigil.simulate;

import java.io.IOException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends each record, as its value (no key), to {@code <prefix><format>} ({@code vigil.raw.syslog},
 * …) with its event time as the Kafka timestamp, which consumers use to place year-less syslog
 * timestamps. The first delivery failure fails the next write (and {@link #close}).
 */
public final class KafkaSink implements RecordSink {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String bootstrap;
    private final String prefix;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public KafkaSink(String bootstrap, String topicPrefix) {
        this.bootstrap = bootstrap;
        this.prefix = topicPrefix;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-simulate");
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // fail in seconds, not minutes, when there is no broker
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        try {
            this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        } catch (KafkaException e) {
            throw new IllegalArgumentException("cannot create a Kafka producer for " + bootstrap + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }

    /** The topic of {@code format}. */
    public String topic(String format) {
        return prefix + format;
    }

    @Override
    public void write(GeneratedRecord record) throws IOException {
        check();
        try {
            producer.send(new ProducerRecord<>(topic(record.format()), null, record.time().toEpochMilli(), null,
                    record.bytes()), (metadata, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
        } catch (KafkaException e) {
            throw new IOException("cannot send to Kafka at " + bootstrap + ": " + e.getMessage(), e);
        }
    }

    private void check() throws IOException {
        Exception e = failure.get();
        if (e != null) {
            throw new IOException("Kafka at " + bootstrap + " did not accept a record: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            producer.flush();
        } finally {
            producer.close();
        }
        check();
    }

    @Override
    public String describe() {
        return "Kafka " + bootstrap + " topics " + topic(GeneratedRecord.SYSLOG) + ", " + topic(GeneratedRecord.WINDOWS)
                + ", " + topic(GeneratedRecord.ACCESS);
    }
}
