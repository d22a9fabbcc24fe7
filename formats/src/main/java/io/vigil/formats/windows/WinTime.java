package io.vigil.formats.windows;

import io.vigil.formats.text.AsciiDigits;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Parses the time stamps Windows shippers write: ISO-8601 with a zone ({@code @timestamp},
 * Winlogbeat, newer {@code TimeCreated}), and zone-less {@code YYYY-MM-DD hh:mm:ss[.fff]}
 * (NXLog {@code EventTime}, older {@code TimeCreated}, Sysmon {@code UtcTime}).
 *
 * <p>Hand-written rather than {@code DateTimeFormatter}: it runs for every record, and the two
 * layouts are fixed. Invalid input gives {@code null}, never an exception.
 */
public final class WinTime {

    private WinTime() {}

    /** A parsed stamp: the wall-clock time and its offset, {@code null} when the text had none. */
    public record Stamp(LocalDateTime local, ZoneOffset offset) {
        public boolean zoned() {
            return offset != null;
        }

        /** The instant, taking a zone-less stamp to be in {@code zone}. */
        public Instant in(ZoneId zone) {
            return offset != null ? local.toInstant(offset) : local.atZone(zone).toInstant();
        }
    }

    /** Parses {@code s}, or returns {@code null} when it is not one of the two layouts. */
    public static Stamp parse(String s) {
        if (s == null) {
            return null;
        }
        int n = s.length();
        if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        char sep = s.charAt(10);
        if (sep != 'T' && sep != ' ' && sep != 't') {
            return null;
        }
        int year = AsciiDigits.parse(s, 0, 4);
        int month = AsciiDigits.parse(s, 5, 2);
        int day = AsciiDigits.parse(s, 8, 2);
        int hour = AsciiDigits.parse(s, 11, 2);
        int minute = AsciiDigits.parse(s, 14, 2);
        int second = AsciiDigits.parse(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
            i++;
            int start = i;
            int scale = 100_000_000;
            while (i < n && Character.isDigit(s.charAt(i))) {
                if (i - start < 9) {
                    nanos += (s.charAt(i) - '0') * scale;
                    scale /= 10;
                }
                i++;
            }
            if (i == start) {
                return null;
            }
        }
        ZoneOffset offset = null;
        if (i < n) {
            char c = s.charAt(i);
            if ((c == 'Z' || c == 'z') && i == n - 1) {
                offset = ZoneOffset.UTC;
            } else if (c == '+' || c == '-') {
                offset = offset(s, i + 1, c == '-');
                if (offset == null) {
                    return null;
                }
            } else {
                return null;
            }
        }
        try {
            return new Stamp(LocalDateTime.of(year, month, day, hour, minute, second, nanos), offset);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** {@code hh:mm}, {@code hhmm} or {@code hh} up to the end of {@code s}. */
    private static ZoneOffset offset(String s, int at, boolean negative) {
        int rest = s.length() - at;
        int h;
        int m = 0;
        if (rest == 2) {
            h = AsciiDigits.parse(s, at, 2);
        } else if (rest == 4) {
            h = AsciiDigits.parse(s, at, 2);
            m = AsciiDigits.parse(s, at + 2, 2);
        } else if (rest == 5 && s.charAt(at + 2) == ':') {
            h = AsciiDigits.parse(s, at, 2);
            m = AsciiDigits.parse(s, at + 3, 2);
        } else {
            return null;
        }
        if (h < 0 || m < 0) {
            return null;
        }
        try {
            return negative ? ZoneOffset.ofHoursMinutes(-h, -m) : ZoneOffset.ofHoursMinutes(h, m);
        } catch (DateTimeException e) {
            return null;
        }
    }
}
