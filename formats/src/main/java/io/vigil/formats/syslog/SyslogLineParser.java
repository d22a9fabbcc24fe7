package io.vigil.formats.syslog;

import java.time.ZoneOffset;

/**
 * Splits one syslog line into its header fields and message, for the three layouts found in
 * {@code /var/log/auth.log}, {@code /var/log/secure} and {@code /var/log/messages}: RFC 3164
 * ({@code Jun  4 03:04:05 host prog[pid]: msg}, optionally after {@code <PRI>}), RFC 5424
 * ({@code <PRI>1 2024-01-02T03:04:05.123Z host app procid msgid [SD] msg}) and rsyslog's ISO form
 * ({@code 2024-01-02T03:04:05.123456+01:00 host prog[pid]: msg}).
 *
 * <p>Hand-written rather than a regular expression: it runs once per line on the hot path, reads
 * each character once and cannot backtrack. Not thread-safe (it keeps a cursor); use one per
 * decoder.
 */
public final class SyslogLineParser {

    /** RFC 3164 says 32; real tags are longer ({@code systemd-networkd-wait-online}), so be lenient. */
    private static final int MAX_TAG = 64;
    private static final int MAX_PRI = 191;

    /** A parsed line, or why the line is not syslog. */
    public record Parsed(SyslogLine line, String error) {
        static Parsed ok(SyslogLine line) {
            return new Parsed(line, null);
        }

        static Parsed fail(String error) {
            return new Parsed(null, error);
        }
    }

    private String s;
    private int n;
    private int pos;

    public Parsed parse(String line) {
        s = line;
        n = line.length();
        pos = 0;
        Integer pri = null;
        if (n > 0 && s.charAt(0) == '<') {
            int v = 0;
            int j = 1;
            while (j < n && j <= 3 && isDigit(s.charAt(j))) {
                v = v * 10 + (s.charAt(j) - '0');
                j++;
            }
            if (j == 1 || j >= n || s.charAt(j) != '>' || v > MAX_PRI) {
                return Parsed.fail("not syslog: malformed <PRI> at the start of the line");
            }
            pri = v;
            pos = j + 1;
        }
        if (pos + 1 < n && s.charAt(pos) == '1' && s.charAt(pos + 1) == ' ') {
            pos += 2;
            return rfc5424(pri);
        }
        if (pos >= n) {
            return Parsed.fail("not syslog: nothing after <PRI>");
        }
        char c = s.charAt(pos);
        SyslogTimestamp ts;
        SyslogLine.Format format;
        if (isDigit(c)) {
            ts = iso();
            format = SyslogLine.Format.ISO8601;
        } else {
            ts = bsd();
            format = SyslogLine.Format.RFC3164;
        }
        if (ts == null) {
            return Parsed.fail("not syslog: no timestamp at column " + (pos + 1));
        }
        return bsdRest(format, pri, ts);
    }

    // ------------------------------------------------------------------ RFC 3164 / ISO body

    /** Host, tag[pid]: and message after a BSD or ISO timestamp. */
    private Parsed bsdRest(SyslogLine.Format format, Integer pri, SyslogTimestamp ts) {
        if (pos >= n || s.charAt(pos) != ' ') {
            return Parsed.fail("not syslog: no space after the timestamp at column " + (pos + 1));
        }
        skipSpaces();
        if (pos >= n) {
            return Parsed.fail("not syslog: no host after the timestamp");
        }
        int hostStart = pos;
        int hostEnd = indexOfSpace(hostStart);
        String host = s.substring(hostStart, hostEnd);
        if (looksLikeTag(host)) {
            // Some senders (and local logging to a remote collector) leave the host out:
            // "Oct 11 22:14:15 su[12]: msg". The token is the tag, not a host.
            host = null;
            pos = hostStart;
        } else {
            pos = hostEnd;
            if (pos < n) {
                pos++; // the single separator; extra spaces belong to the message
            }
        }
        int tagStart = pos;
        int i = pos;
        int limit = Math.min(n, tagStart + MAX_TAG);
        while (i < limit) {
            char c = s.charAt(i);
            if (c == ' ' || c == '[' || c == ':') {
                break;
            }
            i++;
        }
        String app = null;
        String procId = null;
        int msgStart = tagStart;
        if (i > tagStart && i < n) {
            char c = s.charAt(i);
            if (c == ':') {
                app = s.substring(tagStart, i);
                msgStart = i + 1;
            } else if (c == '[') {
                int close = s.indexOf(']', i + 1);
                if (close > i + 1 && close + 1 < n && s.charAt(close + 1) == ':') {
                    app = s.substring(tagStart, i);
                    procId = s.substring(i + 1, close);
                    msgStart = close + 2;
                } else if (close > i + 1 && close + 1 == n) {
                    // "prog[123]" with nothing after it
                    app = s.substring(tagStart, i);
                    procId = s.substring(i + 1, close);
                    msgStart = n;
                }
            }
        }
        if (app != null && msgStart < n && s.charAt(msgStart) == ' ') {
            msgStart++;
        }
        String message = msgStart >= n ? "" : s.substring(msgStart);
        return Parsed.ok(new SyslogLine(format, pri, ts, host, app, procId, null, message));
    }

