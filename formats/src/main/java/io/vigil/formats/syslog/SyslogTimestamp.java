package io.vigil.formats.syslog;

import java.time.ZoneOffset;

/**
 * A syslog timestamp as written, before it is placed on the time line: RFC 3164 timestamps carry
 * neither a year nor a zone, ISO/RFC 5424 timestamps carry a year and usually an offset.
 *
 * @param year the year, or {@link #NO_YEAR} when the line does not say (RFC 3164)
 * @param month 1..12
 * @param day 1..31 (checked against the month only once the year is known)
 * @param secondOfDay 0..86399
 * @param nano fraction of the second
 * @param offset the UTC offset written in the line, or {@code null} when the line has none
 */
public record SyslogTimestamp(int year, int month, int day, int secondOfDay, int nano, ZoneOffset offset) {

    public static final int NO_YEAR = 0;

    public boolean hasYear() {
        return year != NO_YEAR;
    }
}
