package io.vigil.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Alert;
import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RulePack;
import io.vigil.rules.verify.RuleSet;
import io.vigil.rules.RuleSource;
import io.vigil.rules.fixtures.LocalCorrelation;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The detection topology on a MiniCluster: events out of order within the bound, at parallelism
 * 2, give exactly the alerts of the same events in order; and a job that fails mid-stream and
 * restores from its last checkpoint writes the same alerts, none lost and none duplicated.
 */
class DetectionJobTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final String DRL = """
            package test.detect;
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
            rule "failures-then-success"
                @name("Failures then success") @description("3 failures then a success in 5 min") @severity("high")
                @riskScore(70) @tactics("TA0006,TA0001") @techniques("T1110") @shape("sequence")
                @groupBy("source.ip") @window("5m") @threshold(3)
            when
                $e : SecurityEvent(eventAction == "login")
            then
                insert(Signal.step($e, "failure".equals($e.eventOutcome()) ? Signal.FIRST : Signal.THEN));
            end
            """;

    static final int EVENTS = 30_000;
    static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");
    /** Events arrive up to 4 s out of order; the job allows 5 s. */
    static final Duration BOUND = Duration.ofSeconds(5);

    /** Alerts by id as a store that overwrites by id would hold them (like Elasticsearch). */
    static final Map<String, Alert> STORE = new ConcurrentHashMap<>();
    static final AtomicLong WRITES = new AtomicLong();
    static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
    static final AtomicBoolean FAILED = new AtomicBoolean();

    private static RuleSet rules;
    private static Map<String, Alert> expected;

    /** Event {@code i}: 40 source addresses, mostly failures, every 13th a success, ±4 s jitter. */
    static SecurityEvent event(long i) {
        String ip = "10.0.0." + (i % 40);
        long base = (i / 40) * 3_000L;
        long jitter = Math.floorMod(i * 7919L, 4_000L);
        return SecurityEvent.builder()
                .timestamp(T0.plusMillis(base + jitter))
                .eventAction("login").eventOutcome(i % 13 == 0 ? "success" : "failure")
                .sourceIp(ip).userName("user" + (i % 7))
                .origin(Origin.kafka("auth", 0, i))
                .build();
    }

    @BeforeAll
    static void expectedFromLocalCorrelation() {
        rules = RuleSet.verified(List.of(new RuleSource("test/detect.drl", DRL)));
        assertThat(rules.problems()).isEmpty();
        List<SecurityEvent> events = new ArrayList<>();
        for (long i = 0; i < EVENTS; i++) {
            events.add(event(i));
        }
        RulePack pack = RulePack.compile(rules.sources());
        expected = new TreeMap<>();
        for (Alert a : LocalCorrelation.run(pack, pack.newEvaluator(), events)) {
            expected.put(a.id(), a);
        }
        assertThat(expected.values()).extracting(Alert::ruleId).contains("five-failures", "failures-then-success");
    }

    @BeforeEach
    void reset() {
        STORE.clear();
        WRITES.set(0);
        CHECKPOINTED.set(false);
        FAILED.set(false);
    }

    private StreamExecutionEnvironment env(boolean failOnce) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, failOnce ? "fixed-delay" : "none");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(100);
        return env;
    }

    private void run(boolean failOnce, double eventsPerSecond) throws Exception {
        StreamExecutionEnvironment env = env(failOnce);
        DataGeneratorSource<SecurityEvent> source = new DataGeneratorSource<>(
                (GeneratorFunction<Long, SecurityEvent>) DetectionJobTest::event, EVENTS,
                RateLimiterStrategy.perSecond(eventsPerSecond), TypeInformation.of(SecurityEvent.class));
        DataStream<SecurityEvent> events = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "generated events").uid("source")
                .map(new FailOnceAfterCheckpoint(failOnce)).name("fail once").uid("fail-once");
        Detection.build(events, DetectionSettings.of(rules, BOUND, Duration.ofHours(1))).alerts()
                .sinkTo(new StoreSink()).name("store").uid("store").setParallelism(1);
        env.execute("detection test");
    }

    @Test
    void eventsOutOfOrderWithinTheBoundGiveTheAlertsOfOrderedInput() throws Exception {
        run(false, 1_000_000);
        assertThat(STORE).isEqualTo(expected);
    }

    @Test
    void aFailureRestoredFromACheckpointLosesAndDuplicatesNothing() throws Exception {
        run(true, 15_000);
        assertThat(FAILED).as("the job failed once after a completed checkpoint").isTrue();
        assertThat(STORE.keySet()).isEqualTo(expected.keySet());
        assertThat(STORE).isEqualTo(expected);
        // replayed records write the same ids again: the store holds each alert once
        assertThat(WRITES.get()).isGreaterThanOrEqualTo(STORE.size());
    }

    /** Throws once, after a checkpoint has completed and more records have passed. */
    static final class FailOnceAfterCheckpoint extends RichMapFunction<SecurityEvent, SecurityEvent>
            implements CheckpointListener {
        private final boolean enabled;
        private long seen;

        FailOnceAfterCheckpoint(boolean enabled) {
            this.enabled = enabled;
        }

        @Override
        public void open(OpenContext openContext) {
            seen = 0;
        }

        @Override
        public SecurityEvent map(SecurityEvent e) {
            if (enabled && CHECKPOINTED.get() && ++seen > 500 && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure");
            }
            return e;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTED.set(true);
        }
    }

    /** Writes alerts into {@link #STORE} by id, as an idempotent index would. */
    static final class StoreSink implements Sink<Alert> {
        @Override
        public SinkWriter<Alert> createWriter(WriterInitContext context) throws IOException {
            return new SinkWriter<>() {
                @Override
                public void write(Alert alert, Context ctx) {
                    WRITES.incrementAndGet();
                    STORE.put(alert.id(), alert);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
