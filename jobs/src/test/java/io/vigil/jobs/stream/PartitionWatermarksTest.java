package io.vigil.jobs.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.connectors.kafka.KafkaSettings;
import io.vigil.connectors.kafka.VigilKafka;
import io.vigil.formats.DecoderOptions;
import io.vigil.jobs.VigilJob;
import io.vigil.jobs.detect.DetectionSettings;
import io.vigil.localstack.LocalKafka;
import io.vigil.model.Alert;
import io.vigil.model.DeadLetter;
import io.vigil.model.RawRecord;
import io.vigil.rules.RuleSource;
import io.vigil.rules.verify.RuleSet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Watermarks per Kafka partition: one subtask reads several partitions of a real topic, one of them
 * far ahead in event time; the streaming job still gives exactly the alerts of a replay (batch mode)
 * of the same records, where the old watermark of the subtask (the maximum over its interleaved
 * partitions) made the records of the slower partition late and dropped them. And a partition that
 * goes quiet stops holding back the others' alerts after the idle timeout.
 */
class PartitionWatermarksTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    private static final String DRL = """
            package test.watermarks;
            import io.vigil.model.SecurityEvent;
            import io.vigil.rules.Signal;
            rule "five-failures"
                @name("Five failures") @description("5 failures in 60 s") @severity("medium") @riskScore(40)
                @tactics("TA0006") @techniques("T1110") @shape("threshold") @groupBy("source.ip")
                @window("60s") @threshold(5)
            when
                $e : SecurityEvent(eventOutcome == "failure")
            then
                insert(new Signal($e));
            end
            """;

    private static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");
    private static final Duration OUT_OF_ORDERNESS = Duration.ofMillis(500);
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    /** Alerts by id per run, as an index that overwrites by id holds them. */
    static final Map<String, Map<String, Alert>> ALERTS = new ConcurrentHashMap<>();
    static final Map<String, List<DeadLetter>> DEAD = new ConcurrentHashMap<>();

    private static LocalKafka kafka;
    private static RuleSet rules;

    @BeforeAll
    static void start() {
        kafka = LocalKafka.start();
        rules = RuleSet.verified(List.of(new RuleSource("test/watermarks.drl", DRL)));
        assertThat(rules.problems()).isEmpty();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static String login(Instant at, String ip, String outcome) {
        return "{\"@timestamp\":\"" + at + "\",\"event\":{\"action\":\"login\",\"outcome\":\"" + outcome
                + "\"},\"source\":{\"ip\":\"" + ip + "\"}}";
    }

    /** Five failures of {@code ip} a second apart from {@code from}. */
    private static List<String> fiveFailures(Instant from, String ip) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            lines.add(login(from.plusSeconds(i), ip, "failure"));
        }
        return lines;
    }

    private static void write(String topic, int partition, List<String> lines) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (String line : lines) {
                producer.send(new ProducerRecord<>(topic, partition, null, line.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    private static KafkaSourceBuilder<RawRecord> source(String topic, String group) {
        return VigilKafka.rawSource(KafkaSettings.plaintext(kafka.bootstrapServers()), group, Map.of(topic, "ecs"),
                Map.of(), 1 << 20);
    }

    private static StreamExecutionEnvironment env(RuntimeExecutionMode mode) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(mode);
        // one subtask reads every partition
        env.setParallelism(1);
        // watermarks emitted often: the old per-subtask watermark ran ahead before the next records came
        env.getConfig().setAutoWatermarkInterval(10);
        return env;
    }

    /** The topology of the streaming job over {@code source}, alerts and dead letters stored under {@code run}. */
    private static void build(StreamExecutionEnvironment env, KafkaSource<RawRecord> source, String run,
                              DetectionSettings detection) {
        ALERTS.put(run, new ConcurrentHashMap<>());
        DEAD.put(run, java.util.Collections.synchronizedList(new ArrayList<>()));
        new VigilJob(source, "kafka " + run, DecoderOptions.defaults())
                .watermarksPerPartition()
                .deadLetters(VigilJob.Output.of(new DeadStore(run), "dead letters", "dead-letters"))
                .detect(detection, List.of(VigilJob.Output.of(new AlertStore(run), "alerts", "alerts")))
                .build(env);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static List<String> groupKeys(Map<String, Alert> alerts) {
        return alerts.values().stream().map(Alert::groupKey).sorted().toList();
    }

    @Test
    void aPartitionFarAheadDoesNotMakeTheOthersLate() throws Exception {
        String topic = "watermarks-ahead";
        kafka.createTopics(2, topic);
        // partition 0 is an hour ahead of partition 1 in event time; a line that is no JSON on each
        List<String> ahead1 = new ArrayList<>(fiveFailures(T0.plusSeconds(3600), "203.0.113.1"));
        ahead1.add("not json at all");
        ahead1.add(login(T0.plusSeconds(3600 + 120), "203.0.113.9", "success"));
        List<String> behind1 = new ArrayList<>(fiveFailures(T0, "198.51.100.3"));
        behind1.add(login(T0.plusSeconds(120), "198.51.100.9", "success"));
        // after partition 1's first window alerted: more of both, partition 1 still an hour behind
        List<String> ahead2 = List.of(login(T0.plusSeconds(3600 + 180), "203.0.113.9", "success"));
        // four failures, then two arriving 400 ms out of order across the window's end: in event-time order
        // the window of the first holds five (the alert's id names its first event); applied in arrival
        // order, as late records are, the first has left the window when the fifth comes
        List<String> behind2 = new ArrayList<>(fiveFailures(T0.plusSeconds(180), "198.51.100.2").subList(0, 4));
        behind2.add(login(T0.plusSeconds(180 + 60).plusMillis(300), "198.51.100.2", "failure"));
        behind2.add(login(T0.plusSeconds(180 + 59).plusMillis(900), "198.51.100.2", "failure"));
        behind2.add("{\"@timestamp\":");
        behind2.add(login(T0.plusSeconds(300), "198.51.100.9", "success"));
        write(topic, 0, ahead1);
        write(topic, 1, behind1);

        Map<TopicPartition, Long> ends = Map.of(new TopicPartition(topic, 0), (long) (ahead1.size() + ahead2.size()),
                new TopicPartition(topic, 1), (long) (behind1.size() + behind2.size()));
        StreamExecutionEnvironment env = env(RuntimeExecutionMode.STREAMING);
        // bounded at the offsets written below: the job ends, with the final watermark, when it read them all
        build(env, source(topic, "stream").setBounded(OffsetsInitializer.offsets(ends)).build(), "stream",
                DetectionSettings.of(rules, OUT_OF_ORDERNESS, Duration.ofHours(1)).withIdleTimeout(Duration.ofMinutes(10)));
        JobClient job = env.executeAsync("partition watermarks, streaming");
        Map<String, Alert> streamed = ALERTS.get("stream");
        await("the alert of partition 1's first window", () -> groupKeys(streamed).contains("198.51.100.3"));
        write(topic, 0, ahead2);
        write(topic, 1, behind2);
        job.getJobExecutionResult().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

        // the same records replayed: bounded, batch mode, where watermarks wait for the end of input
        StreamExecutionEnvironment batch = env(RuntimeExecutionMode.BATCH);
        build(batch, source(topic, "replay").setBounded(OffsetsInitializer.latest()).build(), "replay",
                DetectionSettings.of(rules, OUT_OF_ORDERNESS, Duration.ofHours(1)));
        batch.execute("partition watermarks, replay");
        Map<String, Alert> replayed = ALERTS.get("replay");

        assertThat(groupKeys(replayed)).containsOnly("198.51.100.2", "198.51.100.3", "203.0.113.1")
                .contains("198.51.100.2", "198.51.100.3", "203.0.113.1");
        assertThat(new TreeMap<>(streamed)).isEqualTo(new TreeMap<>(replayed));
        for (String run : List.of("stream", "replay")) {
            assertThat(DEAD.get(run)).as(run).extracting(DeadLetter::raw)
                    .containsExactlyInAnyOrder("not json at all", "{\"@timestamp\":");
            assertThat(DEAD.get(run)).as(run).extracting(DeadLetter::kind).containsOnly(DeadLetter.DECODE);
            assertThat(DEAD.get(run)).as(run).extracting(DeadLetter::reason).doesNotContainNull();
        }
    }

    @Test
    void aQuietPartitionStopsHoldingBackTheOthersAfterTheIdleTimeout() throws Exception {
        String topic = "watermarks-idle";
        kafka.createTopics(2, topic);
        List<String> busy = new ArrayList<>(fiveFailures(T0, "198.51.100.7"));
        busy.add(login(T0.plusSeconds(120), "198.51.100.9", "success"));
        write(topic, 0, busy);
        // partition 1: one early event, then nothing; without idleness its watermark stays before the window's end
        write(topic, 1, List.of(login(T0, "192.0.2.1", "success")));

        StreamExecutionEnvironment env = env(RuntimeExecutionMode.STREAMING);
        build(env, source(topic, "idle").build(), "idle",
                DetectionSettings.of(rules, OUT_OF_ORDERNESS, Duration.ofHours(1)).withIdleTimeout(Duration.ofMillis(500)));
        JobClient job = env.executeAsync("partition watermarks, idle partition");
        try {
            Map<String, Alert> alerts = ALERTS.get("idle");
            // partition 0 stays busy (a success a second of event time, no alert) while partition 1 is quiet
            int[] second = {0};
            await("the busy partition's alert", () -> {
                write(topic, 0, List.of(login(T0.plusSeconds(121 + second[0]++), "198.51.100.9", "success")));
                return !alerts.isEmpty();
            });
            assertThat(groupKeys(alerts)).containsExactly("198.51.100.7");
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
            await("the job to end", () -> {
                try {
                    return job.getJobStatus().get().isGloballyTerminalState();
                } catch (Exception e) {
                    return true;
                }
            });
        }
    }

    /** Stores alerts by id in {@link #ALERTS} under its run. */
    static final class AlertStore implements Sink<Alert> {
        private final String run;

        AlertStore(String run) {
            this.run = run;
        }

        @Override
        public SinkWriter<Alert> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(Alert alert, Context ctx) {
                    ALERTS.get(run).put(alert.id(), alert);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }

    /** Keeps dead letters in {@link #DEAD} under its run. */
    static final class DeadStore implements Sink<DeadLetter> {
        private final String run;

        DeadStore(String run) {
            this.run = run;
        }

        @Override
        public SinkWriter<DeadLetter> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(DeadLetter letter, Context ctx) {
                    DEAD.get(run).add(letter);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
