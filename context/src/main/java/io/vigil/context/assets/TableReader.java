package io.vigil.context.assets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the rows of a table file: CSV with a header line (RFC 4180 quoting, {@code #} comment
 * lines, blank lines skipped) or a JSON array of objects. Column names are compared in lower case.
 * Plain scanning code with a bounded cell size: a table may come from the control topic, written
 * by anyone who can write there.
 */
final class TableReader {

    /** The most rows a table may hold. */
    static final int MAX_ROWS = 1_000_000;
    /** The most characters of one cell as written (a list of addresses included). */
    static final int MAX_CELL_CHARS = 4096;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8)
                    .maxStringLength(MAX_CELL_CHARS).build())
            .build());

    private TableReader() {}

    /**
     * The rows of {@code body} written in {@code format} ({@code csv} or {@code json}).
     *
     * @param origin what the body is, for errors (a file name, {@code assets/cmdb})
     * @throws IllegalArgumentException naming {@code origin}, the line and column, and what is wrong
     */
    static List<TableRow> read(String origin, String format, byte[] body) {
        return switch (format) {
            case "csv" -> csv(origin, new String(body, StandardCharsets.UTF_8));
            case "json" -> json(origin, body);
            default -> throw new IllegalArgumentException(origin + ": a table is written as csv or json, not " + format);
        };
    }

    /** The format of a table file by its name ({@code .json}: json), else by its first character ({@code [}: json). */
    static String formatOf(String fileName, byte[] body) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".json")) {
            return "json";
        }
        if (n.endsWith(".csv")) {
            return "csv";
        }
        for (byte b : body) {
            if (b == '[') {
                return "json";
            }
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n' && (b & 0xff) != 0xef && (b & 0xff) != 0xbb
                    && (b & 0xff) != 0xbf) {
                return "csv";
            }
        }
        return "csv";
    }

    // ---------------------------------------------------------------- CSV

    private static List<TableRow> csv(String origin, String text) {
        CsvScanner s = new CsvScanner(origin, text);
        List<String> header = null;
        List<TableRow> rows = new ArrayList<>();
        List<String> cells = new ArrayList<>();
        while (s.hasMore()) {
            int line = s.line;
            if (s.atComment()) {
                s.skipLine();
                continue;
            }
            s.row(cells);
            if (cells.size() == 1 && cells.get(0).isBlank()) {
                continue;
            }
            if (header == null) {
                header = header(origin, line, cells);
                continue;
            }
            if (cells.size() != header.size()) {
                throw new IllegalArgumentException(origin + ": line " + line + " has " + cells.size()
                        + " columns, the header has " + header.size());
            }
            if (rows.size() == MAX_ROWS) {
                throw new IllegalArgumentException(origin + ": more than " + MAX_ROWS + " rows");
            }
            Map<String, TableRow.Cell> row = new HashMap<>();
            for (int i = 0; i < cells.size(); i++) {
                String v = cells.get(i);
                row.put(header.get(i), new TableRow.Cell(v.isBlank() ? List.of() : List.of(v),
                        "line " + line + ", column " + (i + 1) + " (" + header.get(i) + ")"));
            }
            rows.add(new TableRow("line " + line, row));
        }
        if (header == null) {
            throw new IllegalArgumentException(origin + ": no header line (the column names)");
        }
        return rows;
    }

    private static List<String> header(String origin, int line, List<String> cells) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            String n = cells.get(i).trim().toLowerCase(Locale.ROOT);
            if (n.isEmpty()) {
                throw new IllegalArgumentException(origin + ": line " + line + ", column " + (i + 1)
                        + ": a column of the header has no name");
            }
            if (names.contains(n)) {
                throw new IllegalArgumentException(origin + ": line " + line + ", column " + (i + 1)
                        + ": column " + n + " is named twice");
            }
            names.add(n);
        }
        return names;
    }

    /** Scans CSV text cell by cell, counting lines (a quoted cell may span several). */
    private static final class CsvScanner {
        private final String origin;
        private final String text;
        private int pos;
        int line = 1;

        CsvScanner(String origin, String text) {
            this.origin = origin;
            this.text = text;
            this.pos = text.startsWith("\uFEFF") ? 1 : 0;
        }

        boolean hasMore() {
            return pos < text.length();
        }

        boolean atComment() {
            return text.charAt(pos) == '#';
        }

        void skipLine() {
            while (pos < text.length() && !endOfLine()) {
                pos++;
            }
        }

        /** Reads one row into {@code cells}, consuming its line end. */
        void row(List<String> cells) {
            cells.clear();
            StringBuilder cell = new StringBuilder();
            while (true) {
                cell.setLength(0);
                int column = cells.size() + 1;
                if (pos < text.length() && text.charAt(pos) == '"') {
                    quoted(cell, column);
                } else {
                    while (pos < text.length() && text.charAt(pos) != ',' && !atLineEnd()) {
                        append(cell, text.charAt(pos++), column);
                    }
                }
                cells.add(cell.toString());
                if (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                if (pos < text.length()) {
                    endOfLine();
                }
                return;
            }
        }

        private void quoted(StringBuilder cell, int column) {
            int startLine = line;
            pos++;
            while (true) {
                if (pos >= text.length()) {
                    throw new IllegalArgumentException(origin + ": line " + startLine + ", column " + column
                            + ": a quoted cell is never closed");
                }
                char c = text.charAt(pos);
                if (c == '"') {
                    if (pos + 1 < text.length() && text.charAt(pos + 1) == '"') {
                        append(cell, '"', column);
                        pos += 2;
                        continue;
                    }
                    pos++;
                    if (pos < text.length() && text.charAt(pos) != ',' && !atLineEnd()) {
                        throw new IllegalArgumentException(origin + ": line " + line + ", column " + column
                                + ": text after the closing quote of a cell");
                    }
                    return;
                }
                if (c == '\r' || c == '\n') {
                    endOfLine();
                    append(cell, '\n', column);
                    continue;
                }
                append(cell, c, column);
                pos++;
            }
        }

        private void append(StringBuilder cell, char c, int column) {
            if (cell.length() == MAX_CELL_CHARS) {
                throw new IllegalArgumentException(origin + ": line " + line + ", column " + column
                        + ": a cell is longer than " + MAX_CELL_CHARS + " characters");
            }
            cell.append(c);
        }

        private boolean atLineEnd() {
            char c = text.charAt(pos);
            return c == '\n' || c == '\r';
        }

        /** Consumes a line end at {@code pos} ({@code \n}, {@code \r\n} or {@code \r}); false when there is none. */
        private boolean endOfLine() {
            char c = text.charAt(pos);
            if (c == '\r') {
                pos += pos + 1 < text.length() && text.charAt(pos + 1) == '\n' ? 2 : 1;
            } else if (c == '\n') {
                pos++;
            } else {
                return false;
            }
            line++;
            return true;
        }
    }

    // ---------------------------------------------------------------- JSON

    private static List<TableRow> json(String origin, byte[] body) {
        List<TableRow> rows = new ArrayList<>();
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException(origin + ": " + at(p.currentTokenLocation())
                        + ": a JSON table is an array of objects");
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                String where = "entry " + (rows.size() + 1) + " (" + at(p.currentTokenLocation()) + ")";
                if (t != JsonToken.START_OBJECT) {
                    throw new IllegalArgumentException(origin + ": " + where + ": an entry is a JSON object");
                }
                if (rows.size() == MAX_ROWS) {
                    throw new IllegalArgumentException(origin + ": more than " + MAX_ROWS + " rows");
                }
                JsonNode entry = JSON.readTree(p);
                rows.add(row(origin, where, entry));
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException(origin + ": " + at(p.currentTokenLocation())
                        + ": text after the array");
            }
        } catch (IOException e) {
            String location = e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                    ? at(j.getLocation()) + ": " : "";
            String message = e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? j.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException(origin + ": " + location + "not valid JSON: " + message);
        }
        return rows;
    }

    private static TableRow row(String origin, String where, JsonNode entry) {
        Map<String, TableRow.Cell> cells = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = entry.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = f.getKey().toLowerCase(Locale.ROOT);
            String cellWhere = where + ", " + (key.length() <= 40 ? key : key.substring(0, 40) + "…");
            JsonNode v = f.getValue();
            List<String> values = new ArrayList<>();
            if (v.isArray()) {
                for (JsonNode item : v) {
                    if (!item.isValueNode() || item.isNull()) {
                        throw new IllegalArgumentException(origin + ": " + cellWhere
                                + ": a list holds only strings, numbers or booleans");
                    }
                    values.add(item.asText());
                }
            } else if (v.isObject()) {
                throw new IllegalArgumentException(origin + ": " + cellWhere
                        + ": a value is a string, number, boolean or a list of them, not an object");
            } else if (!v.isNull() && !v.asText().isBlank()) {
                values.add(v.asText());
            }
            cells.put(key, new TableRow.Cell(values, cellWhere));
        }
        return new TableRow(where, cells);
    }

    private static String at(JsonLocation l) {
        return "line " + l.getLineNr() + ", column " + l.getColumnNr();
    }
}
