package io.vigil.jobs.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The counters of one of Vigil's metrics, one per value of its label: {@code name} under
 * {@code vigil/<key>=<value>} of an operator's group ({@link VigilMetrics}). A value the predicate
 * does not know is counted under {@value #OTHER}, and at most {@link #MAX_VALUES} values get their
 * own counter, so the number of series stays bounded whatever the input
 * (docs/architecture.md, invariant 6: the values come from the configuration, the rule packs or
 * Vigil's own closed sets, never from event content).
 *
 * <p>Cheap on the hot path: the counter of the last value is kept, and found again by identity
 * when the next record carries the same string (records of one topic share their format's string);
 * otherwise one map lookup. Not thread-safe: one per task, used on the task's thread.
 */
public final class LabelledCounters {

    /** The label value of what the predicate does not know, or past {@link #MAX_VALUES}. */
    public static final String OTHER = "other";
    /** Values with their own counter, at most. */
    public static final int MAX_VALUES = 10_000;

    private final MetricGroup vigil;
    private final String key;
    private final String name;
    private final Predicate<String> known;
    private final Map<String, Counter> counters = new HashMap<>();
    private String lastValue;
    private Counter last;

    /**
     * @param operator the operator's metric group (the {@value VigilMetrics#GROUP} group is added here)
     * @param key the label ({@link VigilMetrics#FORMAT}, {@link VigilMetrics#RULE}, ...)
     * @param name the metric ({@link VigilMetrics#RECORDS}, ...)
     * @param known the values that get their own counter
     */
    public LabelledCounters(MetricGroup operator, String key, String name, Predicate<String> known) {
        this.vigil = operator.addGroup(VigilMetrics.GROUP);
        this.key = Objects.requireNonNull(key, "key");
        this.name = Objects.requireNonNull(name, "name");
        this.known = Objects.requireNonNull(known, "known");
    }

    /** The counter of {@code value} ({@value #OTHER} when unknown or null), registered on first use. */
    public Counter of(String value) {
        if (value == lastValue && last != null) {
            return last;
        }
        Counter c = counters.get(value);
        if (c == null) {
            String label = value != null && counters.size() < MAX_VALUES && known.test(value) ? value : OTHER;
            c = counters.get(label);
            if (c == null) {
                c = vigil.addGroup(key, label).counter(name);
                counters.put(label, c);
            }
            if (value != null && label.equals(value)) {
                counters.put(value, c);
            }
        }
        lastValue = value;
        last = c;
        return c;
    }

    /** Registers the counters of {@code values} now, so they are reported (at 0) before the first count. */
    public LabelledCounters register(Iterable<String> values) {
        for (String v : values) {
            of(v);
        }
        return this;
    }
}
