package io.vigil.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Alert;
import io.vigil.model.KeyEvent;
import io.vigil.model.Origin;
import io.vigil.rules.Comparison;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.Shape;
import io.vigil.rules.verify.RuleSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The Sigma correlation shapes and conditions in the job's keyed function, under Flink's operator
 * test harness: hand-worked streams, run in order, shuffled within the out-of-orderness bound, and
 * snapshotted mid-window then restored, must all give the same alerts and leave nothing behind.
 */
class SigmaCorrelateFunctionTest {

    private static final long T0 = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli();
    private static final long WINDOW = 10_000;
    /** The out-of-orderness bound of the shuffled runs. */
    private static final long BOUND = 3_000;
    private static final String KEY = "ws-7\u0000bob";
    private static final List<String> STEPS = List.of("recon-a", "recon-b", "recon-c");

    private static RuleMeta rule(String id, Shape shape, long suppressMs, Comparison... condition) {
        return RuleMeta.builder().id(id).name(id).ruleset(RuleMeta.SIGMA).shape(shape)
                .groupBy(List.of("host.name", "user.name")).windowMs(WINDOW).suppressMs(suppressMs)
                .steps(shape == Shape.TEMPORAL || shape == Shape.TEMPORAL_ORDERED ? STEPS : List.of())
                .distinct(shape == Shape.VALUE_SUM || shape == Shape.VALUE_AVG ? "source.bytes" : null)
                .condition(List.of(condition)).build();
    }

    private static Comparison c(String op, double value) {
        return new Comparison(op, value);
    }

    private static RuleHit hit(RuleMeta rule, long ms, String step, String value) {
        return new RuleHit(rule.id(), KEY, Instant.ofEpochMilli(T0 + ms), Origin.kafka("vigil.raw.windows", 0, ms), 0,
                step, value, Map.of("host.name", "ws-7", "user.name", "bob"));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, RuleHit, Alert> harness(
            RuleMeta rule, boolean rocksDb, OperatorSubtaskState restore) throws Exception {
        RuleSet rules = new RuleSet(List.of(), Map.of(rule.id(), rule), List.of());
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new CorrelateFunction(rules, Duration.ofHours(1))), RuleHit::stateKey,
                Types.STRING);
        if (rocksDb) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    private static void push(KeyedOneInputStreamOperatorTestHarness<String, RuleHit, Alert> h, RuleHit hit)
            throws Exception {
        h.processElement(new StreamRecord<>(hit, hit.timestamp().toEpochMilli()));
    }

    /** Far past every window and suppression period. */
    private static final long END = T0 + 86_400_000;

    /**
     * The hits in order, the watermark at each hit's time; with {@code snapshotAfter >= 0}, a
     * snapshot after that hit, restored into a new function that takes the rest.
     */
    private static List<Alert> inOrder(RuleMeta rule, List<RuleHit> hits, int snapshotAfter, boolean rocksDb)
            throws Exception {
        List<Alert> alerts = new ArrayList<>();
        var h = harness(rule, rocksDb, null);
        for (int i = 0; i < hits.size(); i++) {
            push(h, hits.get(i));
            h.processWatermark(new Watermark(hits.get(i).timestamp().toEpochMilli()));
            if (i == snapshotAfter) {
                OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
                alerts.addAll(h.extractOutputValues());
                h.close();
                h = harness(rule, rocksDb, snapshot);
            }
        }
        h.processWatermark(new Watermark(END));
        alerts.addAll(h.extractOutputValues());
        if (!rocksDb) {
            // (the harness counts state entries of heap backends only)
            assertThat(h.numKeyedStateEntries()).as("state left").isZero();
        }
        assertThat(h.numEventTimeTimers()).as("timers left").isZero();
        h.close();
        return alerts;
    }

