package io.vigil.jobs.live;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * A control topic of Vigil's (rule bundles, context tables): one partition (records apply in topic
 * order), compacted (the latest record of each key is kept as long as the topic lives, so a job
 * started without a checkpoint reads everything in force), written one acknowledged record at a
 * time. What the rules and the context control topics share.
 *
 * @param client the Kafka client properties (security options included)
 * @param topic the topic's name
 * @param maxRecordBytes the largest record it takes
 * @param what what it is, for messages ({@code rules control topic})
 * @param compress whether records are sent gzip-compressed (large tables)
 */
public record CompactedTopic(Properties client, String topic, int maxRecordBytes, String what, boolean compress) {

    private static final Logger LOG = LoggerFactory.getLogger(CompactedTopic.class);
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int PREFERRED_REPLICAS = 3;

    /** The topic and what it is, never the client properties: they may hold a resolved password. */
    @Override
    public String toString() {
        return "CompactedTopic[" + topic + ", " + what + ", bootstrap.servers=" + client.getProperty("bootstrap.servers")
                + "]";
    }

    /**
     * Creates the topic if it is absent, with as many replicas as the cluster has brokers, up to
     * three. Returns whether it was created.
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
                    "max.message.bytes", String.valueOf(maxRecordBytes),
                    // with three replicas, an acknowledged record survives losing one broker
                    "min.insync.replicas", String.valueOf(Math.max(1, replicas - 1))));
            try {
                admin.createTopics(List.of(t)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    return false; // another command created it meanwhile
                }
                throw e;
            }
            LOG.info("created the {} {} ({} replica(s), compacted)", what, topic, replicas);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot create the " + what + " " + topic + ": " + cause(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating the " + what + " " + topic, e);
        }
    }

    /** Writes one record (creating the topic if absent), waits for every in-sync replica, returns its offset. */
    public long write(byte[] key, byte[] value) throws IOException {
        ensureExists();
        Properties p = new Properties();
        p.putAll(client);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("max.request.size", String.valueOf(maxRecordBytes));
        if (compress) {
            p.put("compression.type", "gzip");
        }
        p.put("delivery.timeout.ms", String.valueOf(TIMEOUT.toMillis()));
        p.put("request.timeout.ms", String.valueOf(TIMEOUT.toMillis() / 2));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            RecordMetadata m = producer.send(new ProducerRecord<>(topic, key, value))
                    .get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            return m.offset();
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot write to the " + what + " " + topic + ": " + cause(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing to the " + what + " " + topic, e);
        }
    }

    static String cause(Exception e) {
        Throwable c = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }
}
