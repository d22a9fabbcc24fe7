package io.vigil.formats.access;

import io.vigil.formats.text.AsciiDigits;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A hand-written, single-pass scanner for the Apache/Nginx "common" and "combined" formats:
 *
 * <pre>client ident user [dd/Mon/yyyy:hh:mm:ss +zzzz] "request" status bytes ["referrer" "user-agent"]</pre>
 *
 * <p>It is the hot path of access-log ingestion, hence no regular expression and no
 * intermediate splitting. Quoted fields honour Apache's backslash escapes ({@code \"} and
 * {@code \\} are unescaped; other escapes such as {@code \x16} are kept as written). A user
 * agent that runs to the end of the line without its closing quote is accepted and flagged
 * (a writer cut the line short), anything else that does not fit is refused with the reason.
 *
 * <p>{@link #scan} is thread-safe: each call uses its own scanner instance.
 */
public final class AccessLogScanner {

    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };

    /** Thrown inside the scanner only; the message is the reason a line is refused. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            // no stack trace: refusals are ordinary data outcomes, not bugs
            super(message, null, false, false);
        }
    }

    private final String s;
    private final int n;
    private int pos;

    private AccessLogScanner(String line) {
        this.s = line;
        this.n = line.length();
    }

    /** Scans one line (without its line end). */
    public static AccessLogLine scan(String line) throws Refused {
        return new AccessLogScanner(line).line();
    }

    private AccessLogLine line() throws Refused {
        String client = token("client address");
        if (!looksLikeHost(client)) {
            throw refused("expected a client address at column 1, found '" + clip(client) + "'");
        }
        space();
        token("ident");
        space();
        String user = dashToNull(token("user"));
        space();
        Instant timestamp = timestamp();
        space();
        boolean[] truncated = new boolean[1];
        String request = quoted("request line", false, truncated);
        space();
        Integer status = status();
        space();
        Long bytes = bytes();
        String referrer = null;
        String userAgent = null;
        boolean combined = false;
        if (pos < n) {
            space();
            referrer = dashToNull(quoted("referrer", false, truncated));
            space();
            userAgent = dashToNull(quoted("user agent", true, truncated));
            combined = true;
            // Anything after the user agent (nginx $http_x_forwarded_for, response times…) is
            // not part of the combined format; it stays in event.original.
        }

        String method = null;
        String target = null;
        String version = null;
        boolean unparsed = false;
        if (request != null && !request.isEmpty() && !request.equals("-")) {
            int sp1 = request.indexOf(' ');
            String m = sp1 < 0 ? request : request.substring(0, sp1);
            if (sp1 > 0 && isMethod(m)) {
                method = m;
                int sp2 = request.lastIndexOf(' ');
                String last = request.substring(sp2 + 1);
                if (sp2 > sp1 && last.startsWith("HTTP/")) {
                    version = last.substring(5);
                    target = request.substring(sp1 + 1, sp2);
                } else {
                    // HTTP/0.9 style "GET /" without a version, or a target with raw spaces
                    target = request.substring(sp1 + 1);
                }
                if (target.isEmpty()) {
                    target = null;
                }
            } else {
                // e.g. a TLS handshake sent to a plain HTTP port: logged as the raw bytes
                unparsed = true;
            }
        }
        return new AccessLogLine(client, user, timestamp, request, method, target, version, status, bytes,
                referrer, userAgent, combined, truncated[0], unparsed);
    }

    // ------------------------------------------------------------------ pieces

    private String token(String what) throws Refused {
        int start = pos;
        while (pos < n && s.charAt(pos) != ' ') {
            pos++;
        }
        if (pos == start) {
            throw refused("expected " + what + " at column " + (start + 1));
        }
        return s.substring(start, pos);
    }

    private void space() throws Refused {
        if (pos >= n || s.charAt(pos) != ' ') {
            throw refused("expected a space at column " + (pos + 1) + (pos >= n ? " (line ends)" : ""));
        }
        pos++;
    }

    /** {@code [dd/Mon/yyyy:hh:mm:ss +zzzz]} */
    private Instant timestamp() throws Refused {
        int start = pos;
        // "[" + 20 chars + " " + 5 chars + "]" = 28
        if (n - pos < 28 || s.charAt(pos) != '[' || s.charAt(pos + 27) != ']') {
            throw refused("expected [dd/Mon/yyyy:hh:mm:ss +zzzz] at column " + (start + 1));
        }
        int p = pos + 1;
        int day = digits(p, 2);
        int month = month(p + 3);
        int year = digits(p + 7, 4);
        int hour = digits(p + 12, 2);
        int minute = digits(p + 15, 2);
        int second = digits(p + 18, 2);
        char sign = s.charAt(p + 21);
        int offH = digits(p + 22, 2);
        int offM = digits(p + 24, 2);
        if (s.charAt(p + 2) != '/' || s.charAt(p + 6) != '/' || s.charAt(p + 11) != ':' || s.charAt(p + 14) != ':'
                || s.charAt(p + 17) != ':' || s.charAt(p + 20) != ' ' || (sign != '+' && sign != '-')
                || day < 1 || month < 1 || year < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 60 || offH < 0 || offH > 18 || offM < 0 || offM > 59) {
            throw refused("expected [dd/Mon/yyyy:hh:mm:ss +zzzz] at column " + (start + 1) + ", found '"
                    + s.substring(start, start + 28) + "'");
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (java.time.DateTimeException e) {
            throw refused("invalid date '" + s.substring(start + 1, start + 12) + "' at column " + (start + 2));
        }
        long offset = (offH * 3600L + offM * 60L) * (sign == '-' ? -1 : 1);
        long epochSecond = epochDay * 86400L + hour * 3600L + minute * 60L + second - offset;
        pos += 28;
        return Instant.ofEpochSecond(epochSecond);
    }

    /** Two or four ASCII digits at {@code p}, or -1. */
    private int digits(int p, int count) {
        return AsciiDigits.parse(s, p, count);
    }

    private int month(int p) {
        for (int i = 0; i < 12; i++) {
            if (s.regionMatches(p, MONTHS[i], 0, 3)) {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * A double-quoted field with backslash escapes. When {@code lenientEnd} is set and the line
     * ends before the closing quote, the field runs to the end of the line and
     * {@code truncated[0]} is set.
     */
    private String quoted(String what, boolean lenientEnd, boolean[] truncated) throws Refused {
        if (pos >= n || s.charAt(pos) != '"') {
            throw refused("expected the quoted " + what + " at column " + (pos + 1));
        }
        int start = ++pos;
        boolean escaped = false;
        while (pos < n) {
            char c = s.charAt(pos);
            if (c == '\\' && pos + 1 < n) {
                escaped = true;
                pos += 2;
                continue;
            }
            if (c == '"') {
                String value = s.substring(start, pos);
                pos++;
                return escaped ? unescape(value) : value;
            }
            pos++;
        }
        if (lenientEnd) {
            truncated[0] = true;
            String value = s.substring(start, n);
            return escaped ? unescape(value) : value;
        }
        throw refused("the " + what + " opened at column " + start + " has no closing quote");
    }

    /** Undoes Apache's {@code \"} and {@code \\}; other escapes stay as written. */
    private static String unescape(String v) {
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length() && (v.charAt(i + 1) == '"' || v.charAt(i + 1) == '\\')) {
                b.append(v.charAt(++i));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private Integer status() throws Refused {
        int start = pos;
        String t = token("status code");
        if (t.equals("-")) {
            return null;
        }
        if (t.length() != 3 || digits(start, 3) < 100) {
            throw refused("expected a 3-digit status code at column " + (start + 1) + ", found '" + clip(t) + "'");
        }
        return digits(start, 3);
    }

    private Long bytes() throws Refused {
        int start = pos;
        String t = token("response size");
        if (t.equals("-")) {
            return null;
        }
        if (t.length() > 18) {
            throw refused("response size at column " + (start + 1) + " is too long");
        }
        long v = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                throw refused("expected the response size in bytes at column " + (start + 1) + ", found '"
                        + clip(t) + "'");
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isMethod(String m) {
        if (m.isEmpty() || m.length() > 32) {
            return false;
        }
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** An IP literal or a host name (HostnameLookups on): letters, digits, '.', ':', '-', '_', '%' (IPv6 zone). */
    private static boolean looksLikeHost(String t) {
        if (t.length() > 255) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || c == '.' || c == ':' || c == '-' || c == '_' || c == '%')) {
                return false;
            }
        }
        return true;
    }

    private static String dashToNull(String v) {
        return v == null || v.isEmpty() || v.equals("-") ? null : v;
    }

    private static String clip(String v) {
        return v.length() <= 40 ? v : v.substring(0, 40) + "…";
    }

    private Refused refused(String reason) {
        return new Refused("not an Apache/Nginx access-log line (common or combined format): " + reason);
    }
}
