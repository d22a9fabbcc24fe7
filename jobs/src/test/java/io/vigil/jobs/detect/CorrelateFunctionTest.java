package io.vigil.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Alert;
import io.vigil.model.Origin;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RuleSet;
import io.vigil.rules.RuleSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
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
}
