package io.vigil.formats;

import java.io.Serializable;
import java.time.ZoneId;
import java.util.Objects;

/**
 * What decoders need to know that the records do not say.
 *
 * @param year the year of the first record of a stream whose timestamps carry none (syslog);
 *     {@code null} to place each timestamp in the year that puts it closest before the stream's
 *     reference time (file modification time, Kafka timestamp)
 * @param zone the time zone of timestamps that carry none (syslog, NXLog {@code EventTime})
 * @param maxRecordBytes records longer than this are dead-lettered without being held whole
 */
public record DecoderOptions(Integer year, ZoneId zone, int maxRecordBytes) implements Serializable {

    /** 64 KiB: longer lines are dead-lettered. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 64 * 1024;
    /** The zone of timestamps that carry none, unless configured. */
    public static final String DEFAULT_ZONE = "UTC";

    public DecoderOptions {
        Objects.requireNonNull(zone, "zone");
        if (year != null && (year < 1970 || year > 9999)) {
            throw new IllegalArgumentException("year must be between 1970 and 9999, got " + year);
        }
        if (maxRecordBytes < 1024) {
            throw new IllegalArgumentException("maxRecordBytes must be at least 1024, got " + maxRecordBytes);
        }
    }

    public static DecoderOptions defaults() {
        return new DecoderOptions(null, ZoneId.of(DEFAULT_ZONE), DEFAULT_MAX_RECORD_BYTES);
    }

    public DecoderOptions withYear(Integer newYear) {
        return new DecoderOptions(newYear, zone, maxRecordBytes);
    }

    public DecoderOptions withZone(ZoneId newZone) {
        return new DecoderOptions(year, newZone, maxRecordBytes);
    }

    public DecoderOptions withMaxRecordBytes(int newMax) {
        return new DecoderOptions(year, zone, newMax);
    }
}
