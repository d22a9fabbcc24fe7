package io.vigil.jobs.mask;

import io.vigil.jobs.metrics.CountMapAccumulator;
import io.vigil.jobs.metrics.LabelledCounters;
import io.vigil.jobs.metrics.VigilMetrics;
import io.vigil.model.Alert;
import io.vigil.model.DeadLetter;
import io.vigil.model.SecurityEvent;
import io.vigil.model.mask.MaskCounts;
import io.vigil.model.mask.MaskKind;
import io.vigil.model.mask.Masker;
import io.vigil.model.mask.MaskingPolicy;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Masks one kind of record on its way out of Vigil (docs/masking.md), counting what it masked per
 * kind: in the metric group {@code masking} ({@code card}, {@code secret-parameter}, …) and in the
 * accumulator of the operator ({@link MaskCounters}), which the replay sums into {@code summary.json}.
 *
 * <p>Every alert and every dead letter of the job passes here once, so these operators also keep
 * Vigil's metrics of them (docs/metrics.md): {@value VigilMetrics#RULE_ALERTS} per rule and
 * {@value VigilMetrics#DEAD_LETTERS} per reason (the letter's kind).
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

    /** The name of this operator's accumulator ({@link MaskCounters}). */
    String accumulator() {
        return accumulator;
    }

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

        private transient LabelledCounters byRule;

        public Alerts(MaskingPolicy policy, String accumulator) {
            super(policy, accumulator);
        }

        @Override
        public void open(OpenContext context) {
            super.open(context);
            // the alerts that leave, per rule: not the shadow slot's, which only go to their own index;
            // rule ids come from the packs and Vigil's context detections (invariant 6)
            if (MaskCounters.ALERTS.equals(accumulator())) {
                byRule = new LabelledCounters(getRuntimeContext().getMetricGroup(), VigilMetrics.RULE,
                        VigilMetrics.RULE_ALERTS, id -> true);
            }
        }

        @Override
        Alert mask(Masker masker, Alert value, MaskCounts counts) {
            if (byRule != null) {
                byRule.of(value.ruleId()).inc();
            }
            return masker.alert(value, counts);
        }
    }

    /** Dead letters of every kind, their raw records included. */
    public static final class DeadLetters extends MaskFunction<DeadLetter> {
        private static final long serialVersionUID = 1L;

        /**
         * The reasons: the kinds of dead letters that pass here, a closed set. The letters of
         * documents Elasticsearch refuses are made in the sinks, after this operator: they are the
         * sinks' {@value VigilMetrics#ES_REFUSALS}.
         */
        public static final List<String> REASONS = List.of(DeadLetter.DECODE, DeadLetter.EVENT_TIME,
                DeadLetter.RULE_ERROR, DeadLetter.WEBHOOK);

        private transient LabelledCounters byReason;

        public DeadLetters(MaskingPolicy policy) {
            super(policy, MaskCounters.DEAD_LETTERS);
        }

        @Override
        public void open(OpenContext context) {
            super.open(context);
            Set<String> reasons = Set.copyOf(REASONS);
            byReason = new LabelledCounters(getRuntimeContext().getMetricGroup(), VigilMetrics.REASON,
                    VigilMetrics.DEAD_LETTERS, reasons::contains).register(REASONS);
        }

        @Override
        DeadLetter mask(Masker masker, DeadLetter value, MaskCounts counts) {
            byReason.of(value.kind()).inc();
            return masker.deadLetter(value, counts);
        }
    }
}
