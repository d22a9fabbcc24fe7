package io.vigil.jobs.metrics;

import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The gauge {@value VigilMetrics#WATERMARK_LAG_MS}: the wall clock minus the watermark an operator
 * after the watermark assigner last saw, in milliseconds; -1 before the first watermark. Read by
 * the metric reporter's thread, written by the task's only when the watermark moved (a volatile
 * write per watermark, not per record). When no event arrives the watermark stands still and the
 * lag grows: an idle input shows as a growing lag.
 */
public final class WatermarkLag implements Gauge<Long> {

    private long seen = Long.MIN_VALUE;
    private volatile long watermark = Long.MIN_VALUE;

    /** Registers the gauge under {@value VigilMetrics#GROUP} of the operator's group. */
    public static WatermarkLag register(MetricGroup operator) {
        WatermarkLag lag = new WatermarkLag();
        operator.addGroup(VigilMetrics.GROUP).gauge(VigilMetrics.WATERMARK_LAG_MS, lag);
        return lag;
    }

    /** The operator's current watermark, on the task's thread. */
    public void observe(long currentWatermark) {
        if (currentWatermark != seen) {
            seen = currentWatermark;
            watermark = currentWatermark;
        }
    }

    @Override
    public Long getValue() {
        return lagAt(System.currentTimeMillis());
    }

    /** The lag at {@code nowMillis}: -1 before the first watermark, never below 0. */
    long lagAt(long nowMillis) {
        long w = watermark;
        return w == Long.MIN_VALUE ? -1L : Math.max(0L, nowMillis - w);
    }
}
