package io.vigil.jobs.decode;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The event-time watermarks of a {@link DecodingSource}, generated per split (per Kafka partition):
 * bounded out-of-orderness over the latest event time of each record, and, with an idle timeout,
 * a split without events that long stops holding the reader's watermark back. A record that became
 * a dead letter carries no event time: it neither advances its split's watermark nor keeps the
 * split active.
 */
public final class SplitWatermarks {

    private SplitWatermarks() {}

    /** {@code idleTimeout} {@code null} or zero: no idleness (a bounded input ends with the final watermark). */
    public static WatermarkStrategy<Decoded> of(Duration outOfOrderness, Duration idleTimeout) {
        WatermarkStrategy<Decoded> events = WatermarkStrategy.forBoundedOutOfOrderness(outOfOrderness);
        WatermarkStrategy<Decoded> inner = idleTimeout == null || idleTimeout.isZero() ? events
                : events.withIdleness(idleTimeout);
        return WatermarkStrategy.<Decoded>forGenerator(ctx -> new EventsOnly(inner.createWatermarkGenerator(ctx)))
                // the events keep their own times (SplitDecodedOperator); a dead letter keeps the record's
                .withTimestampAssigner((d, recordTimestamp) -> d.events().isEmpty() ? recordTimestamp : d.latestEventTime());
    }

    /** Passes only records with events to the generator. */
    private static final class EventsOnly implements WatermarkGenerator<Decoded> {

        private final WatermarkGenerator<Decoded> inner;

        EventsOnly(WatermarkGenerator<Decoded> inner) {
            this.inner = inner;
        }

        @Override
        public void onEvent(Decoded record, long timestamp, WatermarkOutput output) {
            if (!record.events().isEmpty()) {
                inner.onEvent(record, timestamp, output);
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            inner.onPeriodicEmit(output);
        }
    }
}
