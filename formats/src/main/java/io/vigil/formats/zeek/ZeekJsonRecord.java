package io.vigil.formats.zeek;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.vigil.model.EcsJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One Zeek JSON log entry read into columns the way the TSV form renders them, so that one row
 * mapping ({@link ZeekRow}, {@link ZeekLogs}) serves both forms.
 *
 * <p>Zeek's JSON writer ({@code LogAscii::use_json=T}, and the zeek-kafka plugin) writes one
 * object per entry: column names as keys ({@code id.orig_h}), counts and ports as numbers,
 * bools as {@code true}/{@code false}, sets and vectors as arrays of plain values, unset columns
 * left out or {@code null}. Two shapes are read:
 * <ul>
 *   <li>untagged, {@code {"ts":…,"uid":…}}: the log is named by a {@code _path} column if
 *       the pipeline added one, else by the stream (see {@code ZeekDecoder});
 *   <li>tagged, {@code {"conn":{…}}} (zeek-kafka {@code tag_json}): the one object-valued
 *       member names the log; other top-level members are the plugin's
 *       {@code additional_message_values}, not columns.
 * </ul>
 * Rendered as TSV: bools {@code T}/{@code F}; numbers as written (an exponent, which Zeek
 * writes for very small intervals, is expanded); arrays joined by {@code ,} with a {@code ,}
 * inside an element escaped {@code \x2c} and a null element {@code -}; empty strings, empty
 * arrays and {@code null} are unset. Nested objects (pipelines that un-flatten
 * {@code id.orig_h} into {@code {"id":{"orig_h":…}}}) are flattened back to dotted names.
 *
 * <p>Bounded work whatever the input: at most {@value #MAX_DEPTH} levels of nesting and
 * {@value #MAX_COLUMNS} columns, read with a streaming parser (no tree). A key given twice is
 * refused rather than guessed at: which of two {@code id.orig_h} would be the source?
 */
public final class ZeekJsonRecord {

    /** The top object, a tag's record, one un-flattened record level, and an array: 4 are enough. */
    public static final int MAX_DEPTH = 5;
    /** Zeek's widest default logs have under 60 columns. */
    public static final int MAX_COLUMNS = 512;

    private static final JsonFactory JSON = EcsJson.MAPPER.getFactory();
    private static final String PATH_COLUMN = "_path";

    /** How the {@code ts} column was written: each {@code JSON::TimestampFormat} has its own. */
    public enum TsType {
        /** No {@code ts}, or {@code null}. */
        ABSENT,
        /** An integer: {@code JSON::TS_MILLIS}. */
        INTEGER,
        /** A number with a fraction: {@code JSON::TS_EPOCH} (Zeek's default). */
        DECIMAL,
        /** A string: {@code JSON::TS_ISO8601}, or epoch seconds a pipeline turned into text. */
        STRING,
        /** A bool or an array: not a time. */
        OTHER
    }

    /** Thrown by {@link #read} with the reason the record is not a Zeek JSON entry. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private final String path;
    private final String[] names;
    private final String[] values;
    private final TsType tsType;
    private final String ts;

    private ZeekJsonRecord(String path, String[] names, String[] values, TsType tsType, String ts) {
        this.path = path;
        this.names = names;
        this.values = values;
        this.tsType = tsType;
        this.ts = ts;
    }

    /** The log the record names itself (its tag, else its {@code _path}), or {@code null}. Log content. */
    public String path() { return path; }
    /** The column names (dotted, as in a TSV {@code #fields} line). */
    public String[] names() { return names; }
    /** The column values as TSV renders them; {@code null} when unset. */
    public String[] values() { return values; }
    public TsType tsType() { return tsType; }
    /** The {@code ts} column as written, or {@code null}. */
    public String ts() { return ts; }

    /** Reads one record; {@code json} is the whole record (one line). */
    public static ZeekJsonRecord read(String json) throws Malformed {
        Columns columns = new Columns();
        try (JsonParser p = JSON.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new Malformed("Zeek JSON record is not an object: it starts with " + describe(first));
            }
            readObject(p, "", 1, columns);
            if (p.nextToken() != null) {
                throw new Malformed("Zeek JSON record has content after its object, at column "
                        + p.currentTokenLocation().getColumnNr());
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new Malformed("invalid JSON" + (at == null ? "" : " at column " + at.getColumnNr()) + ": "
                    + clip(firstLine(e.getOriginalMessage()), 200));
        } catch (IOException e) {
            throw new Malformed("invalid JSON: " + clip(firstLine(e.getMessage()), 200)); // not thrown for a String
        }
        return columns.record();
    }

    private static void readObject(JsonParser p, String prefix, int depth, Columns columns)
            throws IOException, Malformed {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = prefix + p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.START_OBJECT) {
                nest(depth, name);
                if (depth == 1) {
                    columns.topObjects++;
                    columns.topObject = name;
                }
                readObject(p, name + ".", depth + 1, columns);
            } else if (value == JsonToken.START_ARRAY) {
                nest(depth, name);
                columns.add(name, readArray(p, name), value);
            } else {
                columns.add(name, scalar(p, value), value);
            }
            if (depth == 1) {
                columns.topMembers++;
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new Malformed("Zeek JSON object is not closed");
        }
    }

    private static void nest(int depth, String name) throws Malformed {
        if (depth >= MAX_DEPTH) {
            throw new Malformed("Zeek JSON nested deeper than " + MAX_DEPTH + " levels (at '" + clip(name, 60)
                    + "'): Zeek writes flat records");
        }
    }

    /** A set or vector: plain values joined by the set separator, as in TSV; {@code null} when empty. */
    private static String readArray(JsonParser p, String name) throws IOException, Malformed {
        StringBuilder joined = new StringBuilder();
        int count = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT || t == null) {
                throw new Malformed("Zeek JSON column '" + clip(name, 60) + "' holds a nested "
                        + (t == JsonToken.START_OBJECT ? "object" : "array")
                        + " in an array: Zeek writes sets and vectors of plain values");
            }
            String v = scalar(p, t);
            if (count++ > 0) {
                joined.append(ZeekHeader.DEFAULT_SET_SEPARATOR);
            }
            // as Zeek's TSV writer does, so that the joined column splits back into its elements
            joined.append(v == null ? "-" : v.replace(ZeekHeader.DEFAULT_SET_SEPARATOR, "\\x2c"));
        }
        return count == 0 ? null : joined.toString();
    }

    private static String scalar(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> {
                String s = p.getText();
                yield s.isEmpty() ? null : s;
            }
            case VALUE_NUMBER_INT -> p.getText();
            case VALUE_NUMBER_FLOAT -> plain(p.getText());
            case VALUE_TRUE -> "T";
            case VALUE_FALSE -> "F";
            default -> null; // VALUE_NULL: an unset column written by include_unset_fields
        };
    }

    /** {@code 1.5e-07} as {@code 0.00000015}; exponents too large to write out stay as they are. */
    private static String plain(String number) {
        if (number.indexOf('e') < 0 && number.indexOf('E') < 0) {
            return number;
        }
        BigDecimal d = new BigDecimal(number);
        return Math.abs((long) d.scale()) <= 40 ? d.toPlainString() : number;
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a bool";
            case VALUE_NULL -> "null";
            default -> t.asString();
        };
    }

    static String clip(String v, int max) {
        return v == null ? "" : v.length() <= max ? v : v.substring(0, max) + "…";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "parse error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** The columns read so far, and what decides between the tagged and untagged shapes. */
    private static final class Columns {
        final List<String> names = new ArrayList<>();
        final List<String> values = new ArrayList<>();
        final List<JsonToken> types = new ArrayList<>();
        final Set<String> seen = new HashSet<>();
        int topMembers;
        int topObjects;
        String topObject;
        boolean topTs;

        void add(String name, String value, JsonToken type) throws Malformed {
            if (!seen.add(name)) {
                throw new Malformed("Zeek JSON record has the key '" + clip(name, 60) + "' twice");
            }
            if (names.size() == MAX_COLUMNS) {
                throw new Malformed("Zeek JSON record has more than " + MAX_COLUMNS + " columns");
            }
            names.add(name);
            values.add(value);
            types.add(type);
            topTs |= name.equals("ts");
        }

        ZeekJsonRecord record() {
            // tagged: {"conn":{…}} plus, maybe, zeek-kafka's additional_message_values beside it
            boolean tagged = !topTs && topObjects == 1;
            String prefix = tagged ? topObject + "." : "";
            List<String> n = new ArrayList<>(names.size());
            List<String> v = new ArrayList<>(names.size());
            String pathColumn = null;
            TsType tsType = TsType.ABSENT;
            String ts = null;
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                if (!name.startsWith(prefix)) {
                    continue; // a tagged record's top-level additions
                }
                name = name.substring(prefix.length());
                String value = values.get(i);
                if (name.equals(PATH_COLUMN)) {
                    pathColumn = value;
                    continue;
                }
                if (name.equals("ts") && value != null) {
                    ts = value;
                    tsType = switch (types.get(i)) {
                        case VALUE_NUMBER_INT -> TsType.INTEGER;
                        case VALUE_NUMBER_FLOAT -> TsType.DECIMAL;
                        case VALUE_STRING -> TsType.STRING;
                        default -> TsType.OTHER;
                    };
                }
                n.add(name);
                v.add(value);
            }
            String path = tagged ? topObject : pathColumn;
            return new ZeekJsonRecord(path, n.toArray(new String[0]), v.toArray(new String[0]), tsType, ts);
        }
    }
}
