package io.vigil.jobs.metrics;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Passes its records on and measures {@link WatermarkLag} on every watermark it receives, records
 * or not. Placed after a keyBy (after correlation, chained to it), its watermark is the one Flink
 * merged from every upstream subtask that is not idle: the watermark event-time timers fire on, so
 * what delays alerts. A subtask upstream whose partition is quiet does not hold it back once
 * idle ({@code detection.idle-timeout}), nor does it show here; before the keyBy it would (its own
 * watermark stands still).
 */
public final class WatermarkLagOperator<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {

    private static final long serialVersionUID = 1L;

    private transient WatermarkLag lag;

    @Override
    public void open() throws Exception {
        super.open();
        lag = WatermarkLag.register(getMetricGroup());
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        lag.observe(mark.getTimestamp());
        super.processWatermark(mark);
    }

    /** The gauge, for tests. */
    WatermarkLag lag() {
        return lag;
    }
}
