package io.vigil.jobs.context;

import io.vigil.connectors.kafka.KafkaSettings;
import io.vigil.context.ContextUpdate;
import java.io.IOException;
import java.util.regex.Pattern;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The context control topic as the job's {@link ContextFeed}: read from the earliest offset (a job
 * started without a checkpoint reads the latest table of every key the compacted topic holds; a
 * restored one resumes at its checkpoint's offsets, its broadcast state holding the tables).
 *
 * <p>The topic is subscribed by an exact-name pattern, not by name: a job may start before the
 * first {@code vigil intel push} created the topic, and a missing topic named outright fails the
 * source, while a pattern matching nothing waits and is picked up by partition discovery.
 */
public final class ContextTopicSource implements ContextFeed {

    /** Stable operator id of the source. */
    public static final String UID = "context-control-source";
    /** How often the source looks for the topic (and new partitions) when it is absent. */
    static final String DISCOVERY_INTERVAL_MS = "30000";

    private final KafkaSettings settings;
    private final String topic;
    private final String groupId;

    public ContextTopicSource(KafkaSettings settings, String topic, String groupId) {
        this.settings = settings;
        this.topic = topic;
        this.groupId = groupId;
    }

    public String topic() {
        return topic;
    }

    @Override
    public DataStream<ContextUpdate> open(StreamExecutionEnvironment env) {
        KafkaSource<ContextUpdate> source = KafkaSource.<ContextUpdate>builder()
                .setProperties(settings.toProperties())
                .setBootstrapServers(settings.bootstrapServers())
                .setGroupId(groupId)
                .setTopicPattern(Pattern.compile(Pattern.quote(topic)))
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setProperty("partition.discovery.interval.ms", DISCOVERY_INTERVAL_MS)
                .setProperty("max.partition.fetch.bytes", String.valueOf(ContextTopic.MAX_RECORD_BYTES + (1 << 20)))
                .setProperty("fetch.max.bytes", String.valueOf(ContextTopic.MAX_RECORD_BYTES + (1 << 20)))
                .setDeserializer(new Deserializer())
                .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "context control topic")
                .uid(UID).setParallelism(1);
    }

    /** Reads a record into an update; one that is not (written by something else, damaged) is logged and skipped. */
    static final class Deserializer implements KafkaRecordDeserializationSchema<ContextUpdate> {
        private static final long serialVersionUID = 1L;
        private static final Logger LOG = LoggerFactory.getLogger(ContextTopicSource.class);

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ContextUpdate> out) {
            if (record.value() == null) {
                return; // a tombstone: compaction's delete marker, no table
            }
            try {
                out.collect(ContextUpdate.fromJson(record.value()));
            } catch (IOException e) {
                LOG.warn("skipping offset {} of {}/{}: {}", record.offset(), record.topic(), record.partition(),
                        e.getMessage());
            }
        }

        @Override
        public TypeInformation<ContextUpdate> getProducedType() {
            return TypeInformation.of(ContextUpdate.class);
        }
    }
}
