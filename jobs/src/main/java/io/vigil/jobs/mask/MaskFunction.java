package io.vigil.jobs.mask;

import io.vigil.jobs.metrics.CountMapAccumulator;
import io.vigil.model.Alert;
import io.vigil.model.DeadLetter;
import io.vigil.model.SecurityEvent;
import io.vigil.model.mask.MaskCounts;
import io.vigil.model.mask.MaskKind;
import io.vigil.model.mask.Masker;
import io.vigil.model.mask.MaskingPolicy;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Masks one kind of record on its way out of Vigil (docs/masking.md), counting what it masked per
 * kind: in the metric group {@code masking} ({@code card}, {@code secret-parameter}, …) and in the
 * accumulator of the operator ({@link MaskCounters}), which the replay sums into {@code summary.json}.
 */
public abstract class MaskFunction<T> extends RichMapFunction<T, T> {

    private static final long serialVersionUID = 1L;

    private final MaskingPolicy policy;
    private final String accumulator;
    private transient Masker masker;
    private transient MaskCounts counts;
    private transient Counter[] counters;
    private transient CountMapAccumulator masked;

    MaskFunction(MaskingPolicy policy, String accumulator) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.accumulator = Objects.requireNonNull(accumulator, "accumulator");
    }

    @Override
    public void open(OpenContext context) {
        masker = new Masker(policy);
        counts = new MaskCounts();
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup(MaskCounters.METRIC_GROUP);
        counters = new Counter[MaskKind.values().length];
        for (MaskKind kind : MaskKind.values()) {
            counters[kind.ordinal()] = group.counter(kind.key());
        }
        masked = new CountMapAccumulator();
        getRuntimeContext().addAccumulator(accumulator, masked);
    }

    @Override
    public T map(T value) {
        T out = mask(masker, value, counts);
        if (counts.total() > 0) {
            for (MaskKind kind : MaskKind.values()) {
                long n = counts.get(kind);
                if (n > 0) {
                    counters[kind.ordinal()].inc(n);
                    masked.add(kind.key(), n);
                }
            }
            counts.clear();
        }
        return out;
    }

    abstract T mask(Masker masker, T value, MaskCounts counts);

    /** Events before the event outputs. */
    public static final class Events extends MaskFunction<SecurityEvent> {
        private static final long serialVersionUID = 1L;

        public Events(MaskingPolicy policy) {
            super(policy, MaskCounters.EVENTS);
        }

        @Override
        SecurityEvent mask(Masker masker, SecurityEvent value, MaskCounts counts) {
            return masker.event(value, counts);
        }
    }

    /** Alerts before incidents, timelines, webhooks and the alert outputs; shadow alerts. */
    public static final class Alerts extends MaskFunction<Alert> {
        private static final long serialVersionUID = 1L;

        public Alerts(MaskingPolicy policy, String accumulator) {
            super(policy, accumulator);
        }

        @Override
        Alert mask(Masker masker, Alert value, MaskCounts counts) {
            return masker.alert(value, counts);
        }
    }

    /** Dead letters of every kind, their raw records included. */
    public static final class DeadLetters extends MaskFunction<DeadLetter> {
        private static final long serialVersionUID = 1L;

        public DeadLetters(MaskingPolicy policy) {
            super(policy, MaskCounters.DEAD_LETTERS);
        }

        @Override
        DeadLetter mask(Masker masker, DeadLetter value, MaskCounts counts) {
            return masker.deadLetter(value, counts);
        }
    }
}