    /** The hits in groups of three, each pushed last first, the watermark {@link #BOUND} behind. */
    private static List<Alert> shuffled(RuleMeta rule, List<RuleHit> hits) throws Exception {
        var h = harness(rule, false, null);
        long latest = Long.MIN_VALUE;
        for (int from = 0; from < hits.size(); from += 3) {
            List<RuleHit> group = hits.subList(from, Math.min(hits.size(), from + 3));
            for (int i = group.size() - 1; i >= 0; i--) {
                push(h, group.get(i));
                latest = Math.max(latest, group.get(i).timestamp().toEpochMilli());
            }
            h.processWatermark(new Watermark(latest - BOUND));
        }
        h.processWatermark(new Watermark(END));
        List<Alert> alerts = new ArrayList<>(h.extractOutputValues());
        assertThat(h.numKeyedStateEntries()).as("state left").isZero();
        assertThat(h.numEventTimeTimers()).as("timers left").isZero();
        h.close();
        return alerts;
    }

    /** Every way of running {@code hits} gives {@code expected}'s alerts; returns them. */
    private static List<Alert> sameEveryWay(RuleMeta rule, List<RuleHit> hits, int snapshotAfter) throws Exception {
        List<Alert> reference = inOrder(rule, hits, -1, false);
        assertThat(shuffled(rule, hits)).as("shuffled within the bound").isEqualTo(reference);
        assertThat(inOrder(rule, hits, snapshotAfter, false)).as("snapshot and restore").isEqualTo(reference);
        return reference;
    }

    private static Instant at(long ms) {
        return Instant.ofEpochMilli(T0 + ms);
    }

