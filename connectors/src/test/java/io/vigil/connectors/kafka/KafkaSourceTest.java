package io.vigil.connectors.kafka;

import io.vigil.localstack.LocalKafka;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Raw lines produced to real topics come out of the Flink Kafka source as raw records. */
@Timeout(120)
class KafkaSourceTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final long T0 = Instant.parse("2024-03-01T10:00:00Z").toEpochMilli();
    private static final String SYSLOG = "src.raw.syslog";
    private static final String WINDOWS = "src.raw.windows";
    private static final String STRAY = "src.raw.stray";

    private static LocalKafka kafka;

    @BeforeAll
    static void produce() throws Exception {
        kafka = SharedKafka.get();
        kafka.createTopics(2, SYSLOG);
        kafka.createTopics(1, WINDOWS, STRAY);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            // syslog: 2 partitions, 3 lines each, explicit partitions so offsets are known
            for (int i = 0; i < 6; i++) {
                producer.send(new ProducerRecord<>(SYSLOG, i % 2, T0 + i, null, utf8("syslog line " + i)));
            }
            producer.send(new ProducerRecord<>(WINDOWS, 0, T0 + 100, null, utf8("{\"EventID\":4625}")));
            byte[] big = new byte[70_000];
            Arrays.fill(big, (byte) 'x');
            producer.send(new ProducerRecord<>(WINDOWS, 0, T0 + 101, null, big));
            producer.send(new ProducerRecord<>(WINDOWS, 0, T0 + 102, (byte[]) null, (byte[]) null));
            producer.send(new ProducerRecord<>(STRAY, 0, T0 + 200, null, utf8("who am i")));
            producer.flush();
        }
    }

    @Test
    void readsEveryRecordWithItsFormatOriginAndTime() throws Exception {
        var deserializer = new RawRecordKafkaDeserializer(
                Map.of(SYSLOG, "syslog", WINDOWS, "windows"), null, 64 * 1024);
        KafkaSource<RawRecord> source = VigilKafka.rawSource(
                        KafkaSettings.plaintext(kafka.bootstrapServers()),
                        "test-all",
                        List.of(SYSLOG, WINDOWS, STRAY),
                        deserializer)
                .setBounded(OffsetsInitializer.latest())
                .build();
        List<RawRecord> records = run(source);

        assertThat(records).hasSize(10);
        List<RawRecord> syslog = records.stream()
                .filter(r -> r.origin().source().equals(SYSLOG))
                .sorted(Comparator.comparing((RawRecord r) -> r.origin().partition())
                        .thenComparing(r -> r.origin().offset()))
                .toList();
        assertThat(syslog).hasSize(6).allSatisfy(r -> {
            assertThat(r.format()).isEqualTo("syslog");
            assertThat(r.truncated()).isFalse();
            assertThat(r.header()).isNull();
        });
        // partition 0 holds lines 0, 2, 4 at offsets 0, 1, 2; partition 1 holds 1, 3, 5
        for (int p = 0; p < 2; p++) {
            for (int o = 0; o < 3; o++) {
                RawRecord r = syslog.get(p * 3 + o);
                int line = o * 2 + p;
                assertThat(r.origin()).isEqualTo(Origin.kafka(SYSLOG, p, o));
                assertThat(text(r)).isEqualTo("syslog line " + line);
                assertThat(r.referenceTime()).isEqualTo(Instant.ofEpochMilli(T0 + line));
            }
        }

        RawRecord windows = byOrigin(records, WINDOWS, 0);
        assertThat(windows.format()).isEqualTo("windows");
        assertThat(text(windows)).isEqualTo("{\"EventID\":4625}");
        assertThat(windows.referenceTime()).isEqualTo(Instant.ofEpochMilli(T0 + 100));

        RawRecord big = byOrigin(records, WINDOWS, 1);
        assertThat(big.truncated()).isTrue();
        assertThat(big.truncatedFrom()).isEqualTo(70_000);
        assertThat(big.bytes()).hasSize(64 * 1024);
        assertThat(big.format()).isEqualTo("windows");

        RawRecord empty = byOrigin(records, WINDOWS, 2);
        assertThat(empty.bytes()).isEmpty();
        assertThat(empty.truncated()).isFalse();
        assertThat(empty.referenceTime()).isEqualTo(Instant.ofEpochMilli(T0 + 102));

        RawRecord stray = byOrigin(records, STRAY, 0);
        assertThat(stray.format()).isEqualTo(RawRecordKafkaDeserializer.UNKNOWN_FORMAT);
        assertThat(text(stray)).isEqualTo("who am i");
        assertThat(stray.origin().toString()).isEqualTo(STRAY + "/0@0");
    }

    @Test
    void topicFormatMapSubscribesToItsTopicsAndDefaultFormatCoversOthers() throws Exception {
        KafkaSource<RawRecord> mapped = VigilKafka.rawSource(
                        KafkaSettings.plaintext(kafka.bootstrapServers()), "test-mapped", Map.of(WINDOWS, "windows"),
                        Map.of(), 64 * 1024)
                .setBounded(OffsetsInitializer.latest())
                .build();
        assertThat(run(mapped)).hasSize(3).allSatisfy(r -> assertThat(r.format()).isEqualTo("windows"));

        var withDefault = new RawRecordKafkaDeserializer(Map.of(), "syslog", 8);
        KafkaSource<RawRecord> stray = VigilKafka.rawSource(
                        KafkaSettings.plaintext(kafka.bootstrapServers()), "test-default", List.of(STRAY), withDefault)
                .setBounded(OffsetsInitializer.latest())
                .build();
        List<RawRecord> records = run(stray);
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.format()).isEqualTo("syslog");
            assertThat(text(r)).isEqualTo("who am i"); // exactly 8 bytes: not over the limit
            assertThat(r.truncated()).isFalse();
        });
    }

    @Test
    void aTopicsHeaderComesWithEveryRecordOfThatTopicOnlyAndTheSizeLimitWithEveryRecord() throws Exception {
        String zeek = "src.raw.zeek";
        kafka.createTopics(1, zeek);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(zeek, 0, T0, null, utf8("1692161622.5\tC1"))).get();
            producer.send(new ProducerRecord<>(zeek, 0, T0 + 1, null, utf8("1692161623.5\tC2"))).get();
        }
        String header = "#separator \\x09\n#path\tconn\n#fields\tts\tuid";
        KafkaSource<RawRecord> source = VigilKafka.rawSource(KafkaSettings.plaintext(kafka.bootstrapServers()),
                        "test-headers", Map.of(zeek, "zeek", STRAY, "syslog"), Map.of(zeek, header), 12)
                .setBounded(OffsetsInitializer.latest())
                .build();
        List<RawRecord> records = run(source);
        assertThat(records).hasSize(3);
        assertThat(records.stream().filter(r -> r.origin().source().equals(zeek)))
                .hasSize(2)
                .allSatisfy(r -> {
                    assertThat(r.format()).isEqualTo("zeek");
                    assertThat(r.header()).isEqualTo(header);
                    // and the source's size limit: 15 bytes, 12 kept
                    assertThat(r.truncatedFrom()).isEqualTo(15);
                    assertThat(r.bytes()).hasSize(12);
                });
        assertThat(byOrigin(records, STRAY, 0).header()).isNull();
        assertThat(byOrigin(records, STRAY, 0).truncated()).isFalse();
    }

    @Test
    void headersNeedATopicAndText() {
        var deserializer = new RawRecordKafkaDeserializer(Map.of("z", "zeek"), null, 1024);
        assertThat(deserializer.headerOf("z")).isNull();
        assertThat(deserializer.withHeaders(Map.of("z", "#fields\tts")).headerOf("z")).isEqualTo("#fields\tts");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> deserializer.withHeaders(Map.of("z", " ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("z -> ");
    }

    private static List<RawRecord> run(KafkaSource<RawRecord> source) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        List<RawRecord> out = new ArrayList<>();
        try (CloseableIterator<RawRecord> it = env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka")
                .executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    private static RawRecord byOrigin(List<RawRecord> records, String topic, long offset) {
        return records.stream()
                .filter(r -> r.origin().equals(Origin.kafka(topic, 0, offset)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no record from " + topic + "/0@" + offset));
    }

    private static String text(RawRecord r) {
        return new String(r.bytes(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
