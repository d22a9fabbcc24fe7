package io.vigil.jobs.metrics;

import io.vigil.model.Alert;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleHit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Histogram;
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

    private StageTrace() {}

    private static Histogram histogram(org.apache.flink.metrics.MetricGroup operator, String name) {
        return operator.addGroup(VigilMetrics.GROUP).histogram(name, new DescriptiveStatisticsHistogram(10_000));
    }

    /** Raw records passed on; the lag of their reading behind their Kafka append time ({@link VigilMetrics#STAGE_READ_LAG_MS}). */
    public static final class Read extends ProcessFunction<RawRecord, RawRecord> {
        private static final long serialVersionUID = 1L;
        private transient Histogram lag;

        @Override
        public void open(OpenContext openContext) {
            lag = histogram(getRuntimeContext().getMetricGroup(), VigilMetrics.STAGE_READ_LAG_MS);
        }

        @Override
        public void processElement(RawRecord record, Context ctx, Collector<RawRecord> out) {
            if (record.referenceTime() != null) {
                lag.update(ctx.timerService().currentProcessingTime() - record.referenceTime().toEpochMilli());
            }
            out.collect(record);
        }
    }

    /**
     * Events passed on; the lag of their decoding behind their record's Kafka append time, which is
     * the Flink timestamp of a record read from Kafka until event time replaces it
     * ({@link VigilMetrics#STAGE_DECODED_LAG_MS}).
     */
    public static final class Decoded extends ProcessFunction<SecurityEvent, SecurityEvent> {
        private static final long serialVersionUID = 1L;
        private transient Histogram lag;

        @Override
        public void open(OpenContext openContext) {
            lag = histogram(getRuntimeContext().getMetricGroup(), VigilMetrics.STAGE_DECODED_LAG_MS);
        }

        @Override
        public void processElement(SecurityEvent event, Context ctx, Collector<SecurityEvent> out) {
            Long appended = ctx.timestamp();
            if (appended != null) {
                lag.update(ctx.timerService().currentProcessingTime() - appended);
            }
            out.collect(event);
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
