package io.vigil.jobs.context;

import io.vigil.connectors.kafka.KafkaSettings;
import io.vigil.context.ContextUpdate;
import io.vigil.jobs.live.CompactedTopic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Properties;
import java.util.function.UnaryOperator;

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
     * without a checkpoint reads every table in force). Returns whether it was created.
     */
    public boolean ensureExists() throws IOException {
        return compacted().ensureExists();
    }

    /** Writes {@code update} under its key (creating the topic if absent), waits for its acknowledgement, returns its offset. */
    public long write(ContextUpdate update) throws IOException {
        if (update.body().length > MAX_BODY_BYTES) {
            throw new IOException("a context table is at most " + MAX_BODY_BYTES + " bytes on the control topic, "
                    + update.key() + " has " + update.body().length);
        }
        return compacted().write(update.key().getBytes(StandardCharsets.UTF_8), update.toJson());
    }

    private CompactedTopic compacted() {
        return new CompactedTopic(client, topic, MAX_RECORD_BYTES, "context control topic", true);
    }
}
