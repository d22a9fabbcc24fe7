package io.vigil.jobs.detect;

import io.vigil.jobs.metrics.CountMapAccumulator;
import io.vigil.jobs.metrics.VigilMetrics;
import io.vigil.rules.RuleEvaluator;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RuleStats;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The Flink side of the per-rule numbers of one evaluation task: under the metric group of each
 * rule ({@code rule=<id>}, where {@link RuleErrorCounters#METRIC_RULE_ERRORS} counts its errors)
 * the counters {@value #METRIC_HITS} and {@value #METRIC_EXCEPTED} and the gauge
 * {@value #METRIC_EVAL_NANOS} (cumulative evaluation time, {@link RuleStats}; registered at the first
 * snapshot where the rule spent time, like the histogram below); the accumulator
 * {@value #EXCEPTED_BY_EXCEPTION} counts excepted hits by exception id (a replay's summary reads it).
 *
 * <p>The evaluator is not thread-safe and metric reporters read gauges on their own thread, so the
 * gauges read a snapshot of {@link RuleEvaluator#stats()} taken on the task's thread at most once
 * per {@link #SNAPSHOT_EVERY_NANOS}. Rule ids come from the rule pack and exception ids from the
 * exceptions file: no event content names a metric.
 *
 * <p>Vigil's own metrics (docs/metrics.md), under {@value VigilMetrics#GROUP} with the label
 * {@code rule}: the counter {@value VigilMetrics#RULE_EVENTS} (events the rule matched, with the
 * hits) and the histogram {@value VigilMetrics#RULE_EVALUATION_NANOS}. The histogram costs the
 * event path nothing: at each snapshot (at most once a second, while events flow) each rule's
 * evaluation time since the previous snapshot, divided by the events evaluated since then, is one
 * sample (its mean nanoseconds per event over that interval); the histogram keeps the last
 * {@link #TIME_SAMPLES}, so its quantiles describe about the last minutes of a busy task. The
 * shared shares ({@link RuleStats#DROOLS}, ...) have their samples too. A rule's histogram is
 * registered at the first snapshot where it spent time: a pack of thousands of rules, most never a
 * candidate for the task's events, does not give each its series.
 */
public final class RuleMetrics {

    /** Excepted hits, by exception id. */
    public static final String EXCEPTED_BY_EXCEPTION = "vigil.rules.excepted.by_exception";

    public static final String METRIC_HITS = "hits";
    public static final String METRIC_EXCEPTED = "excepted";
    public static final String METRIC_EVAL_NANOS = "evalNanos";

    /** How often the gauges' snapshot is refreshed from the evaluator, at most. */
    static final long SNAPSHOT_EVERY_NANOS = 1_000_000_000L;
    /** Samples of evaluation time kept per rule (one per snapshot interval). */
    static final int TIME_SAMPLES = 128;

    private RuleEvaluator evaluator;
    /** Per rule: the numbers of the evaluators this task used (live rule packs), each up to its {@link #counted}. */
    private final Map<String, RuleStats> carried = new HashMap<>();
    /** Per evaluator used so far (by identity): its numbers as of when they were last added to {@link #carried}. */
    private final Map<RuleEvaluator, Map<String, RuleStats>> counted = new IdentityHashMap<>();
    private final MetricGroup group;
    private final CountMapAccumulator exceptedByException = new CountMapAccumulator();
    private final Map<String, Counter[]> hits = new HashMap<>();
    private final MetricGroup vigil;
    /** The histograms of the rules that spent time, each registered then. */
    private final Map<String, Histogram> times = new HashMap<>();
    /** Per rule: its cumulative evaluation time at the previous snapshot. */
    private final Map<String, Long> timeAtSnapshot = new HashMap<>();
    private long evaluated;
    private long evaluatedAtSnapshot;
    private final Map<String, Counter> excepted = new HashMap<>();
    private final Set<String> gauged = new TreeSet<>();
    private volatile Map<String, RuleStats> snapshot = Map.of();
    private long snapshotAt;

    /** Registers the metrics and the accumulator of a task's evaluator. */
    public RuleMetrics(RuntimeContext context, RuleEvaluator evaluator) {
        this(context.getMetricGroup(), context::addAccumulator, evaluator);
    }

    /**
     * @param group where the per-rule groups go (a slot's own group for the shadow pack of live rules)
     * @param accumulators registers the accumulator of excepted hits (under another name per slot)
     */
    public RuleMetrics(MetricGroup group, BiConsumer<String, Accumulator<?, ?>> accumulators, RuleEvaluator evaluator) {
        this.group = group;
        this.vigil = group.addGroup(VigilMetrics.GROUP);
        this.evaluator = evaluator;
        accumulators.accept(EXCEPTED_BY_EXCEPTION, exceptedByException);
        refresh(System.nanoTime());
    }

    /**
     * From now on counts {@code next}, the evaluator of another pack (live rules switched): the
     * numbers so far are carried, so each rule's stay cumulative for the task. Out-of-order events
     * can switch back and forth between the same evaluators: each is carried only for what it
     * counted since it was last carried ({@link #counted}).
     */
    public void use(RuleEvaluator next) {
        if (next == evaluator) {
            return;
        }
        carry();
        evaluator = next;
        refresh(System.nanoTime());
    }

    /**
     * {@code gone} is closed and will not be used again (its pack left the timeline): what it counted
     * stays carried, and this forgets it (so that a closed evaluator is not kept alive by its numbers).
     */
    public void forget(RuleEvaluator gone) {
        if (gone == evaluator) {
            carry();
            evaluator = null;
        }
        counted.remove(gone);
    }

    /** Adds to {@link #carried} what the current evaluator counted since it was last carried. */
    private void carry() {
        if (evaluator == null) {
            return;
        }
        Map<String, RuleStats> now = evaluator.stats();
        Map<String, RuleStats> before = counted.getOrDefault(evaluator, Map.of());
        now.forEach((id, st) -> carried.merge(id, minus(st, before.getOrDefault(id, RuleStats.ZERO)), RuleMetrics::plus));
        counted.put(evaluator, now);
    }

    /** The current evaluator's numbers not carried yet. */
    private Map<String, RuleStats> uncarried() {
        if (evaluator == null) {
            return Map.of();
        }
        Map<String, RuleStats> now = evaluator.stats();
        Map<String, RuleStats> before = counted.get(evaluator);
        if (before == null) {
            return now;
        }
        Map<String, RuleStats> out = new TreeMap<>();
        now.forEach((id, st) -> out.put(id, minus(st, before.getOrDefault(id, RuleStats.ZERO))));
        return out;
    }

    private static RuleStats minus(RuleStats a, RuleStats b) {
        return new RuleStats(a.hits() - b.hits(), a.excepted() - b.excepted(), a.errors() - b.errors(),
                a.evalNanos() - b.evalNanos());
    }

    private static RuleStats plus(RuleStats a, RuleStats b) {
        return new RuleStats(a.hits() + b.hits(), a.excepted() + b.excepted(), a.errors() + b.errors(),
                a.evalNanos() + b.evalNanos());
    }

    /** Counts what one evaluation gave. */
    public void record(RuleEvaluator.Evaluation evaluation) {
        evaluated++;
        for (RuleHit hit : evaluation.hits()) {
            Counter[] c = hits.computeIfAbsent(hit.ruleId(), id -> new Counter[] {rule(id).counter(METRIC_HITS),
                    vigil.addGroup(VigilMetrics.RULE, id).counter(VigilMetrics.RULE_EVENTS)});
            c[0].inc();
            c[1].inc();
        }
        for (RuleEvaluator.Excepted e : evaluation.excepted()) {
            excepted.computeIfAbsent(e.hit().ruleId(), id -> rule(id).counter(METRIC_EXCEPTED)).inc();
            exceptedByException.add(e.entry().id());
        }
        long now = System.nanoTime();
        if (now - snapshotAt >= SNAPSHOT_EVERY_NANOS) {
            refresh(now);
        }
    }

    /** The per-rule numbers as of the last snapshot (at most {@link #SNAPSHOT_EVERY_NANOS} old, or as of {@link #refresh}). */
    public Map<String, RuleStats> stats() {
        return snapshot;
    }

    /** Takes a new snapshot now (on the task's thread), e.g. before writing the numbers out. */
    public Map<String, RuleStats> refresh() {
        refresh(System.nanoTime());
        return snapshot;
    }

    private void refresh(long now) {
        Map<String, RuleStats> stats = uncarried();
        if (!carried.isEmpty()) {
            Map<String, RuleStats> all = new TreeMap<>(carried);
            stats.forEach((id, st) -> all.merge(id, st, RuleMetrics::plus));
            stats = all;
        }
        // a rule's gauge once it spent time (or hit): the costly rules often never hit, and the rules of a
        // large pack that never see a candidate event cost no series
        stats.forEach((id, st) -> {
            if (st.evalNanos() > 0 || st.hits() > 0 || st.excepted() > 0 || st.errors() > 0) {
                gauge(id);
            }
        });
        sampleTimes(stats);
        snapshot = stats;
        snapshotAt = now;
    }

    /**
     * One sample per rule: its mean evaluation nanoseconds per event since the previous snapshot.
     * A rule's histogram is registered the first time it spent time, so the rules of a large pack
     * that never run (a Sigma rule whose log source never comes) cost no series.
     */
    private void sampleTimes(Map<String, RuleStats> stats) {
        long events = evaluated - evaluatedAtSnapshot;
        if (events <= 0) {
            return;
        }
        evaluatedAtSnapshot = evaluated;
        for (Map.Entry<String, RuleStats> e : stats.entrySet()) {
            long nanos = e.getValue().evalNanos();
            Long before = timeAtSnapshot.put(e.getKey(), nanos);
            long spent = nanos - (before == null ? 0L : before);
            Histogram h = times.get(e.getKey());
            if (h == null && spent > 0) {
                h = vigil.addGroup(VigilMetrics.RULE, e.getKey()).histogram(VigilMetrics.RULE_EVALUATION_NANOS,
                        new DescriptiveStatisticsHistogram(TIME_SAMPLES));
                times.put(e.getKey(), h);
            }
            if (h != null) {
                h.update(Math.max(0L, (spent + events / 2) / events));
            }
        }
    }

    /** Registers the gauge of {@code id}'s cumulative time, once. */
    private void gauge(String id) {
        if (gauged.add(id)) {
            rule(id).gauge(METRIC_EVAL_NANOS, (Gauge<Long>) () -> snapshot.getOrDefault(id, RuleStats.ZERO).evalNanos());
        }
    }

    private MetricGroup rule(String id) {
        return group.addGroup(RuleErrorCounters.METRIC_GROUP, id);
    }
}
