package io.vigil.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Alert;
import io.vigil.model.Origin;
import io.vigil.rules.RuleHit;
import io.vigil.rules.verify.RuleSet;
import io.vigil.rules.RuleSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bound on correlation keys ({@code detection.max-keys}) under Flink's operator test harness:
 * time moves only by watermarks, the metrics are the operator's own.
 */
class CorrelationKeyLimitTest {

    static final String DRL = """
            package test.rules;
            import io.vigil.model.SecurityEvent;
            import io.vigil.rules.Signal;
            rule "three-failures"
                @name("Three failures") @description("3 failures in 10 s") @severity("low") @riskScore(10)
                @tactics("TA0006") @techniques("T1110") @shape("threshold") @groupBy("source.ip")
                @window("10s") @threshold(3)
            when
                $e : SecurityEvent(eventOutcome == "failure")
            then
                insert(new Signal($e));
            end
            rule "log-cleared"
                @name("Log cleared") @description("an audit log cleared") @severity("high") @riskScore(73)
                @tactics("TA0005") @techniques("T1070.001") @shape("single") @groupBy("host.name")
                @suppress("60s")
            when
                $e : SecurityEvent(eventAction == "log-cleared")
            then
                insert(new Signal($e));
            end
            """;
    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    static final int MAX_PARALLELISM = 128;
    static final long MANAGED_MEMORY = 256L << 20;

    static final RuleSet RULES = RuleSet.verified(List.of(new RuleSource("test/limit.drl", DRL)));

    /** A harness with the operator's metrics in reach. */
    static final class Subtask implements AutoCloseable {
        final KeyedOneInputStreamOperatorTestHarness<String, RuleHit, Alert> harness;
        final InterceptingOperatorMetricGroup metrics = new InterceptingOperatorMetricGroup();
        private final MockEnvironment env;

        Subtask(int maxKeys, int parallelism, int index, OperatorSubtaskState restore) throws Exception {
            this(maxKeys, parallelism, index, restore, null);
        }

