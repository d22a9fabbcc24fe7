package io.vigil.formats.zeek;

import java.util.HashMap;
import java.util.Map;

/**
 * The parsed header of a Zeek TSV log: separators, the unset/empty markers, {@code #path} and
 * the {@code #fields} columns, plus what the decoder derives from them once per header instead
 * of once per row (the known log, the extra field name of each column).
 *
 * <p>A header without {@code #fields} still parses: it gives a stream's {@code #path} to Zeek
 * JSON records that name no log themselves (a Kafka topic's configured path, a file's name).
 * A JSON record's own columns get a header of their own, {@link #ofColumns}, so both forms
 * share one row mapping.
 */
public final class ZeekHeader {

    /** Zeek's default {@code #set_separator}: how the elements of a set or vector are joined in a column. */
    public static final String DEFAULT_SET_SEPARATOR = ",";

    private final String separator;
    private final String setSeparator;
    private final String emptyField;
    private final String unsetField;
    private final String path;
    private final String[] fields;
    private final Map<String, Integer> index;
    private final ZeekLog log;
    private final String[] extraNames;

    private ZeekHeader(String separator, String setSeparator, String emptyField, String unsetField, String path,
                       String[] fields) {
        this.separator = separator;
        this.setSeparator = setSeparator;
        this.emptyField = emptyField;
        this.unsetField = unsetField;
        this.path = path;
        this.fields = fields;
        this.index = new HashMap<>(fields.length * 2);
        for (int i = 0; i < fields.length; i++) {
            index.putIfAbsent(fields[i], i);
        }
        this.log = ZeekLogs.byPath(path);
        this.extraNames = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            extraNames[i] = log == null ? null : log.extraName(fields[i]);
        }
    }

    /** Thrown by {@link #parse} with the reason the header is unusable. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** The columns of one Zeek JSON record of log {@code path}, with Zeek's default TSV markers. */
    public static ZeekHeader ofColumns(String path, String[] fields) {
        return new ZeekHeader("\t", DEFAULT_SET_SEPARATOR, "(empty)", "-", path, fields);
    }

    /**
     * Parses the header lines as the framing layer joins them ({@code \n}-separated, each as in
     * the file). Directives Vigil does not use ({@code #open}, {@code #types}, {@code #close})
     * are skipped. Without a {@code #fields} line the header has no fields ({@link #hasFields}).
     */
    public static ZeekHeader parse(String header) throws Invalid {
        String separator = "\t";
        String setSeparator = DEFAULT_SET_SEPARATOR;
        String emptyField = "(empty)";
        String unsetField = "-";
        String path = null;
        String[] fields = null;
        int lineNo = 0;
        int start = 0;
        while (start <= header.length()) {
            int nl = header.indexOf('\n', start);
            int end = nl < 0 ? header.length() : nl;
            String line = header.substring(start, end);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            lineNo++;
            start = end + 1;
            if (line.isEmpty()) {
                if (nl < 0) {
                    break;
                }
                continue;
            }
            if (line.charAt(0) != '#') {
                throw new Invalid("Zeek header line " + lineNo + " does not start with '#'");
            }
            if (line.startsWith("#separator ")) {
                // the one directive whose value follows a space: the separator is not known yet
                separator = unescape(line.substring("#separator ".length()));
                if (separator.isEmpty()) {
                    throw new Invalid("Zeek header line " + lineNo + ": empty #separator");
                }
            } else {
                int sep = line.indexOf(separator);
                if (sep < 0) {
                    continue; // a directive without a value
                }
                String name = line.substring(1, sep);
                String value = line.substring(sep + separator.length());
                switch (name) {
                    case "set_separator" -> setSeparator = value;
                    case "empty_field" -> emptyField = value;
                    case "unset_field" -> unsetField = value;
                    case "path" -> path = value;
                    case "fields" -> fields = split(value, separator);
                    default -> { }
                }
            }
            if (nl < 0) {
                break;
            }
        }
        return new ZeekHeader(separator, setSeparator, emptyField, unsetField, path,
                fields == null ? new String[0] : fields);
    }

    /** {@code \x09} style escapes, as Zeek writes the separator. */
    static String unescape(String v) {
        if (v.indexOf('\\') < 0) {
            return v;
        }
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 3 < v.length() && v.charAt(i + 1) == 'x'
                    && Character.digit(v.charAt(i + 2), 16) >= 0 && Character.digit(v.charAt(i + 3), 16) >= 0) {
                b.append((char) Integer.parseInt(v.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Splits on a literal separator, keeping empty pieces. */
    static String[] split(String line, String separator) {
        int count = 1;
        for (int i = line.indexOf(separator); i >= 0; i = line.indexOf(separator, i + separator.length())) {
            count++;
        }
        String[] out = new String[count];
        int start = 0;
        for (int k = 0; k < count - 1; k++) {
            int i = line.indexOf(separator, start);
            out[k] = line.substring(start, i);
            start = i + separator.length();
        }
        out[count - 1] = line.substring(start);
        return out;
    }

    public String separator() { return separator; }
    public String setSeparator() { return setSeparator; }
    public String emptyField() { return emptyField; }
    public String unsetField() { return unsetField; }
    /** The {@code #path} as written (log content: never used as a name unless it is a known log). */
    public String path() { return path; }
    public String[] fields() { return fields; }
    /** Whether the header declares its columns (a {@code #fields} line): TSV rows need it, JSON records do not. */
    public boolean hasFields() { return fields.length > 0; }
    /** The known log this header is, or {@code null}. */
    public ZeekLog log() { return log; }

    /** Column of {@code field}, or -1. */
    public int indexOf(String field) {
        Integer i = index.get(field);
        return i == null ? -1 : i;
    }

    /** The allow-listed extra field name of column {@code i}, or {@code null}. */
    public String extraName(int i) {
        return extraNames[i];
    }
}
