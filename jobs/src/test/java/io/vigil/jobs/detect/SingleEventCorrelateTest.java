package io.vigil.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Alert;
import io.vigil.model.Origin;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RuleSource;
import io.vigil.rules.correlate.Correlator;
import io.vigil.rules.verify.RuleSet;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
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

/**
 * Single-event rules under the operator test harness: they alert on arrival, before any
 * watermark, and their suppression buckets give the same ids and last emissions in any arrival
 * order.
 */
class SingleEventCorrelateTest {

    private static final String DRL = """
            package test.rules;
            import io.vigil.model.SecurityEvent;
            import io.vigil.rules.Signal;
            rule "log-cleared"
                @name("Log cleared") @description("d") @severity("high") @riskScore(73)
                @tactics("TA0005") @techniques("T1070") @shape("single") @groupBy("host.name") @suppress("60s")
            when
                $e : SecurityEvent(eventAction == "log-cleared")
            then
                insert(new Signal($e));
            end
            rule "bad-binary"
                @name("Bad binary") @description("d") @severity("high") @riskScore(73)
                @tactics("TA0002") @techniques("T1204") @shape("single") @groupBy("host.name")
            when
                $e : SecurityEvent(eventAction == "exec")
            then
                insert(new Signal($e));
            end
            """;
    /** A bucket start: the 60 s buckets are aligned to the epoch. */
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private KeyedOneInputStreamOperatorTestHarness<String, RuleHit, Alert> harness;

