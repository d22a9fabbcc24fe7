package io.vigil.jobs.metrics;

import io.vigil.model.Alert;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleHit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The operators of the stage trace ({@code metrics.stage-trace-topic}, docs/metrics.md#latency-by-stage):
 * present in the job only when the trace is on, so a job without it pays nothing. Each is a
 * pass-through chained to the stage it measures.
 *
 * <p>Why this shape: an alert is completed by one record (the latest appended among its origins),
 * and the stages an alert passes are known by its origins up to evaluation and by its id after
 * correlation. Carrying stage times inside events, hits and alerts would change the types every
 * operator and serializer shares; marks keyed by origin (only for events that hit a rule, a small
 * part of the input) and by alert id (alerts are fewer still) let the benchmark join them with the
 * Kafka append times and the time each alert became searchable. Read and decoded happen for every
 * record, so they are histograms of the lag behind the Kafka append time instead of marks.
 */
public final class StageTrace {

    /** Where the evaluated, correlated and written marks leave their pass-through operators. */
    public static final OutputTag<StageMark> MARKS = new OutputTag<>("stage-marks") {};

    /** The records each lag histogram keeps: its quantiles are those of the latest this many of its subtask. */
    public static final int HISTOGRAM_WINDOW = 10_000;

    private StageTrace() {}

    /**
     * Records passed on where the source emits them, already decoded (the source's reader decodes:
     * {@code io.vigil.jobs.decode.DecodingSource}); the lag of their reading, and so of their
     * decoding, behind their Kafka append time, in both {@link VigilMetrics#STAGE_READ_LAG_MS} and
     * {@link VigilMetrics#STAGE_DECODED_LAG_MS}: one instant since decoding moved into the source.
     */
    public static <T> Lag<T> readAndDecoded() {
        return new Lag<>(VigilMetrics.STAGE_READ_LAG_MS, VigilMetrics.STAGE_DECODED_LAG_MS);
    }

    /**
     * Passes its records on and puts how far each lags behind its Kafka append time in a histogram. A record read
     * from Kafka has the Kafka timestamp as its Flink timestamp (the append time on topics with
     * {@code message.timestamp.type=LogAppendTime}), through decode, until event time replaces it.
     */
    public static final class Lag<T> extends ProcessFunction<T, T> {
        private static final long serialVersionUID = 1L;
        private final String[] metrics;
        private transient Histogram[] lags;

        Lag(String... metrics) {
            this.metrics = metrics.clone();
        }

        @Override
        public void open(OpenContext openContext) {
            MetricGroup group = getRuntimeContext().getMetricGroup().addGroup(VigilMetrics.GROUP);
            lags = new Histogram[metrics.length];
            for (int i = 0; i < metrics.length; i++) {
                lags[i] = group.histogram(metrics[i], new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
            }
        }

        @Override
        public void processElement(T record, Context ctx, Collector<T> out) {
            Long appended = ctx.timestamp();
            if (appended != null) {
                long lag = ctx.timerService().currentProcessingTime() - appended;
                for (Histogram h : lags) {
                    h.update(lag);
                }
            }
            out.collect(record);
        }
    }

    /** One {@link StageMark#EVALUATED} mark per event that hit a rule (not one per hit: an event hits several rules). */
    public static final class Evaluated extends ProcessFunction<RuleHit, StageMark> {
        private static final long serialVersionUID = 1L;
        private transient io.vigil.model.Origin last;

        @Override
        public void processElement(RuleHit hit, Context ctx, Collector<StageMark> out) {
            // the hits of one event come one after the other
            if (!hit.origin().equals(last)) {
                last = hit.origin();
                out.collect(new StageMark(hit.origin().toString(), StageMark.EVALUATED,
                        ctx.timerService().currentProcessingTime()));
            }
        }
    }

    /** Alerts passed on; one mark per alert of {@code stage} to {@link #MARKS}. */
    public static final class Alerts extends ProcessFunction<Alert, Alert> {
        private static final long serialVersionUID = 1L;
        private final String stage;

        public Alerts(String stage) {
            this.stage = stage;
        }

        @Override
        public void processElement(Alert alert, Context ctx, Collector<Alert> out) {
            ctx.output(MARKS, new StageMark(alert.id(), stage, ctx.timerService().currentProcessingTime()));
            out.collect(alert);
        }
    }
}
