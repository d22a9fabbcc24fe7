package io.vigil.formats.syslog;

import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places a {@link SyslogTimestamp} on the time line: supplies the year an RFC 3164 timestamp
 * lacks and the zone of timestamps written without an offset.
 *
 * <p>The year comes from one of two places:
 * <ul>
 *   <li><b>Reference time</b> (no configured year): the year of the record's
 *       {@link RawRecord#referenceTime()} (file modification time, Kafka timestamp) in the
 *       configured zone; when that would put the line more than a day after the reference time it
 *       belongs to the previous year (a file written in January holding December lines). When a
 *       record has no reference time either, the current clock stands in for it: a last resort,
 *       as replaying the same file next year would then give other timestamps (a warning is
 *       logged once).
 *   <li><b>Configured year</b>: it is the year of the first record of each stream
 *       ({@link Origin#source()} and partition); the year advances when the month goes
 *       backwards within the stream (Dec → Jan, or after a gap Aug → Mar). A step back of one month
 *       is taken as disorder (a late Jun 30 line after Jul 1 ones) and changes nothing, and a line
 *       ten or more months <em>ahead</em> of the stream (a late Dec 31 line after Jan 1 ones) is
 *       put in the previous year; neither moves the stream.
 * </ul>
 *
 * <p>This per-stream month is the only state a syslog decoder keeps: a bounded map of the
 * {@value #MAX_STREAMS} most recently seen streams (least recently used evicted; an evicted stream
 * restarts at the configured year). Not thread-safe.
 */
public final class TimestampResolver {

    private static final Logger LOG = LoggerFactory.getLogger(TimestampResolver.class);

    /** Streams whose year/month are remembered in configured-year mode. */
    public static final int MAX_STREAMS = 4096;

    private static final long DAY_SECONDS = 86_400;
    /** A month this far back (or further) from the stream's month starts a new year. */
    private static final int NEW_YEAR_STEP = -2;
    /** A month this far ahead (or further) of the stream's month is a late line of the year before. */
    private static final int LATE_LINE_STEP = 10;

    private final Integer configuredYear;
    private final ZoneId zone;
    private final ZoneRules rules;
    /** The zone's offset in seconds when it never changes (UTC, fixed offsets), else {@code null}. */
    private final Integer fixedOffset;
    private final Clock clock;
    private final Map<StreamKey, StreamYear> streams = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<StreamKey, StreamYear> eldest) {
            return size() > MAX_STREAMS;
        }
    };

    private boolean warnedClock;
    // the year of the last reference time seen: consecutive records of a file share it
    private Instant lastReference;
    private int lastReferenceYear;

    public TimestampResolver(Integer configuredYear, ZoneId zone, Clock clock) {
        this.configuredYear = configuredYear;
        this.zone = zone;
        this.rules = zone.getRules();
        this.fixedOffset = rules.isFixedOffset() ? rules.getOffset(Instant.EPOCH).getTotalSeconds() : null;
        this.clock = clock;
    }

    private record StreamKey(String kind, String source, Integer partition) {}

    private static final class StreamYear {
        int year;
        int month;

        StreamYear(int year, int month) {
            this.year = year;
            this.month = month;
        }
    }

    /** The outcome: an instant, or why there is none. */
    public record Resolved(Instant instant, String error) {}

    public Resolved resolve(SyslogTimestamp ts, RawRecord record) {
        int year;
        if (ts.hasYear()) {
            year = ts.year();
        } else if (configuredYear != null) {
            year = streamYear(ts, record);
        } else {
            year = referenceYear(ts, record);
        }
        if (ts.day() > SyslogLineParser.lengthOfMonth(year, ts.month())) {
            return new Resolved(null, "timestamp day " + ts.day() + " does not exist in month " + ts.month()
                    + " of " + year);
        }
        return new Resolved(toInstant(year, ts), null);
    }

    private Instant toInstant(int year, SyslogTimestamp ts) {
        long local = LocalDate.of(year, ts.month(), ts.day()).toEpochDay() * DAY_SECONDS + ts.secondOfDay();
        long offset;
        if (ts.offset() != null) {
            offset = ts.offset().getTotalSeconds();
        } else if (fixedOffset != null) {
            offset = fixedOffset;
        } else {
            // In a DST gap or overlap this is the offset before the transition (ZoneRules' choice).
            offset = rules.getOffset(LocalDateTime.ofEpochSecond(local, 0, ZoneOffset.UTC)).getTotalSeconds();
        }
        return Instant.ofEpochSecond(local - offset, ts.nano());
    }

    private int referenceYear(SyslogTimestamp ts, RawRecord record) {
        Instant reference = record.referenceTime();
        if (reference == null) {
            reference = clock.instant();
            if (!warnedClock) {
                warnedClock = true;
                LOG.warn("syslog records carry no year and no reference time (e.g. {}); placing them by the "
                        + "current clock; set a year to make replays reproducible", record.origin());
            }
        }
        if (!reference.equals(lastReference)) {
            lastReference = reference;
            lastReferenceYear = reference.atZone(zone).getYear();
        }
        int year = lastReferenceYear;
        if (ts.day() <= SyslogLineParser.lengthOfMonth(year, ts.month())
                && toInstant(year, ts).getEpochSecond() <= reference.getEpochSecond() + DAY_SECONDS) {
            return year;
        }
        // After the reference time: last year's. Feb 29 goes back to the last leap year.
        year--;
        while (ts.day() > SyslogLineParser.lengthOfMonth(year, ts.month()) && year > lastReferenceYear - 8) {
            year--;
        }
        return year;
    }

    private int streamYear(SyslogTimestamp ts, RawRecord record) {
        Origin o = record.origin();
        StreamKey key = new StreamKey(o.kind(), o.source(), o.partition());
        StreamYear state = streams.get(key);
        int month = ts.month();
        if (state == null) {
            streams.put(key, new StreamYear(configuredYear, month));
            return configuredYear;
        }
        int step = month - state.month;
        if (step <= NEW_YEAR_STEP) {
            state.year++;
            state.month = month;
        } else if (step >= LATE_LINE_STEP) {
            return state.year - 1;
        } else if (step > 0) {
            state.month = month;
        }
        return state.year;
    }
}
