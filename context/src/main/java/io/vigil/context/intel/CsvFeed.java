package io.vigil.context.intel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CSV with a header line naming the columns: {@code type} and {@code value} (required), then any of
 * {@code confidence}, {@code valid_from}, {@code valid_until}, {@code description}, {@code provider}
 * in any order. Types: {@code ipv4-addr}, {@code ipv6-addr}, {@code cidr}, {@code domain-name},
 * {@code url}, {@code md5}, {@code sha1}, {@code sha256}, and {@code ip}, {@code domain},
 * {@code hash} whose kind is taken from the value. Fields are RFC 4180 (double quotes, doubled to
 * escape); blank lines and lines starting with {@code #} are skipped. A wrong line is refused and
 * named by its number; a wrong header fails the feed.
 */
final class CsvFeed {

    static final List<String> COLUMNS = List.of("type", "value", "confidence", "valid_from", "valid_until",
            "description", "provider");

    /** Distinct timestamps remembered while reading one feed. */
    static final int MAX_REMEMBERED_TIMES = 4096;

    private CsvFeed() {}

    static FeedResult read(byte[] body, String feed) throws IOException {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        FeedResult.Collector c = new FeedResult.Collector();
        Map<String, Instant> times = new HashMap<>();
        int[] columns = null;
        int lineNo = 0;
        int at = 0;
        while (at < text.length()) {
            int end = text.indexOf('\n', at);
            String line = text.substring(at, end < 0 ? text.length() : end);
            at = end < 0 ? text.length() : end + 1;
            lineNo++;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> fields = fields(line);
            if (fields == null) {
                if (columns == null) {
                    throw new IOException("csv feed " + feed + ", line " + lineNo + ": a quote is not closed");
                }
                c.refuse("line " + lineNo, "a quote is not closed");
                continue;
            }
            if (columns == null) {
                columns = header(fields, feed, lineNo);
                continue;
            }
            line(fields, columns, feed, "line " + lineNo, c, times);
        }
        if (columns == null) {
            throw new IOException("csv feed " + feed + ": no header line (" + String.join(",", COLUMNS) + ")");
        }
        return c.result();
    }

    /** Column index of each of {@link #COLUMNS} in the file, or -1. */
    private static int[] header(List<String> names, String feed, int lineNo) throws IOException {
        int[] columns = new int[COLUMNS.size()];
        java.util.Arrays.fill(columns, -1);
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i).strip().toLowerCase(Locale.ROOT);
            int known = COLUMNS.indexOf(n);
            if (known < 0) {
                throw new IOException("csv feed " + feed + ", line " + lineNo + ": unknown column "
                        + IndicatorValues.shorten(names.get(i)) + " (columns: " + String.join(",", COLUMNS) + ")");
            }
            if (columns[known] >= 0) {
                throw new IOException("csv feed " + feed + ", line " + lineNo + ": column " + n + " twice");
            }
            columns[known] = i;
        }
        if (columns[0] < 0 || columns[1] < 0) {
            throw new IOException("csv feed " + feed + ", line " + lineNo + ": the header needs the columns type and "
                    + "value (columns: " + String.join(",", COLUMNS) + ")");
        }
        return columns;
    }

    private static void line(List<String> fields, int[] columns, String feed, String where, FeedResult.Collector c,
                             Map<String, Instant> times) {
        try {
            String rawType = column(fields, columns, 0);
            String raw = column(fields, columns, 1);
            if (rawType == null || raw == null) {
                throw new IllegalArgumentException("no type or value");
            }
            Indicator.Type type = type(rawType.toLowerCase(Locale.ROOT), raw);
            String conf = column(fields, columns, 2);
            int confidence = 50;
            if (conf != null) {
                try {
                    confidence = Integer.parseInt(conf);
                } catch (NumberFormatException e) {
                    confidence = -1;
                }
                if (confidence < 0 || confidence > 100) {
                    throw new IllegalArgumentException("confidence is an integer 0 to 100: " + IndicatorValues.shorten(conf));
                }
            }
            c.indicators.add(new Indicator(type, IndicatorValues.normalize(type, raw), confidence,
                    time(column(fields, columns, 3), "valid_from", times),
                    time(column(fields, columns, 4), "valid_until", times),
                    feed, column(fields, columns, 6), null, column(fields, columns, 5)));
        } catch (IllegalArgumentException e) {
            c.refuse(where, e.getMessage());
        }
    }

    private static Indicator.Type type(String type, String value) {
        Indicator.Type t = switch (type) {
            case "ipv4-addr" -> Indicator.Type.IPV4_ADDR;
            case "ipv6-addr" -> Indicator.Type.IPV6_ADDR;
            case "cidr" -> Indicator.Type.CIDR;
            case "domain-name", "domain" -> Indicator.Type.DOMAIN_NAME;
            case "url" -> Indicator.Type.URL;
            case "md5" -> Indicator.Type.MD5;
            case "sha1" -> Indicator.Type.SHA1;
            case "sha256" -> Indicator.Type.SHA256;
            case "ip" -> IndicatorValues.addressType(value);
            case "hash" -> IndicatorValues.hashType(value);
            default -> throw new IllegalArgumentException("unknown type " + IndicatorValues.shorten(type));
        };
        if (t == null) {
            throw new IllegalArgumentException("not an " + type + ": " + IndicatorValues.shorten(value));
        }
        return t;
    }

    private static String column(List<String> fields, int[] columns, int which) {
        int i = columns[which];
        if (i < 0 || i >= fields.size()) {
            return null;
        }
        String v = fields.get(i).strip();
        return v.isEmpty() ? null : v;
    }

    /** Feeds repeat a few times over many lines, and parsing one costs more than the rest of a line: remembered. */
    private static Instant time(String v, String name, Map<String, Instant> times) {
        if (v == null) {
            return null;
        }
        Instant known = times.get(v);
        if (known != null) {
            return known;
        }
        try {
            Instant t = Instant.parse(v);
            if (times.size() < MAX_REMEMBERED_TIMES) {
                times.put(v, t);
            }
            return t;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " is not an RFC 3339 UTC timestamp: " + IndicatorValues.shorten(v));
        }
    }

    /** The fields of one line (RFC 4180 quoting), or {@code null} when a quote is not closed. */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        f.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    f.append(ch);
                }
            } else if (ch == '"' && f.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (ch == ',') {
                out.add(f.toString());
                f.setLength(0);
                wasQuoted = false;
            } else {
                f.append(ch);
            }
        }
        if (quoted) {
            return null;
        }
        out.add(f.toString());
        return out;
    }
}