        Subtask(int maxKeys, int parallelism, int index, OperatorSubtaskState restore,
                org.apache.flink.runtime.state.StateBackend backend) throws Exception {
            env = new MockEnvironmentBuilder().setManagedMemorySize(MANAGED_MEMORY).setMaxParallelism(MAX_PARALLELISM).setParallelism(parallelism)
                    .setSubtaskIndex(index).setMetricGroup(new UnregisteredMetricGroups.UnregisteredTaskMetricGroup() {
                        @Override
                        public InternalOperatorMetricGroup getOrAddOperator(OperatorID id, String name,
                                                                            Map<String, String> info) {
                            return metrics;
                        }

                        @Override
                        public InternalOperatorMetricGroup getOrAddOperator(String name) {
                            return metrics;
                        }
                    }).build();
            harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                    new CorrelateFunction(RULES, Duration.ofHours(1), maxKeys)), RuleHit::stateKey, Types.STRING, env);
            if (backend != null) {
                harness.setStateBackend(backend);
            }
            if (restore != null) {
                harness.initializeState(restore);
            }
            harness.open();
        }

        void push(RuleHit hit) throws Exception {
            harness.processElement(new StreamRecord<>(hit, hit.timestamp().toEpochMilli()));
        }

        void watermark(long second) throws Exception {
            harness.processWatermark(new Watermark(T0.plusSeconds(second).toEpochMilli()));
        }

        List<Alert> alerts() {
            return harness.extractOutputValues();
        }

        long refused() {
            return ((Counter) metrics.get("keyLimitRefusedHits")).getCount();
        }

        long keys() {
            return ((Number) ((Gauge<?>) metrics.get("correlationKeys")).getValue()).longValue();
        }

        @Override
        public void close() throws Exception {
            harness.close();
            env.close();
        }
    }

    private final List<Subtask> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (Subtask s : open) {
            s.close();
        }
    }

    private Subtask subtask(int maxKeys, OperatorSubtaskState restore) throws Exception {
        Subtask s = new Subtask(maxKeys, 1, 0, restore);
        open.add(s);
        return s;
    }

    static RuleHit failure(String ip, long second, long line) {
        return new RuleHit("three-failures", ip, T0.plusSeconds(second), Origin.file("auth.log", line), 0, null, null,
                Map.of("source.ip", ip));
    }

    static RuleHit cleared(String host, long second, long record) {
        return new RuleHit("log-cleared", host, T0.plusSeconds(second), Origin.kafka("windows", 0, record), 0, null,
                null, Map.of("host.name", host));
    }

    @Test
    void pastTheBoundHitsOfNewKeysAreRefusedAndCountedWhileHeldKeysKeepWorking() throws Exception {
        Subtask s = subtask(3, null);
        for (String ip : List.of("192.0.2.1", "192.0.2.2", "192.0.2.3")) {
            s.push(failure(ip, 1, 1));
        }
        assertThat(s.keys()).isEqualTo(3);

        // a fourth address: no state for it, so its three failures cannot make an alert
        for (int i = 1; i <= 3; i++) {
            s.push(failure("198.51.100.4", i, 10 + i));
        }
        // a single-event rule still alerts on a refused key, once per event: nothing holds a suppression
        s.push(cleared("dc-1", 4, 100));
        s.push(cleared("dc-1", 5, 101));
        assertThat(s.alerts()).extracting(Alert::ruleId).containsExactly("log-cleared", "log-cleared");
        assertThat(s.alerts()).extracting(Alert::lastEventTime).containsExactly(T0.plusSeconds(4), T0.plusSeconds(5));
        assertThat(s.refused()).isEqualTo(5);
        assertThat(s.keys()).isEqualTo(3);

        // a key that holds state goes on correlating at the bound
        s.push(failure("192.0.2.1", 2, 2));
        s.push(failure("192.0.2.1", 3, 3));
        s.watermark(3);
        assertThat(s.alerts()).filteredOn(a -> a.ruleId().equals("three-failures")).singleElement().satisfies(a -> {
            assertThat(a.groupKey()).isEqualTo("192.0.2.1");
            assertThat(a.count()).isEqualTo(3);
        });
        assertThat(s.refused()).isEqualTo(5);

        // windows and suppression over: every key has left, and new keys are tracked again
        s.watermark(30);
        assertThat(s.keys()).isZero();
        assertThat(s.harness.numKeyedStateEntries()).isZero();
        for (int i = 31; i <= 33; i++) {
            s.push(failure("198.51.100.4", i, 20 + i));
        }
        s.watermark(33);
        assertThat(s.alerts()).filteredOn(a -> a.groupKey().equals("198.51.100.4")).singleElement()
                .satisfies(a -> assertThat(a.count()).isEqualTo(3));
        assertThat(s.refused()).isEqualTo(5);
        assertThat(s.keys()).isEqualTo(1);
    }

    @Test
    void theCountOfKeysHeldSurvivesASnapshotAndRestore() throws Exception {
        Subtask before = subtask(3, null);
        for (String ip : List.of("192.0.2.1", "192.0.2.2", "192.0.2.3")) {
            before.push(failure(ip, 1, 1));
        }
        before.watermark(1);
        OperatorSubtaskState snapshot = before.harness.snapshot(1L, 1L);

        Subtask after = subtask(3, snapshot);
        assertThat(after.keys()).isEqualTo(3);
        after.push(failure("198.51.100.4", 2, 10));
        assertThat(after.refused()).isEqualTo(1);

        // the restored keys complete their windows, then leave the count
        after.push(failure("192.0.2.1", 2, 2));
        after.push(failure("192.0.2.1", 3, 3));
        after.watermark(3);
        assertThat(after.alerts()).singleElement().satisfies(a -> {
            assertThat(a.groupKey()).isEqualTo("192.0.2.1");
            assertThat(a.count()).isEqualTo(3);
        });
        after.watermark(30);
        assertThat(after.keys()).isZero();
        after.push(failure("198.51.100.4", 31, 11));
        assertThat(after.refused()).isEqualTo(1);
        assertThat(after.keys()).isEqualTo(1);
    }

    @Test
    void onRescalingEachSubtaskTakesTheCountsOfItsKeyGroups() throws Exception {
        Subtask one = subtask(1000, null);
        List<String> ips = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            ips.add("203.0.113." + i);
            one.push(failure("203.0.113." + i, 1, i));
        }
        assertThat(one.keys()).isEqualTo(40);
        OperatorSubtaskState snapshot = one.harness.snapshot(1L, 1L);

        long total = 0;
        for (int index = 0; index < 2; index++) {
            OperatorSubtaskState part = AbstractStreamOperatorTestHarness.repartitionOperatorState(snapshot,
                    MAX_PARALLELISM, 1, 2, index);
            Subtask s = new Subtask(1000, 2, index, part);
            open.add(s);
            int mine = index;
            long expected = ips.stream().filter(ip -> KeyGroupRangeAssignment.assignKeyToParallelOperator(
                    failure(ip, 1, 1).stateKey(), MAX_PARALLELISM, 2) == mine).count();
            assertThat(expected).as("keys of subtask %d", index).isPositive();
            assertThat(s.keys()).as("keys counted on subtask %d", index).isEqualTo(expected);
            // and they are the keys whose state it holds: two more failures each complete them all
            for (String ip : ips) {
                if (KeyGroupRangeAssignment.assignKeyToParallelOperator(failure(ip, 1, 1).stateKey(),
                        MAX_PARALLELISM, 2) == index) {
                    s.push(failure(ip, 2, 100));
                    s.push(failure(ip, 3, 200));
                }
            }
            s.watermark(3);
            assertThat(s.alerts()).hasSize((int) expected).allSatisfy(a -> assertThat(a.count()).isEqualTo(3));
            s.watermark(30);
            assertThat(s.keys()).isZero();
            total += expected;
        }
        assertThat(total).isEqualTo(40);
    }

    @Test
    void theLimitIsLoggedAtMostOnceAMinuteWithTheHitsRefusedMeanwhile() throws Exception {
        List<String> warnings = new ArrayList<>();
        AbstractAppender capture = new AbstractAppender("key-limit-capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (event.getLevel() == Level.WARN) {
                    warnings.add(event.getMessage().getFormattedMessage());
                }
            }
        };
        capture.start();
        Logger logger = (Logger) LogManager.getLogger(CorrelateFunction.class);
        logger.addAppender(capture);
        try {
            Subtask s = subtask(1, null);
            s.push(failure("192.0.2.1", 1, 1));
            s.harness.setProcessingTime(1_000);
            s.push(failure("192.0.2.2", 1, 2));
            s.push(failure("192.0.2.3", 1, 3));
            s.harness.setProcessingTime(1_000 + CorrelateFunction.WARN_INTERVAL_MS - 1);
            s.push(failure("192.0.2.4", 1, 4));
            assertThat(warnings).singleElement().satisfies(w -> assertThat(w)
                    .contains("Correlation key limit reached on subtask 0: 1 keys hold state (detection.max-keys)")
                    .contains("1 hits of new keys refused"));

            s.harness.setProcessingTime(1_000 + CorrelateFunction.WARN_INTERVAL_MS);
            s.push(failure("192.0.2.5", 1, 5));
            assertThat(warnings).hasSize(2);
            assertThat(warnings.get(1)).contains("3 hits of new keys refused since the last warning");
            assertThat(s.refused()).isEqualTo(4);
        } finally {
            logger.removeAppender(capture);
            capture.stop();
        }
    }
}
