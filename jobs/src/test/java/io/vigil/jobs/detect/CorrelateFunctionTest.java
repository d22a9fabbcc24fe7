package io.vigil.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Alert;
import io.vigil.model.Origin;
import io.vigil.rules.RuleHit;
import io.vigil.rules.verify.RuleSet;
import io.vigil.rules.RuleSource;
import io.vigil.rules.correlate.CorrelationState;
import io.vigil.rules.correlate.WindowEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The correlation function under Flink's operator test harness: time moves only by watermarks. */
class CorrelateFunctionTest {

    private static final String DRL = """
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
            rule "four-users"
                @name("Four users") @description("4 distinct users in 60 s") @severity("low") @riskScore(10)
                @tactics("TA0006") @techniques("T1110.003") @shape("distinct") @groupBy("source.ip")
                @distinct("user.name") @window("60s") @threshold(4)
            when
                $e : SecurityEvent(eventAction == "spray", userName != null)
            then
                insert(Signal.distinct($e, $e.userName()));
            end
            """;
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private KeyedOneInputStreamOperatorTestHarness<String, RuleHit, Alert> harness;

    @BeforeEach
    void open() throws Exception {
        RuleSet rules = RuleSet.verified(List.of(new RuleSource("test/three.drl", DRL)));
        assertThat(rules.problems()).isEmpty();
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new CorrelateFunction(rules, Duration.ofHours(1)), RuleHit::stateKey, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static RuleHit hit(String ip, long second, long line) {
        Instant t = T0.plusSeconds(second);
        return new RuleHit("three-failures", ip, t, Origin.file("auth.log", line), 0, null, null,
                Map.of("source.ip", ip));
    }

    private static RuleHit user(String ip, String user, long second, long line) {
        return new RuleHit("four-users", ip, T0.plusSeconds(second), Origin.kafka("auth", 0, line), 0, null, user,
                Map.of("source.ip", ip, "user.name", user));
    }

    private void push(RuleHit hit) throws Exception {
        harness.processElement(new StreamRecord<>(hit, hit.timestamp().toEpochMilli()));
    }

    private List<Alert> alerts() {
        return harness.extractOutputValues();
    }

    @Test
    void outOfOrderHitsWaitForTheWatermarkAndAreAppliedInEventTimeOrder() throws Exception {
        push(hit("203.0.113.9", 3, 3));
        push(hit("203.0.113.9", 1, 1));
        push(hit("203.0.113.9", 2, 2));
        assertThat(alerts()).isEmpty(); // nothing before the watermark passes

        harness.processWatermark(new Watermark(T0.plusSeconds(3).toEpochMilli()));
        assertThat(alerts()).hasSize(1);
        Alert alert = alerts().get(0);
        assertThat(alert.groupKey()).isEqualTo("203.0.113.9");
        assertThat(alert.count()).isEqualTo(3);
        assertThat(alert.firstEventTime()).isEqualTo(T0.plusSeconds(1));
        assertThat(alert.timestamp()).isEqualTo(T0.plusSeconds(3));
        assertThat(alert.origins()).extracting(Origin::offset).containsExactly(1L, 2L, 3L);
    }

    @Test
    void stateAndTimersAreClearedWhenTheWindowAndSuppressionEnd() throws Exception {
        for (int i = 1; i <= 3; i++) {
            push(hit("198.51.100.7", i, i));
        }
        harness.processWatermark(new Watermark(T0.plusSeconds(3).toEpochMilli()));
        assertThat(alerts()).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).isPositive();

        // two more failures inside the suppression period (10 s after the alert) are only counted
        push(hit("198.51.100.7", 5, 5));
        push(hit("198.51.100.7", 6, 6));
        harness.processWatermark(new Watermark(T0.plusSeconds(12).toEpochMilli()));
        assertThat(alerts()).hasSize(1);

        harness.processWatermark(new Watermark(T0.plusSeconds(13).toEpochMilli()));
        List<Alert> out = alerts();
        assertThat(out).hasSize(2);
        assertThat(out.get(1).id()).isEqualTo(out.get(0).id());
        assertThat(out.get(1).suppressedCount()).isEqualTo(2);
        assertThat(out.get(1).lastEventTime()).isEqualTo(T0.plusSeconds(6));

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void belowTheThresholdTheWindowExpiresAndLeavesNothing() throws Exception {
        push(hit("192.0.2.1", 1, 1));
        push(hit("192.0.2.1", 2, 2));
        push(hit("192.0.2.2", 3, 3)); // another key
        harness.processWatermark(new Watermark(T0.plusSeconds(30).toEpochMilli()));
        assertThat(alerts()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void lateHitsAreAppliedAtOnce() throws Exception {
        harness.processWatermark(new Watermark(T0.plusSeconds(100).toEpochMilli()));
        push(hit("192.0.2.50", 1, 1));
        push(hit("192.0.2.50", 2, 2));
        push(hit("192.0.2.50", 3, 3));
        assertThat(alerts()).hasSize(1);
        assertThat(harness.getOutput()).isNotEmpty();
    }

    @Test
    void aWindowThatMovesKeepsOneWakeUpTimer() throws Exception {
        // the same user again moves the distinct window's start: the earlier wake-up is deleted,
        // not left to fire on nothing
        for (int i = 1; i <= 3; i++) {
            push(user("192.0.2.77", "alice", i, i));
            harness.processWatermark(new Watermark(T0.plusSeconds(i).toEpochMilli()));
            assertThat(harness.numEventTimeTimers()).as("timers after hit %d", i).isEqualTo(1);
        }
        push(user("192.0.2.77", "bob", 4, 4));
        harness.processWatermark(new Watermark(T0.plusSeconds(4).toEpochMilli()));
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(new Watermark(T0.plusSeconds(70).toEpochMilli()));
        assertThat(alerts()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void stateCheckpointedInThePojoFormIsRestoredAndCompletesTheWindow() throws Exception {
        restoresPojoState(null);
    }

    @Test
    void onRocksDbStateInThePojoFormIsMigratedValueByValue() throws Exception {
        // RocksDB holds values serialized: the restore rewrites each with the compact form
        restoresPojoState(new EmbeddedRocksDBStateBackend());
    }

    /** {@code backend} null: the harness's default heap backend. */
    private void restoresPojoState(StateBackend backend) throws Exception {
        // a checkpoint taken before the compact serializer: the same state name, Flink's POJO
        // serializer, two hits of the window and their wake-up timer
        OperatorSubtaskState old;
        try (KeyedOneInputStreamOperatorTestHarness<String, RuleHit, Alert> before =
                     new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new PojoStateWriter()),
                             RuleHit::stateKey, Types.STRING)) {
            if (backend != null) {
                before.setStateBackend(backend);
            }
            before.open();
            for (int i = 1; i <= 2; i++) {
                RuleHit h = hit("198.51.100.20", i, i);
                before.processElement(new StreamRecord<>(h, h.timestamp().toEpochMilli()));
            }
            old = before.snapshot(1L, 1L);
        }
        harness.close();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new CorrelateFunction(RuleSet.verified(List.of(new RuleSource("test/three.drl", DRL))),
                        Duration.ofHours(1))), RuleHit::stateKey, Types.STRING);
        if (backend != null) {
            harness.setStateBackend(backend);
        }
        harness.initializeState(old);
        harness.open();
        if (backend != null) {
            assertThat(harness.getOperator().getKeyedStateBackend().getClass().getSimpleName()).startsWith("RocksDB");
        }

        push(hit("198.51.100.20", 3, 3));
        harness.processWatermark(new Watermark(T0.plusSeconds(3).toEpochMilli()));
        assertThat(alerts()).hasSize(1);
        assertThat(alerts().get(0).count()).isEqualTo(3);
        assertThat(alerts().get(0).origins()).extracting(Origin::offset).containsExactly(1L, 2L, 3L);
        assertThat(alerts().get(0).entities()).containsEntry("source.ip", "198.51.100.20");
    }

    /** Writes correlation state as the job did before {@link CorrelationStateSerializer}. */
    private static final class PojoStateWriter extends KeyedProcessFunction<String, RuleHit, Alert> {

        private transient ValueState<CorrelationState> state;

        @Override
        public void open(OpenContext openContext) {
            ValueStateDescriptor<CorrelationState> d = new ValueStateDescriptor<>(CorrelateFunction.STATE_NAME,
                    TypeInformation.of(CorrelationState.class));
            d.enableTimeToLive(CorrelateFunction.ttl(Duration.ofHours(1)));
            state = getRuntimeContext().getState(d);
        }

        @Override
        public void processElement(RuleHit hit, Context ctx, Collector<Alert> out) throws Exception {
            CorrelationState st = state.value() == null ? new CorrelationState() : state.value();
            st.window.add(new WindowEntry(hit.timestamp().toEpochMilli(), hit.origin(), hit.value()));
            st.entities.putAll(hit.entities());
            state.update(st);
            ctx.timerService().registerEventTimeTimer(st.window.get(0).time + 10_000);
        }
    }
}
