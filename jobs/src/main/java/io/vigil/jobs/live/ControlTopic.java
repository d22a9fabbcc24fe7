package io.vigil.jobs.live;

import io.vigil.connectors.kafka.KafkaSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules control topic as the {@code vigil rules} commands use it: created when absent,
 * written one {@link ControlRecord} at a time (acknowledged by every in-sync replica before the
 * command says it is done), and read whole, in order, to know the history.
 *
 * <p>The topic has ONE partition: the job applies records in topic order, and the history is the
 * order. It is compacted, never deleted by age, and every record has its own key, so compaction
 * keeps every record: the topic is the audit trail of who made what live, and the store of every
 * bundle a rollback may need.
 */
public final class ControlTopic {

    /** Largest record: a bundle is at most {@code RuleBundle.MAX_BYTES} unpacked, far less zipped. */
    public static final int MAX_RECORD_BYTES = 16 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(ControlTopic.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Properties client;
    private final String topic;

    /**
     * @param kafka the cluster (security options included)
     * @param topic the topic name ({@code rules.control-topic})
     * @param env where the secrets {@code kafka} names are read
     */
    public ControlTopic(KafkaSettings kafka, String topic, UnaryOperator<String> env) {
        this.client = kafka.toProperties(env);
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    public String topic() {
        return topic;
    }

    /**
     * Creates the topic if it is absent: one partition, compacted, records up to 16 MiB, as many
     * replicas as the cluster has brokers, up to three. Returns whether it was created.
     */
    public boolean ensureExists() throws IOException {
        return compacted().ensureExists();
    }

    /** Writes {@code record} (creating the topic if absent), waits for its acknowledgement, returns its offset. */
    public long write(ControlRecord record) throws IOException {
        return compacted().write(record.id().getBytes(StandardCharsets.UTF_8), record.toJson());
    }

    private CompactedTopic compacted() {
        return new CompactedTopic(client, topic, MAX_RECORD_BYTES, "rules control topic", false);
    }

    /**
     * Every record of the topic from the beginning up to its end at the time of the call, in topic
     * order; empty when the topic does not exist. A record that is not a control record (written
     * by something else) is skipped with a warning: it cannot be part of the history.
     */
    public List<ControlRecord> readAll() throws IOException {
        Properties p = new Properties();
        p.putAll(client);
        p.put("enable.auto.commit", "false");
        p.put("allow.auto.create.topics", "false");
        p.put("max.partition.fetch.bytes", String.valueOf(MAX_RECORD_BYTES + (1 << 20)));
        p.put("fetch.max.bytes", String.valueOf(MAX_RECORD_BYTES + (1 << 20)));
        p.put("isolation.level", "read_committed");
        List<ControlRecord> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            if (!consumer.listTopics(TIMEOUT).containsKey(topic)) {
                return records;
            }
            List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).sorted(
                            java.util.Comparator.comparingInt(TopicPartition::partition)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos() * 4;
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("reading the rules control topic " + topic + " did not reach its end "
                            + end + " in time");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() >= end.getOrDefault(new TopicPartition(r.topic(), r.partition()), 0L)) {
                        continue;
                    }
                    try {
                        records.add(ControlRecord.fromJson(r.value()));
                    } catch (IOException e) {
                        LOG.warn("skipping offset {} of {}: {}", r.offset(), topic, e.getMessage());
                    }
                }
            }
            return records;
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IOException("cannot read the rules control topic " + topic + ": " + e.getMessage(), e);
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), TIMEOUT) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** The topic's configuration as the broker holds it (what {@link #ensureExists()} set). */
    public Map<String, String> describeConfig() throws IOException {
        try (Admin admin = Admin.create(client)) {
            var resource = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
            var config = admin.describeConfigs(Set.of(resource)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(resource);
            Map<String, String> out = new java.util.TreeMap<>();
            config.entries().forEach(c -> out.put(c.name(), c.value()));
            return out;
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot describe the rules control topic " + topic + ": " + CompactedTopic.cause(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
