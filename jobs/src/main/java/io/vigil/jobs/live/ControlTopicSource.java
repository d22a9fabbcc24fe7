package io.vigil.jobs.live;

import io.vigil.connectors.kafka.KafkaSettings;
import java.io.IOException;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The rules control topic as a {@link ControlFeed}: a Kafka source read from the earliest offset
 * (a job that starts without a checkpoint replays the whole bundle history and ends with the packs
 * in force; a restored job resumes at its checkpoint's offsets, its broadcast state holding the
 * packs). Records are passed on raw; the {@link BundleGate} reads and refuses them.
 */
public final class ControlTopicSource implements ControlFeed {

    /** Stable operator id of the source. */
    public static final String UID = "rules-control-source";

    private final KafkaSettings settings;
    private final String topic;
    private final String groupId;

    public ControlTopicSource(KafkaSettings settings, String topic, String groupId) {
        this.settings = settings;
        this.topic = topic;
        this.groupId = groupId;
    }

    @Override
    public org.apache.flink.streaming.api.datastream.DataStream<ControlInput> open(
            org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env) {
        KafkaSource<ControlInput> source = KafkaSource.<ControlInput>builder()
                .setProperties(settings.toProperties())
                .setBootstrapServers(settings.bootstrapServers())
                .setGroupId(groupId)
                .setTopics(topic)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new Deserializer())
                .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "rules control topic")
                .uid(UID).setParallelism(1);
    }

    private static final class Deserializer implements KafkaRecordDeserializationSchema<ControlInput> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ControlInput> out) throws IOException {
            out.collect(new ControlInput(record.topic() + "/" + record.partition(), record.offset(),
                    record.value() == null ? new byte[0] : record.value()));
        }

        @Override
        public TypeInformation<ControlInput> getProducedType() {
            return TypeInformation.of(ControlInput.class);
        }
    }
}