    @Test
    void temporal() throws Exception {
        RuleMeta rule = rule("recon-temporal", Shape.TEMPORAL, 0, c("gte", 3));
        List<RuleHit> hits = List.of(hit(rule, 1_000, "recon-a", null), hit(rule, 2_500, "recon-c", null),
                hit(rule, 4_000, "recon-b", null),
                // two of three steps, then the window passes
                hit(rule, 20_000, "recon-a", null), hit(rule, 21_000, "recon-b", null),
                hit(rule, 31_000, "recon-c", null));
        List<Alert> alerts = sameEveryWay(rule, hits, 1);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.count()).isEqualTo(3);
            assertThat(a.keyEvents()).extracting(KeyEvent::value).containsExactly("recon-a", "recon-c", "recon-b");
            assertThat(a.timestamp()).isEqualTo(at(4_000));
        });
    }

    @Test
    void temporalOrdered() throws Exception {
        RuleMeta rule = rule("recon-ordered", Shape.TEMPORAL_ORDERED, 0, c("gte", 3));
        List<RuleHit> hits = List.of(hit(rule, 1_000, "recon-a", null), hit(rule, 2_000, "recon-c", null),
                hit(rule, 3_000, "recon-b", null), hit(rule, 5_000, "recon-c", null),
                // b before a: a, then c, is not the sequence
                hit(rule, 20_000, "recon-b", null), hit(rule, 21_000, "recon-a", null),
                hit(rule, 22_000, "recon-c", null));
        List<Alert> alerts = sameEveryWay(rule, hits, 2);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.keyEvents()).extracting(KeyEvent::time).containsExactly(at(1_000), at(3_000), at(5_000));
            assertThat(a.keyEvents()).extracting(KeyEvent::value).containsExactlyElementsOf(STEPS);
        });
        // the partial sequences (sequence slots) through RocksDB, which serializes on every access
        assertThat(inOrder(rule, hits, 2, true)).isEqualTo(alerts);
    }

    @Test
    void valueSum() throws Exception {
        RuleMeta rule = rule("exfil-sum", Shape.VALUE_SUM, 0, c("gt", 1_000));
        List<RuleHit> hits = List.of(hit(rule, 1_000, null, "400"), hit(rule, 1_500, null, "not a number"),
                hit(rule, 2_000, null, "500"), hit(rule, 4_000, null, "300"),
                // alone in its window
                hit(rule, 30_000, null, "900"));
        List<Alert> alerts = sameEveryWay(rule, hits, 2);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.count()).isEqualTo(3);
            assertThat(a.timestamp()).isEqualTo(at(4_000));
            assertThat(a.keyEvents()).extracting(KeyEvent::value).containsExactly("400", "500", "300");
        });
    }

    @Test
    void valueAverageIsDecidedAtTheWindowsEnd() throws Exception {
        RuleMeta rule = rule("low-avg", Shape.VALUE_AVG, 0, c("lt", 100));
        List<RuleHit> hits = List.of(hit(rule, 1_000, null, "50"), hit(rule, 3_000, null, "120"),
                hit(rule, 10_999, null, "100"),
                // 11 000 is the first window's end: this hit opens the next one (average 200)
                hit(rule, 11_000, null, "200"));
        List<Alert> alerts = sameEveryWay(rule, hits, 1);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.count()).isEqualTo(3);
            assertThat(a.firstEventTime()).isEqualTo(at(1_000));
            assertThat(a.lastEventTime()).isEqualTo(at(10_999));
        });
    }

    @Test
    void eventCountBelowAThresholdWithSuppression() throws Exception {
        RuleMeta rule = rule("few-logons", Shape.THRESHOLD, WINDOW, c("lt", 3));
        List<RuleHit> hits = List.of(hit(rule, 1_000, null, null), hit(rule, 2_000, null, null),
                // at and after the first window's end (11 000): suppressed until 21 000
                hit(rule, 11_000, null, null), hit(rule, 12_000, null, null), hit(rule, 20_999, null, null),
                // after the suppression: a window of one
                hit(rule, 21_000, null, null));
        List<Alert> alerts = sameEveryWay(rule, hits, 1);
        assertThat(alerts).hasSize(3);
        assertThat(alerts.get(0).count()).isEqualTo(2);
        assertThat(alerts.get(0).lastEventTime()).isEqualTo(at(2_000));
        assertThat(alerts.get(1).id()).isEqualTo(alerts.get(0).id());
        assertThat(alerts.get(1).suppressedCount()).isEqualTo(3);
        assertThat(alerts.get(2).count()).isEqualTo(1);
        assertThat(alerts.get(2).firstEventTime()).isEqualTo(at(21_000));
        assertThat(alerts.get(2).id()).isNotEqualTo(alerts.get(0).id());
    }

    @Test
    void hitsTheRuleCannotCountAreCountedInAMetric() throws Exception {
        InterceptingOperatorMetricGroup metrics = new InterceptingOperatorMetricGroup();
        var env = new MockEnvironmentBuilder().setMetricGroup(new UnregisteredMetricGroups.UnregisteredTaskMetricGroup() {
            @Override
            public InternalOperatorMetricGroup getOrAddOperator(OperatorID id, String name, Map<String, String> info) {
                return metrics;
            }

            @Override
            public InternalOperatorMetricGroup getOrAddOperator(String name) {
                return metrics;
            }
        }).build();
        RuleMeta sum = rule("exfil-sum", Shape.VALUE_SUM, 0, c("gt", 1_000));
        RuleMeta ordered = rule("recon-ordered", Shape.TEMPORAL_ORDERED, 0, c("gte", 3));
        RuleSet rules = new RuleSet(List.of(), Map.of(sum.id(), sum, ordered.id(), ordered), List.of());
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new CorrelateFunction(rules, Duration.ofHours(1))), RuleHit::stateKey, Types.STRING, env)) {
            h.open();
            push(h, hit(sum, 1_000, null, "400"));
            push(h, hit(sum, 2_000, null, "n/a"));
            push(h, hit(sum, 3_000, null, "NaN"));
            push(h, hit(ordered, 4_000, "some-other-rule", null));
            push(h, hit(ordered, 5_000, "recon-a", null));
            h.processWatermark(new Watermark(T0 + 5_000));
            assertThat(((Counter) metrics.get("uncountedHits")).getCount()).isEqualTo(3);
        }
    }
}
