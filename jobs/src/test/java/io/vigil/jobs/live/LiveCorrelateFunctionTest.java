package io.vigil.jobs.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Alert;
import io.vigil.model.Origin;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RuleSource;
import io.vigil.rules.exceptions.RuleExceptions;
import io.vigil.rules.verify.RuleSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live correlation alone, in Flink's operator harness, time moved by watermarks: what a pack
 * switch does to the state of one key (kept, started afresh, cleared with its timers).
 */
class LiveCorrelateFunctionTest {

    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    static final long SWITCH = T0.plusSeconds(12).toEpochMilli();

    private KeyedBroadcastOperatorTestHarness<String, RuleHit, PackUpdate, Alert> harness;

    static RuleSet rules(String drl) {
        RuleSet set = RuleSet.verified(List.of(new RuleSource("test/live.drl", TestBundles.HEADER + drl)));
        assertThat(set.problems()).isEmpty();
        return set;
    }

    static PackUpdate update(long seq, String version, String drl, long effectiveAt) {
        LivePack pack = new LivePack(version, "d" + seq, rules(drl), RuleExceptions.NONE);
        return new PackUpdate(seq, ControlRecord.LIVE, "r" + seq, version, effectiveAt, pack.toBytes());
    }

    static RuleHit hit(String rule, int second) {
        return new RuleHit(rule, "10.0.0.1", T0.plusSeconds(second), Origin.kafka("auth", 0, second), 0, null, null,
                Map.of("source.ip", "10.0.0.1"));
    }

    @BeforeEach
    void open() throws Exception {
        LivePack local = LivePack.local(rules(TestBundles.fiveFailures(1, 5)), null);
        harness = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new LiveCorrelateFunction(ControlRecord.LIVE, local, Duration.ofHours(1), 1000), RuleHit::stateKey,
                Types.STRING, LiveEvaluateFunction.PACKS);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private int stateEntries() {
        AbstractStreamOperator<?> op = (AbstractStreamOperator<?>) harness.getTwoInputOperator();
        return ((HeapKeyedStateBackend<?>) op.getKeyedStateBackend()).numKeyValueStateEntries();
    }

    private void failures(int... seconds) throws Exception {
        for (int s : seconds) {
            harness.processElement(hit("five-failures", s), T0.plusSeconds(s).toEpochMilli());
        }
    }

    @Test
    void aRuleTheNewPackDropsHasItsStateAndTimersClearedAtItsNextWakeUp() throws Exception {
        failures(0, 5, 10);
        harness.watermark(T0.plusSeconds(11).toEpochMilli());
        assertThat(stateEntries()).isPositive();
        harness.processBroadcastElement(update(1, "b1", TestBundles.ANY_SUCCESS, SWITCH), 0);
        // the window of the first failure would end at +60 s: its wake-up finds the rule gone
        harness.watermark(T0.plusSeconds(61).toEpochMilli());
        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(stateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void theSameIdAndVersionKeepCountingAcrossTheSwitch() throws Exception {
        failures(0, 5, 10);
        harness.watermark(T0.plusSeconds(11).toEpochMilli());
        harness.processBroadcastElement(update(1, "b1", TestBundles.fiveFailures(1, 5), SWITCH), 0);
        failures(15, 20);
        harness.watermark(T0.plusSeconds(21).toEpochMilli());
        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(a -> assertThat(a.firstEventTime()).isEqualTo(T0));
    }

    @Test
    void aNewVersionStartsAfreshAtItsFirstHitAfterTheSwitch() throws Exception {
        failures(0, 5, 10);
        harness.watermark(T0.plusSeconds(11).toEpochMilli());
        harness.processBroadcastElement(update(1, "b2", TestBundles.fiveFailures(2, 5), SWITCH), 0);
        failures(15, 20);
        harness.watermark(T0.plusSeconds(21).toEpochMilli());
        assertThat(harness.extractOutputValues()).isEmpty();
        failures(25, 30, 35);
        harness.watermark(T0.plusSeconds(36).toEpochMilli());
        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(a -> assertThat(a.firstEventTime()).isEqualTo(T0.plusSeconds(15)));
    }

    @Test
    void aRestoredFunctionRunsThePacksOfItsSnapshot() throws Exception {
        failures(0, 5, 10);
        harness.watermark(T0.plusSeconds(11).toEpochMilli());
        harness.processBroadcastElement(update(1, "b2", TestBundles.fiveFailures(2, 3), SWITCH), 0);
        var snapshot = harness.snapshot(1, 1);
        harness.close();
        LivePack local = LivePack.local(rules(TestBundles.fiveFailures(1, 5)), null);
        harness = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
                new LiveCorrelateFunction(ControlRecord.LIVE, local, Duration.ofHours(1), 1000),
                List.of(LiveEvaluateFunction.PACKS)), RuleHit::stateKey, Types.STRING, 1, 1, 0);
        harness.initializeState(snapshot);
        harness.open();
        // version 2 (three failures) from the switch: only the restored broadcast state knows it
        failures(15, 20, 25);
        harness.watermark(T0.plusSeconds(26).toEpochMilli());
        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(a -> assertThat(a.firstEventTime()).isEqualTo(T0.plusSeconds(15)));
    }
}
