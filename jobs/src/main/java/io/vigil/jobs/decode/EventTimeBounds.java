package io.vigil.jobs.decode;

import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.flink.util.TimeUtils;

/**
 * Which event times a job accepts, judged per record before any event reaches the watermark or
 * an index name: a record with one event out of bounds becomes one {@code event-time} dead letter
 * (the record stays evidence, whole).
 *
 * <p>Every job accepts only the years 1 to 9999 (ISO-8601's four-digit years: such a time is a
 * Flink timestamp and names a daily index). The streaming job also bounds the time by the
 * record's ingest time, its Kafka timestamp, because log content is written by the people Vigil
 * watches: an event more than {@code maxFutureSkew} after it would hold the watermark ahead of
 * every real event (and name an index of a future day), one more than {@code maxAge} before it
 * would name an index of a long-gone day. A producer sets that timestamp (CreateTime) and its
 * clock may run ahead, so the ingest time is the earlier of the timestamp and the task's clock
 * (a record without timestamp: the clock). Old logs replayed through Kafka with their event times
 * as record timestamps ({@code vigil simulate} does so) stay accepted.
 */
public final class EventTimeBounds implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The earliest event time any job accepts. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    /** The latest event time any job accepts. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /** The key of the future bound, named in the reasons. */
    public static final String FUTURE_SKEW_KEY = "detection.max-future-skew";
    /** The key of the past bound, named in the reasons. */
    public static final String EVENT_AGE_KEY = "detection.max-event-age";

    private final Duration maxFutureSkew;
    private final Duration maxAge;

    private EventTimeBounds(Duration maxFutureSkew, Duration maxAge) {
        this.maxFutureSkew = maxFutureSkew;
        this.maxAge = maxAge;
    }

    /** Any time of the years 1 to 9999: the forensic replay, where old and odd times are the evidence. */
    public static EventTimeBounds anyYear() {
        return new EventTimeBounds(null, null);
    }

    /** The streaming bounds: at most {@code maxFutureSkew} after and {@code maxAge} before the ingest time. */
    public static EventTimeBounds aroundIngest(Duration maxFutureSkew, Duration maxAge) {
        return new EventTimeBounds(requirePositive(maxFutureSkew, FUTURE_SKEW_KEY), requirePositive(maxAge, EVENT_AGE_KEY));
    }

    private static Duration requirePositive(Duration d, String key) {
        Objects.requireNonNull(d, key);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, got " + d);
        }
        return d;
    }

    /**
     * Why the events of {@code record} are out of bounds, naming the times and the key to change,
     * or {@code null} when every one is within.
     *
     * @param nowMillis the task's clock
     */
    public String violation(RawRecord record, List<SecurityEvent> events, long nowMillis) {
        for (int i = 0; i < events.size(); i++) {
            String reason = violation(record, events.get(i).timestamp(), nowMillis);
            if (reason != null) {
                return events.size() == 1 ? reason : reason + " (event " + (i + 1) + " of the record's " + events.size() + ")";
            }
        }
        return null;
    }

    private String violation(RawRecord record, Instant time, long nowMillis) {
        if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
            return "event time " + time + " is outside the years 1 to 9999 that Vigil accepts";
        }
        if (maxFutureSkew == null) {
            return null;
        }
        Instant now = Instant.ofEpochMilli(nowMillis);
        Instant stamped = record.referenceTime();
        Instant ingest = stamped == null || stamped.isAfter(now) ? now : stamped;
        String source = stamped == null ? " (the task's clock: the record has no timestamp)"
                : stamped.isAfter(now) ? " (the task's clock: the record timestamp " + stamped + " is in the future)"
                : " (the record timestamp)";
        if (time.isAfter(ingest.plus(maxFutureSkew))) {
            return "event time " + time + " is more than " + TimeUtils.formatWithHighestUnit(maxFutureSkew)
                    + " after ingest time " + ingest + source + "; " + FUTURE_SKEW_KEY + " bounds it";
        }
        if (time.isBefore(ingest.minus(maxAge))) {
            return "event time " + time + " is more than " + TimeUtils.formatWithHighestUnit(maxAge)
                    + " before ingest time " + ingest + source + "; " + EVENT_AGE_KEY + " bounds it: to replay old"
                    + " logs through Kafka, give each record its event time as timestamp, or raise " + EVENT_AGE_KEY;
        }
        return null;
    }

    @Override
    public String toString() {
        return maxFutureSkew == null ? "years 1 to 9999"
                : "at most " + TimeUtils.formatWithHighestUnit(maxFutureSkew) + " after and "
                        + TimeUtils.formatWithHighestUnit(maxAge) + " before ingest time";
    }
}