    @BeforeEach
    void open() throws Exception {
        harness = harness();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, RuleHit, Alert> harness() throws Exception {
        RuleSet rules = RuleSet.verified(List.of(new RuleSource("test/single.drl", DRL)));
        assertThat(rules.problems()).isEmpty();
        var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new CorrelateFunction(rules, Duration.ofHours(1)), RuleHit::stateKey, Types.STRING);
        return h;
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static RuleHit cleared(String host, long millis, long offset) {
        return new RuleHit("log-cleared", host, T0.plusMillis(millis), Origin.kafka("winlog", 0, offset), 0, null,
                null, Map.of("host.name", host));
    }

    private static RuleHit exec(String host, long millis, long offset) {
        return new RuleHit("bad-binary", host, T0.plusMillis(millis), Origin.kafka("winlog", 0, offset), 0, null,
                null, Map.of("host.name", host));
    }

    private static void push(KeyedOneInputStreamOperatorTestHarness<String, RuleHit, Alert> h, RuleHit hit)
            throws Exception {
        h.processElement(new StreamRecord<>(hit, hit.timestamp().toEpochMilli()));
    }

    @Test
    void aRuleWithoutSuppressionAlertsOnArrivalAndKeepsNothing() throws Exception {
        push(harness, exec("ws-1", 5_000, 7));
        push(harness, exec("ws-1", 1_000, 3)); // out of order: alerts too, on its own

        List<Alert> out = harness.extractOutputValues();
        assertThat(out).extracting(Alert::firstEventTime).containsExactly(T0.plusSeconds(5), T0.plusSeconds(1));
        assertThat(out.get(0).id()).isEqualTo(Correlator.alertId("bad-binary", "ws-1", T0.plusSeconds(5).toEpochMilli(),
                Origin.kafka("winlog", 0, 7)));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aSuppressedRuleAlertsOnArrivalAndReEmitsAtTheBucketEnd() throws Exception {
        harness.processWatermark(new Watermark(T0.toEpochMilli() - 1)); // no earlier bucket can come in order
        push(harness, cleared("dc-1", 10_000, 1));
        // no watermark yet: the alert is out already, under the bucket's id
        assertThat(harness.extractOutputValues()).hasSize(1);
        Alert first = harness.extractOutputValues().get(0);
        assertThat(first.id()).isEqualTo(Correlator.bucketAlertId("log-cleared", "dc-1", T0.toEpochMilli()));

        push(harness, cleared("dc-1", 20_000, 2));
        push(harness, cleared("dc-1", 30_000, 3));
        harness.processWatermark(new Watermark(T0.plusSeconds(59).toEpochMilli()));
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1); // the bucket's end

        harness.processWatermark(new Watermark(T0.plusSeconds(60).toEpochMilli()));
        List<Alert> out = harness.extractOutputValues();
        assertThat(out).hasSize(2);
        assertThat(out.get(1).id()).isEqualTo(first.id());
        assertThat(out.get(1).suppressedCount()).isEqualTo(2);
        assertThat(out.get(1).lastEventTime()).isEqualTo(T0.plusSeconds(30));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /**
     * Hits shuffled within the out-of-orderness bound, across a bucket boundary: every order gives
     * the same alert ids, and the same last emission per id (what an index keyed by id keeps).
     */
    @Test
    void idsAndLastEmissionsDoNotDependOnArrivalOrder() throws Exception {
        List<RuleHit> hits = List.of(
                cleared("dc-1", 59_700, 1), cleared("dc-1", 59_900, 2), cleared("dc-1", 60_100, 3),
                cleared("dc-1", 60_300, 4), cleared("dc-2", 59_800, 5), cleared("dc-1", 119_999, 6));
        Map<String, Alert> inOrder = lastById(run(hits, harness));
        assertThat(inOrder).hasSize(3); // dc-1 in two buckets, dc-2 in one
        assertThat(inOrder.get(Correlator.bucketAlertId("log-cleared", "dc-1", T0.toEpochMilli())).suppressedCount())
                .isEqualTo(1);
        Alert second = inOrder.get(Correlator.bucketAlertId("log-cleared", "dc-1", T0.plusSeconds(60).toEpochMilli()));
        assertThat(second.firstEventTime()).isEqualTo(T0.plusMillis(60_100));
        assertThat(second.suppressedCount()).isEqualTo(2);

        List<List<RuleHit>> orders = List.of(
                List.of(hits.get(2), hits.get(0), hits.get(3), hits.get(1), hits.get(4), hits.get(5)),
                List.of(hits.get(3), hits.get(2), hits.get(1), hits.get(0), hits.get(4), hits.get(5)),
                List.of(hits.get(1), hits.get(3), hits.get(0), hits.get(2), hits.get(4), hits.get(5)));
        for (List<RuleHit> order : orders) {
            var h = harness();
            try {
                assertThat(lastById(run(order, h))).isEqualTo(inOrder);
                assertThat(h.numKeyedStateEntries()).isZero();
                assertThat(h.numEventTimeTimers()).isZero();
            } finally {
                h.close();
            }
        }
    }

    /** Pushes the hits with a watermark 500 ms behind the latest time seen, then ends the input. */
    private static List<Alert> run(List<RuleHit> hits, KeyedOneInputStreamOperatorTestHarness<String, RuleHit, Alert> h)
            throws Exception {
        long max = Long.MIN_VALUE;
        for (RuleHit hit : hits) {
            push(h, hit);
            max = Math.max(max, hit.timestamp().toEpochMilli());
            h.processWatermark(new Watermark(max - 500));
        }
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        return h.extractOutputValues();
    }

    private static Map<String, Alert> lastById(List<Alert> alerts) {
        Map<String, Alert> last = new LinkedHashMap<>();
        for (Alert a : alerts) {
            last.put(a.id(), a);
        }
        return last;
    }

    @Test
    void theFirstHitsOfABucketWithinTheBoundWaitForTheWatermark() throws Exception {
        harness.processWatermark(new Watermark(T0.toEpochMilli() - 500));
        push(harness, cleared("dc-1", 100, 2)); // a hit of the bucket before may still come in order
        assertThat(harness.extractOutputValues()).isEmpty();
        push(harness, cleared("dc-1", -200, 1));
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.processWatermark(new Watermark(T0.toEpochMilli() + 100));
        List<Alert> out = harness.extractOutputValues();
        assertThat(out).extracting(Alert::id).containsExactly(
                Correlator.bucketAlertId("log-cleared", "dc-1", T0.toEpochMilli() - 60_000),
                Correlator.bucketAlertId("log-cleared", "dc-1", T0.toEpochMilli()));
        // the bucket is open: its next hit joins it on arrival
        push(harness, cleared("dc-1", 300, 3));
        assertThat(harness.extractOutputValues()).hasSize(2);
        harness.processWatermark(new Watermark(T0.toEpochMilli() + 60_000));
        assertThat(harness.extractOutputValues()).hasSize(3);
        assertThat(harness.extractOutputValues().get(2).suppressedCount()).isEqualTo(1);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void pastTheKeyBoundAHitAlertsAloneUnderItsOwnId() throws Exception {
        RuleSet rules = RuleSet.verified(List.of(new RuleSource("test/single.drl", DRL)));
        try (var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new CorrelateFunction(rules, Duration.ofHours(1), 1), RuleHit::stateKey, Types.STRING)) {
            h.processWatermark(new Watermark(T0.toEpochMilli()));
            push(h, cleared("dc-1", 10_000, 1)); // holds the one key allowed
            push(h, cleared("dc-2", 11_000, 2));
            push(h, cleared("dc-2", 12_000, 3));
            List<Alert> out = h.extractOutputValues();
            assertThat(out).extracting(Alert::id).containsExactly(
                    Correlator.bucketAlertId("log-cleared", "dc-1", T0.toEpochMilli()),
                    Correlator.alertId("log-cleared", "dc-2", T0.plusSeconds(11).toEpochMilli(),
                            Origin.kafka("winlog", 0, 2)),
                    Correlator.alertId("log-cleared", "dc-2", T0.plusSeconds(12).toEpochMilli(),
                            Origin.kafka("winlog", 0, 3)));
        }
    }

    @Test
    void aLateHitOfAClosedBucketAlertsAloneUnderItsOwnId() throws Exception {
        push(harness, cleared("dc-1", 10_000, 1));
        push(harness, cleared("dc-1", 20_000, 2));
        harness.processWatermark(new Watermark(T0.plusSeconds(70).toEpochMilli()));
        assertThat(harness.extractOutputValues()).hasSize(2);

        push(harness, cleared("dc-1", 15_000, 3)); // its bucket ended: it must not overwrite the bucket's alert
        List<Alert> out = harness.extractOutputValues();
        assertThat(out).hasSize(3);
        assertThat(out.get(2).id()).isNotEqualTo(out.get(0).id())
                .isEqualTo(Correlator.alertId("log-cleared", "dc-1", T0.plusSeconds(15).toEpochMilli(),
                        Origin.kafka("winlog", 0, 3)));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