    /** A first token that ends with ':' or holds '[' is a tag written without a host before it. */
    private static boolean looksLikeTag(String token) {
        int last = token.length() - 1;
        if (token.indexOf('[') > 0 && token.charAt(last) == ':') {
            return true;
        }
        // "su:" is a tag; "2001:db8::1" or "fe80::1:" is an IPv6 host, so only one colon qualifies
        return last > 0 && token.charAt(last) == ':' && token.indexOf(':') == last;
    }

    // ------------------------------------------------------------------ RFC 5424

    private Parsed rfc5424(Integer pri) {
        SyslogTimestamp ts;
        if (pos < n && s.charAt(pos) == '-') {
            ts = null;
            pos++;
        } else {
            ts = iso();
            if (ts == null) {
                return Parsed.fail("not syslog: RFC 5424 timestamp malformed at column " + (pos + 1));
            }
        }
        String host = token5424();
        String app = host == BAD ? BAD : token5424();
        String procId = app == BAD ? BAD : token5424();
        String msgId = procId == BAD ? BAD : token5424();
        if (msgId == BAD) {
            return Parsed.fail("not syslog: RFC 5424 header incomplete at column " + (pos + 1));
        }
        if (pos >= n || s.charAt(pos) != ' ') {
            return Parsed.fail("not syslog: RFC 5424 header has no structured data");
        }
        pos++;
        if (!skipStructuredData()) {
            return Parsed.fail("not syslog: RFC 5424 structured data malformed at column " + (pos + 1));
        }
        String message;
        if (pos >= n) {
            message = "";
        } else if (s.charAt(pos) == ' ') {
            int start = pos + 1;
            if (start < n && s.charAt(start) == '\uFEFF') {
                start++; // the BOM that marks a UTF-8 MSG is not part of the text
            }
            message = s.substring(start);
        } else {
            return Parsed.fail("not syslog: no space after RFC 5424 structured data at column " + (pos + 1));
        }
        return Parsed.ok(new SyslogLine(SyslogLine.Format.RFC5424, pri, ts, host, app, procId, msgId, message));
    }

    /** Marks a missing header field; compared by identity. */
    private static final String BAD = new String("<bad>");

    /** " TOKEN": a space then a non-empty token; {@code null} for NILVALUE, {@link #BAD} when missing. */
    private String token5424() {
        if (pos >= n || s.charAt(pos) != ' ') {
            return BAD;
        }
        int start = pos + 1;
        int end = indexOfSpace(start);
        if (end == start) {
            return BAD;
        }
        pos = end;
        if (end - start == 1 && s.charAt(start) == '-') {
            return null;
        }
        return s.substring(start, end);
    }

