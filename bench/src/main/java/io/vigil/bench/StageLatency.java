package io.vigil.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.jobs.metrics.StageMark;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The latency of each alert by stage (docs/metrics.md#latency-by-stage): the Kafka append time of
 * the record that completed it (the latest appended among its origins), when that record's event
 * was evaluated, when the alert left correlation, reached the alert outputs and became searchable;
 * and the percentiles of each stage and of each rule shape.
 */
public final class StageLatency {

    /** The stages of an alert after the append, in order. */
    public static final List<String> STAGES = List.of(StageMark.EVALUATED, StageMark.CORRELATED, StageMark.WRITTEN,
            "searchable");

    /**
     * One alert's stage times, epoch milliseconds; 0 where no mark was found.
     *
     * @param shape the rule shape ({@link #shape})
     * @param completing the origin of the record that completed the alert
     */
    public record AlertStages(String id, String shape, String completing, long appended, long evaluated,
                              long correlated, long written, long searchable) {

        /** The time of {@code stage} (one of {@link #STAGES}). */
        public long at(String stage) {
            return switch (stage) {
                case StageMark.EVALUATED -> evaluated;
                case StageMark.CORRELATED -> correlated;
                case StageMark.WRITTEN -> written;
                case "searchable" -> searchable;
                default -> throw new IllegalArgumentException(stage);
            };
        }

        /** Whether every stage has its time. */
        public boolean complete() {
            return appended > 0 && evaluated > 0 && correlated > 0 && written > 0 && searchable > 0;
        }

        /** appended ≤ evaluated ≤ correlated ≤ written ≤ searchable. */
        public boolean monotonic() {
            return appended <= evaluated && evaluated <= correlated && correlated <= written && written <= searchable;
        }
    }

    private StageLatency() {}

    /**
     * The shape a benchmark groups a rule's alerts under: the DRL shapes by name ({@code single},
     * {@code threshold}, {@code sequence}, …), {@code sigma detection} and {@code sigma correlation
     * <shape>} for Sigma rules, {@code context} for alerts of no rule of the set (intel matches,
     * impossible travel, first seen, mass activity).
     */
    public static String shape(RuleMeta rule) {
        if (rule == null) {
            return "context";
        }
        String name = rule.shape().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        if (RuleMeta.SIGMA.equals(rule.ruleset())) {
            return rule.shape() == Shape.SINGLE ? "sigma detection" : "sigma correlation " + name;
        }
        return name;
    }

    /**
     * One alert's stages. An alert can leave correlation more than once under its id (updated, or
     * re-emitted after a restore): each stage is the first mark at or after the stage before it,
     * the one that carried the completing record.
     *
     * @param origins the alert's origins, {@code topic/partition@offset}
     * @param appended the Kafka append time of every record, by origin
     * @param marks the times of each stage's marks in ascending order, by stage and then id (origin or alert id)
     * @return {@code null} when no origin's append time is known
     */
    public static AlertStages of(String id, String shape, List<String> origins, long searchable,
                                 Map<String, Long> appended, Map<String, Map<String, List<Long>>> marks) {
        String completing = null;
        long last = 0;
        for (String o : origins) {
            Long t = appended.get(o);
            if (t != null && t > last) {
                last = t;
                completing = o;
            }
        }
        if (completing == null) {
            return null;
        }
        long evaluated = mark(marks, StageMark.EVALUATED, completing, 0);
        long correlated = mark(marks, StageMark.CORRELATED, id, evaluated);
        long written = mark(marks, StageMark.WRITTEN, id, correlated);
        return new AlertStages(id, shape, completing, last, evaluated, correlated, written, searchable);
    }

    /** The first mark of {@code stage} and {@code id} at or after {@code notBefore}; 0 without one. */
    private static long mark(Map<String, Map<String, List<Long>>> marks, String stage, String id, long notBefore) {
        for (long t : marks.getOrDefault(stage, Map.of()).getOrDefault(id, List.of())) {
            if (t >= notBefore) {
                return t;
            }
        }
        return 0;
    }

    /** The {@code p} quantile of sorted values, nearest rank. */
    public static long percentile(List<Long> sorted, double p) {
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * p) - 1)));
    }

    /** {@code {"p50":…,"p90":…,"p99":…,"max":…,"alerts":n}} of {@code values}, or {@code {"alerts":0}}. */
    public static ObjectNode summary(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        ObjectNode s = BenchJson.object();
        if (!sorted.isEmpty()) {
            s.put("p50", percentile(sorted, 0.50));
            s.put("p90", percentile(sorted, 0.90));
            s.put("p99", percentile(sorted, 0.99));
            s.put("max", sorted.get(sorted.size() - 1));
        }
        s.put("alerts", sorted.size());
        return s;
    }

    /** Per stage of {@link #STAGES}, the summary of (stage − appended) over the alerts that have every stage. */
    public static ObjectNode byStage(List<AlertStages> alerts) {
        ObjectNode out = BenchJson.object();
        for (String stage : STAGES) {
            List<Long> v = new ArrayList<>();
            for (AlertStages a : alerts) {
                if (a.complete()) {
                    v.add(a.at(stage) - a.appended());
                }
            }
            out.set(stage, summary(v));
        }
        return out;
    }

    /** Per shape (sorted by name), the summary of appended → searchable and the alert count. */
    public static ObjectNode byShape(List<AlertStages> alerts) {
        Map<String, List<Long>> v = new TreeMap<>();
        for (AlertStages a : alerts) {
            if (a.searchable() > 0) {
                v.computeIfAbsent(a.shape(), k -> new ArrayList<>()).add(a.searchable() - a.appended());
            }
        }
        ObjectNode out = BenchJson.object();
        v.forEach((shape, values) -> out.set(shape, summary(values)));
        return out;
    }
}
