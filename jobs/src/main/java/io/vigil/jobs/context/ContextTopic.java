package io.vigil.jobs.context;

import io.vigil.connectors.kafka.KafkaSettings;
import io.vigil.context.ContextUpdate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The context control topic ({@code enrich.control-topic}) as {@code vigil intel push} writes it:
 * created when absent (one partition, compacted: the topic keeps the latest table of each
 * {@link ContextUpdate#key()}), written one update at a time, acknowledged by every in-sync replica.
 */
public final class ContextTopic {

    /** Largest record: a table's body in base64 plus its JSON envelope. */
    public static final int MAX_RECORD_BYTES = 64 << 20;
    /** Largest table body a record carries (base64 grows it by a third). */
    public static final int MAX_BODY_BYTES = MAX_RECORD_BYTES / 4 * 3 - (64 << 10);
    private static final Logger LOG = LoggerFactory.getLogger(ContextTopic.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int PREFERRED_REPLICAS = 3;

    private final Properties client;
    private final String topic;

    /**
     * @param kafka the cluster (security options included)
     * @param topic the topic name ({@code enrich.control-topic})
     * @param env where the secrets {@code kafka} names are read
     */
    public ContextTopic(KafkaSettings kafka, String topic, UnaryOperator<String> env) {
        this.client = kafka.toProperties(env);
        this.topic = Objects.requireNonNull(topic, "topic");
        if (topic.isBlank()) {
            throw new IllegalArgumentException("enrich.control-topic is empty: live context tables are off");
        }
    }

    public String topic() {
        return topic;
    }

    /**
     * Creates the topic if it is absent: one partition (updates apply in topic order), compacted
     * (the latest table of each key is kept for as long as the topic lives, so a job started
     * without a checkpoint reads every table in force), as many replicas as the cluster has
     * brokers, up to three. Returns whether it was created.
     */
    public boolean ensureExists() throws IOException {
        try (Admin admin = Admin.create(client)) {
            if (admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).contains(topic)) {
                return false;
            }
            int brokers = admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
            short replicas = (short) Math.max(1, Math.min(PREFERRED_REPLICAS, brokers));
            NewTopic t = new NewTopic(topic, 1, replicas).configs(Map.of(
                    "cleanup.policy", "compact",
                    "max.message.bytes", String.valueOf(MAX_RECORD_BYTES),
                    "min.insync.replicas", String.valueOf(Math.max(1, replicas - 1))));
            try {
                admin.createTopics(List.of(t)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    return false;
                }
                throw e;
            }
            LOG.info("created the context control topic {} ({} replica(s), compacted)", topic, replicas);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot create the context control topic " + topic + ": " + cause(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating the context control topic " + topic, e);
        }
    }

    /** Writes {@code update} under its key (creating the topic if absent), waits for its acknowledgement, returns its offset. */
    public long write(ContextUpdate update) throws IOException {
        if (update.body().length > MAX_BODY_BYTES) {
            throw new IOException("a context table is at most " + MAX_BODY_BYTES + " bytes on the control topic, "
                    + update.key() + " has " + update.body().length);
        }
        ensureExists();
        Properties p = new Properties();
        p.putAll(client);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("max.request.size", String.valueOf(MAX_RECORD_BYTES));
        p.put("compression.type", "gzip");
        p.put("delivery.timeout.ms", String.valueOf(TIMEOUT.toMillis()));
        p.put("request.timeout.ms", String.valueOf(TIMEOUT.toMillis() / 2));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            RecordMetadata m = producer.send(new ProducerRecord<>(topic, update.key().getBytes(StandardCharsets.UTF_8),
                    update.toJson())).get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            return m.offset();
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot write to the context control topic " + topic + ": " + cause(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing to the context control topic " + topic, e);
        }
    }

    private static String cause(Exception e) {
        Throwable c = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }
}
