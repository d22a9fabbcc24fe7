package io.vigil.jobs.detect;

import io.vigil.jobs.metrics.CountMapAccumulator;
import io.vigil.jobs.metrics.VigilMetrics;
import io.vigil.rules.RuleEvaluator;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RuleStats;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
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
 * {@value #METRIC_EVAL_NANOS} (cumulative evaluation time, {@link RuleStats}); the accumulator
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
 * shared shares ({@link RuleStats#DROOLS}, ...) have their samples too.
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
    /** The numbers of evaluators this task used before the current one (live rule packs), per rule. */
    private final Map<String, RuleStats> carried = new HashMap<>();
    private final MetricGroup group;
    private final CountMapAccumulator exceptedByException = new CountMapAccumulator();
    private final Map<String, Counter[]> hits = new HashMap<>();
    private final MetricGroup vigil;
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
        // every active rule has a time, whether or not it ever hits: the costly ones often do not
        for (String id : evaluator.activeRules()) {
            gauge(id);
        }
        refresh(System.nanoTime());
    }

    /**
     * From now on counts {@code next}, the evaluator of another pack (live rules switched): the
     * numbers so far are carried, so each rule's stay cumulative for the task.
     */
    public void use(RuleEvaluator next) {
        if (next == evaluator) {
            return;
        }
        evaluator.stats().forEach((id, st) -> carried.merge(id, st, RuleMetrics::plus));
        evaluator = next;
        for (String id : next.activeRules()) {
            if (!gauged.contains(id)) {
                gauge(id);
            }
        }
        refresh(System.nanoTime());
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
        Map<String, RuleStats> stats = evaluator.stats();
        if (!carried.isEmpty()) {
            Map<String, RuleStats> all = new java.util.TreeMap<>(carried);
            stats.forEach((id, st) -> all.merge(id, st, RuleMetrics::plus));
            stats = all;
        }
        for (String id : stats.keySet()) {
            if (!gauged.contains(id)) {
                gauge(id); // a pseudo-id, or a rule that was not active at open (a Sigma detection feeding a correlation)
            }
        }
        sampleTimes(stats);
        snapshot = stats;
        snapshotAt = now;
    }

    /** One sample per rule: its mean evaluation nanoseconds per event since the previous snapshot. */
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
            if (h != null) {
                h.update(Math.max(0L, (spent + events / 2) / events));
            }
        }
    }

    private void gauge(String id) {
        gauged.add(id);
        rule(id).gauge(METRIC_EVAL_NANOS, (Gauge<Long>) () -> snapshot.getOrDefault(id, RuleStats.ZERO).evalNanos());
        times.put(id, vigil.addGroup(VigilMetrics.RULE, id).histogram(VigilMetrics.RULE_EVALUATION_NANOS,
                new DescriptiveStatisticsHistogram(TIME_SAMPLES)));
    }

    private MetricGroup rule(String id) {
        return group.addGroup(RuleErrorCounters.METRIC_GROUP, id);
    }
}
