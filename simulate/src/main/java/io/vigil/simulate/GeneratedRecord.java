package io.vigil.simulate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * One raw log record as the tool that writes it would: an RFC 3164 auth.log line, an NXLog-style
 * Windows event as one JSON object, or an Apache combined access-log line, without a line
 * terminator.
 *
 * @param format the Vigil format (and stream) it belongs to: {@code syslog}, {@code windows} or {@code access}
 * @param time when it is written (its event time)
 * @param bytes the record, UTF-8
 */
public record GeneratedRecord(String format, Instant time, byte[] bytes) {

    public static final String SYSLOG = "syslog";
    public static final String WINDOWS = "windows";
    public static final String ACCESS = "access";

    public GeneratedRecord {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(bytes, "bytes");
    }

    /** The record as text. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return format + "@" + time + ": " + text();
    }
}
