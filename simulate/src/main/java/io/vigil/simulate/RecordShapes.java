package io.vigil.simulate;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The line shapes the generators write: syslog and access-log lines, JSON strings. */
final class RecordShapes {

    static final DateTimeFormatter SYSLOG_TIME =
            DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    static final DateTimeFormatter ACCESS_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private RecordShapes() {}

    /** A BSD syslog line (RFC 3164) as sshd and sudo write it through rsyslog. */
    static String syslog(Instant t, String host, String tag, String message) {
        return SYSLOG_TIME.format(t) + " " + host + " " + tag + ": " + message;
    }

    /** A combined-format access-log line; a time with no 4-digit year (a forged one) is written as year 1. */
    static String access(Instant t, String ip, String method, String target, int status, long bytes,
            String referrer, String userAgent) {
        String when;
        try {
            when = ACCESS_TIME.format(t);
        } catch (java.time.DateTimeException e) {
            when = "01/Jan/0001:00:00:00 +0000";
        }
        return ip + " - - [" + when + "] \"" + method + " " + target + " HTTP/1.1\" " + status + " "
                + (bytes == 0 ? "-" : Long.toString(bytes)) + " \"" + referrer + "\" \"" + userAgent + "\"";
    }

    /**
     * Appends {@code s} as a JSON string: quotes, backslashes and control characters escaped (also
     * DEL, the C1 controls and U+202E, so a generated file shows what it holds).
     */
    static StringBuilder quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x202e) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }

    /** {@code s} as a JSON string. */
    static String jsonString(String s) {
        return quote(new StringBuilder(s.length() + 2), s).toString();
    }
}