    /** Skips "-" or one or more [id param="value"...] elements, honouring \" \] \\ escapes in values. */
    private boolean skipStructuredData() {
        if (pos < n && s.charAt(pos) == '-') {
            pos++;
            return true;
        }
        if (pos >= n || s.charAt(pos) != '[') {
            return false;
        }
        while (pos < n && s.charAt(pos) == '[') {
            pos++;
            boolean quoted = false;
            boolean closed = false;
            while (pos < n) {
                char c = s.charAt(pos++);
                if (quoted) {
                    if (c == '\\') {
                        pos++;
                    } else if (c == '"') {
                        quoted = false;
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ']') {
                    closed = true;
                    break;
                }
            }
            if (!closed) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ timestamps

    /** {@code Mmm dd hh:mm:ss[.fff]}, the day space- or zero-padded. */
    private SyslogTimestamp bsd() {
        if (pos + 3 > n) {
            return null;
        }
        int month = month(s.charAt(pos), s.charAt(pos + 1), s.charAt(pos + 2));
        if (month == 0) {
            return null;
        }
        int i = pos + 3;
        if (i >= n || s.charAt(i) != ' ') {
            return null;
        }
        i++;
        if (i < n && s.charAt(i) == ' ') {
            i++;
        }
        int day = 0;
        int digits = 0;
        while (i < n && digits < 2 && isDigit(s.charAt(i))) {
            day = day * 10 + (s.charAt(i++) - '0');
            digits++;
        }
        if (digits == 0 || day < 1 || day > 31 || i >= n || s.charAt(i) != ' ') {
            return null;
        }
        i++;
        pos = i;
        int sod = clock();
        if (sod < 0) {
            return null;
        }
        int nano = fraction();
        return new SyslogTimestamp(SyslogTimestamp.NO_YEAR, month, day, sod, nano, null);
    }

    /** {@code yyyy-MM-ddThh:mm:ss[.f{1,9}][Z|±hh:mm|±hhmm]}. */
    private SyslogTimestamp iso() {
        int i = pos;
        if (i + 10 > n) {
            return null;
        }
        int year = digits(i, 4);
        int month = s.charAt(i + 4) == '-' ? digits(i + 5, 2) : -1;
        int day = s.charAt(i + 7) == '-' ? digits(i + 8, 2) : -1;
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month)) {
            return null;
        }
        i += 10;
        if (i >= n || (s.charAt(i) != 'T' && s.charAt(i) != 't' && s.charAt(i) != ' ')) {
            return null;
        }
        pos = i + 1;
        int sod = clock();
        if (sod < 0) {
            return null;
        }
        int nano = fraction();
        ZoneOffset offset = null;
        if (pos < n) {
            char c = s.charAt(pos);
            if (c == 'Z' || c == 'z') {
                offset = ZoneOffset.UTC;
                pos++;
            } else if (c == '+' || c == '-') {
                int hh = digits(pos + 1, 2);
                int mmAt = pos + 3 < n && s.charAt(pos + 3) == ':' ? pos + 4 : pos + 3;
                int mm = digits(mmAt, 2);
                if (hh < 0 || mm < 0 || hh > 18 || mm > 59) {
                    return null;
                }
                int total = (hh * 3600 + mm * 60) * (c == '-' ? -1 : 1);
                if (Math.abs(total) > 18 * 3600) {
                    return null;
                }
                offset = ZoneOffset.ofTotalSeconds(total);
                pos = mmAt + 2;
            }
        }
        return new SyslogTimestamp(year, month, day, sod, nano, offset);
    }

    /** {@code hh:mm:ss} at {@link #pos} as a second of the day, or -1. */
    private int clock() {
        int i = pos;
        if (i + 8 > n || s.charAt(i + 2) != ':' || s.charAt(i + 5) != ':') {
            return -1;
        }
        int h = digits(i, 2);
        int m = digits(i + 3, 2);
        int sec = digits(i + 6, 2);
        if (h < 0 || m < 0 || sec < 0 || h > 23 || m > 59 || sec > 60) {
            return -1;
        }
        pos = i + 8;
        // a leap second (":60") is kept on the time line as the last instant of its minute
        return h * 3600 + m * 60 + Math.min(sec, 59);
    }

    /** An optional {@code .digits} fraction at {@link #pos}, in nanoseconds (digits past 9 ignored). */
    private int fraction() {
        if (pos >= n || (s.charAt(pos) != '.' && s.charAt(pos) != ',') || pos + 1 >= n || !isDigit(s.charAt(pos + 1))) {
            return 0;
        }
        int i = pos + 1;
        int nano = 0;
        int count = 0;
        while (i < n && isDigit(s.charAt(i))) {
            if (count < 9) {
                nano = nano * 10 + (s.charAt(i) - '0');
                count++;
            }
            i++;
        }
        for (; count < 9; count++) {
            nano *= 10;
        }
        pos = i;
        return nano;
    }

    private int digits(int from, int count) {
        if (from + count > n) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** The month number of a three-letter English abbreviation (any case), or 0. */
    static int month(char a, char b, char c) {
        int key = ((a | 0x20) << 16) | ((b | 0x20) << 8) | (c | 0x20);
        return switch (key) {
            case ('j' << 16) | ('a' << 8) | 'n' -> 1;
            case ('f' << 16) | ('e' << 8) | 'b' -> 2;
            case ('m' << 16) | ('a' << 8) | 'r' -> 3;
            case ('a' << 16) | ('p' << 8) | 'r' -> 4;
            case ('m' << 16) | ('a' << 8) | 'y' -> 5;
            case ('j' << 16) | ('u' << 8) | 'n' -> 6;
            case ('j' << 16) | ('u' << 8) | 'l' -> 7;
            case ('a' << 16) | ('u' << 8) | 'g' -> 8;
            case ('s' << 16) | ('e' << 8) | 'p' -> 9;
            case ('o' << 16) | ('c' << 8) | 't' -> 10;
            case ('n' << 16) | ('o' << 8) | 'v' -> 11;
            case ('d' << 16) | ('e' << 8) | 'c' -> 12;
            default -> 0;
        };
    }

    /** Days in {@code month} of {@code year} (proleptic Gregorian), without allocating. */
    public static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> java.time.Year.isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private void skipSpaces() {
        while (pos < n && s.charAt(pos) == ' ') {
            pos++;
        }
    }

    private int indexOfSpace(int from) {
        int i = s.indexOf(' ', from);
        return i < 0 ? n : i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
