package io.vigil.formats;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;

/**
 * Writes a Zeek TSV row the way Zeek's JSON writer writes the same log entry, typed by the
 * header's {@code #types}: bools as true/false, counts, ports, times and intervals as numbers
 * (times and intervals always with a fraction, as Zeek's double writer does), sets and vectors
 * as arrays, unset columns left out. Numbers keep the row's text, so the JSON form of a real
 * row must decode to the event of the row itself. Test data only: real Zeek JSON logs are not
 * in the shared datasets, real Zeek TSV logs are.
 */
public final class ZeekTsvToJson {

    /** Numbers exactly as in the row: 1.500000 stays 1.500000. */
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private final String separator;
    private final String setSeparator;
    private final String emptyField;
    private final String unsetField;
    private final String path;
    private final String[] fields;
    private final String[] types;

    /** @param headerLines the '#' lines in force for the rows to convert */
    public ZeekTsvToJson(List<String> headerLines) {
        String sep = "\t";
        String set = ",";
        String empty = "(empty)";
        String unset = "-";
        String p = null;
        String[] f = null;
        String[] t = null;
        for (String line : headerLines) {
            if (line.startsWith("#separator ")) {
                sep = line.substring("#separator ".length()).equals("\\x09") ? "\t" : line.substring(11);
                continue;
            }
            int at = line.indexOf(sep);
            if (at < 0) {
                continue;
            }
            String name = line.substring(1, at);
            String value = line.substring(at + sep.length());
            switch (name) {
                case "set_separator" -> set = value;
                case "empty_field" -> empty = value;
                case "unset_field" -> unset = value;
                case "path" -> p = value;
                case "fields" -> f = value.split(java.util.regex.Pattern.quote(sep), -1);
                case "types" -> t = value.split(java.util.regex.Pattern.quote(sep), -1);
                default -> { }
            }
        }
        if (f == null || t == null || f.length != t.length) {
            throw new IllegalArgumentException("header without matching #fields and #types");
        }
        this.separator = sep;
        this.setSeparator = set;
        this.emptyField = empty;
        this.unsetField = unset;
        this.path = p;
        this.fields = f;
        this.types = t;
    }

    public String path() {
        return path;
    }

    /** The untagged entry ({@code LogAscii::use_json=T}). */
    public ObjectNode entry(String row) {
        String[] values = row.split(java.util.regex.Pattern.quote(separator), -1);
        if (values.length != fields.length) {
            throw new IllegalArgumentException("row of " + values.length + " columns, header of " + fields.length);
        }
        ObjectNode o = NODES.objectNode();
        for (int i = 0; i < fields.length; i++) {
            String v = values[i];
            if (v.equals(unsetField)) {
                continue;
            }
            String type = types[i];
            int bracket = type.indexOf('[');
            if (bracket > 0) {
                ArrayNode a = o.putArray(fields[i]);
                if (!v.equals(emptyField)) {
                    String element = type.substring(bracket + 1, type.length() - 1);
                    for (String e : v.split(java.util.regex.Pattern.quote(setSeparator), -1)) {
                        a.add(scalar(element, e));
                    }
                }
            } else {
                o.set(fields[i], scalar(type, v.equals(emptyField) ? "" : v));
            }
        }
        return o;
    }

    /** The entry as the zeek-kafka plugin sends it with {@code tag_json}: {@code {"<path>": {…}}}. */
    public ObjectNode tagged(String row) {
        ObjectNode o = NODES.objectNode();
        o.set(path, entry(row));
        return o;
    }

    /** The entry with a {@code _path} column first, as some pipelines add. */
    public ObjectNode withPath(String row) {
        ObjectNode o = NODES.objectNode();
        o.put("_path", path);
        o.setAll(entry(row));
        return o;
    }

    private static com.fasterxml.jackson.databind.JsonNode scalar(String type, String v) {
        JsonNodeFactory f = NODES;
        return switch (type) {
            case "bool" -> f.booleanNode(v.equals("T"));
            case "count", "int", "port" -> f.numberNode(new BigDecimal(v));
            case "time", "interval", "double" -> f.numberNode(new BigDecimal(v.contains(".") ? v : v + ".0"));
            default -> f.textNode(v);
        };
    }
}
