package io.vigil.context.assets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the rows of a table file: CSV with a header line (RFC 4180 quoting, {@code #} comment
 * lines, blank lines skipped) or a JSON array of objects. Column names are compared in lower case.
 * Plain scanning code with bounded cells, names and columns, keeping only the columns the table
 * reads (no object per unknown cell, locations as numbers until an error needs the text): a table
 * may come from the control topic, written by anyone who can write there.
 */
final class TableReader {

    /** The most rows a table may hold. */
    static final int MAX_ROWS = 1_000_000;
    /** The most characters of one cell as written (a list of addresses included). */
    static final int MAX_CELL_CHARS = 4096;
    /** The most columns of a CSV header, and keys of a JSON entry (a wide inventory export fits). */
    static final int MAX_COLUMNS = 256;
    /** The most characters of a column name or JSON key. */
    static final int MAX_NAME_CHARS = 64;
    /** The most values of a JSON list (addresses: see {@link Cells#MAX_IPS}). */
    static final int MAX_LIST_VALUES = 64;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8)
                    .maxStringLength(MAX_CELL_CHARS).maxNameLength(MAX_CELL_CHARS).build())
            .build();

    private TableReader() {}

    /**
     * The rows of {@code body} written in {@code format} ({@code csv} or {@code json}).
     *
     * @param origin what the body is, for errors (a file name, {@code assets/cmdb})
     * @param columns the (lower-case) columns the table reads: the others are skipped as they are
     *     read, never copied (a table from the control topic may be built to be costly)
     * @throws IllegalArgumentException naming {@code origin}, the line and column, and what is wrong
     */
    static List<TableRow> read(String origin, String format, byte[] body, Set<String> columns) {
        return switch (format) {
            case "csv" -> csv(origin, new String(body, StandardCharsets.UTF_8), columns);
            case "json" -> json(origin, body, columns);
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

    private static List<TableRow> csv(String origin, String text, Set<String> columns) {
        CsvScanner s = new CsvScanner(origin, text);
        String[] header = null;
        List<TableRow> rows = new ArrayList<>();
        List<String> cells = new ArrayList<>();
        while (s.hasMore()) {
            int line = s.line;
            if (s.atComment()) {
                s.skipLine();
                continue;
            }
            if (header == null) {
                if (s.row(cells, null, MAX_COLUMNS) == 1 && s.blank) {
                    continue;
                }
                header = header(origin, line, cells, columns);
                continue;
            }
            int count = s.row(cells, header, header.length);
            if (count == 1 && s.blank) {
                continue;
            }
            if (count != header.length) {
                throw new IllegalArgumentException(origin + ": line " + line + " has " + count
                        + " columns, the header has " + header.length);
            }
            if (rows.size() == MAX_ROWS) {
                throw new IllegalArgumentException(origin + ": more than " + MAX_ROWS + " rows");
            }
            Map<String, TableRow.Cell> row = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                String v = cells.get(i);
                if (header[i] != null) {
                    row.put(header[i], new TableRow.Cell(v.isBlank() ? List.of() : List.of(v), i + 1));
                }
            }
            rows.add(new TableRow(0, line, 0, row));
        }
        if (header == null) {
            throw new IllegalArgumentException(origin + ": no header line (the column names)");
        }
        return rows;
    }

    /** The header's names, {@code null} for a column the table does not read (its cells are skipped). */
    private static String[] header(String origin, int line, List<String> cells, Set<String> columns) {
        String[] kept = new String[cells.size()];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < cells.size(); i++) {
            String n = cells.get(i).trim().toLowerCase(Locale.ROOT);
            if (n.isEmpty()) {
                throw new IllegalArgumentException(origin + ": line " + line + ", column " + (i + 1)
                        + ": a column of the header has no name");
            }
            if (n.length() > MAX_NAME_CHARS) {
                throw new IllegalArgumentException(origin + ": line " + line + ", column " + (i + 1)
                        + ": a column name is longer than " + MAX_NAME_CHARS + " characters");
            }
            if (!seen.add(n)) {
                throw new IllegalArgumentException(origin + ": line " + line + ", column " + (i + 1)
                        + ": column " + n + " is named twice");
            }
            kept[i] = columns.contains(n) ? n : null;
        }
        return kept;
    }

    /** Scans CSV text cell by cell, counting lines (a quoted cell may span several). */
    private static final class CsvScanner {
        private final String origin;
        private final String text;
        private final StringBuilder cell = new StringBuilder();
        private int cellChars;
        private int pos;
        int line = 1;
        /** Whether the last row read holds only white space (a blank line, skipped). */
        boolean blank;

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

        /**
         * Reads one row, consuming its line end: into {@code cells} the cells of the columns
         * {@code kept} names (all when {@code kept} is null; an empty text for the others, which are
         * scanned but never copied), at most {@code max} of them.
         *
         * @return how many cells the row has (more than {@code max} for a data row: it is counted, not kept)
         * @throws IllegalArgumentException for a header ({@code kept} null) of more than {@code max} columns
         */
        int row(List<String> cells, String[] kept, int max) {
            cells.clear();
            blank = true;
            int count = 0;
            while (true) {
                count++;
                if (count > max && kept == null) {
                    throw new IllegalArgumentException(origin + ": line " + line + ": more than " + max + " columns");
                }
                boolean keep = count <= max && (kept == null || kept[count - 1] != null);
                cell.setLength(0);
                cellChars = 0;
                if (pos < text.length() && text.charAt(pos) == '"') {
                    quoted(keep, count);
                } else {
                    while (pos < text.length() && text.charAt(pos) != ',' && !atLineEnd()) {
                        append(text.charAt(pos++), keep, count);
                    }
                }
                if (count <= max) {
                    cells.add(keep ? cell.toString() : "");
                }
                if (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                if (pos < text.length()) {
                    endOfLine();
                }
                return count;
            }
        }

        private void quoted(boolean keep, int column) {
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
                        append('"', keep, column);
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
                    append('\n', keep, column);
                    continue;
                }
                append(c, keep, column);
                pos++;
            }
        }

        /** Adds {@code c} to the cell (when kept), counting the cell's length either way. */
        private void append(char c, boolean keep, int column) {
            if (cellChars == MAX_CELL_CHARS) {
                throw new IllegalArgumentException(origin + ": line " + line + ", column " + column
                        + ": a cell is longer than " + MAX_CELL_CHARS + " characters");
            }
            cellChars++;
            if (!Character.isWhitespace(c)) {
                blank = false;
            }
            if (keep) {
                cell.append(c);
            }
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

    private static List<TableRow> json(String origin, byte[] body, Set<String> columns) {
        List<TableRow> rows = new ArrayList<>();
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException(origin + ": " + at(p.currentTokenLocation())
                        + ": a JSON table is an array of objects");
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                JsonLocation l = p.currentTokenLocation();
                TableRow where = new TableRow(rows.size() + 1, l.getLineNr(), l.getColumnNr(), Map.of());
                if (t != JsonToken.START_OBJECT) {
                    throw new IllegalArgumentException(origin + ": " + where.where() + ": an entry is a JSON object");
                }
                if (rows.size() == MAX_ROWS) {
                    throw new IllegalArgumentException(origin + ": more than " + MAX_ROWS + " rows");
                }
                rows.add(entry(origin, p, where, columns));
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

    /** One entry, the parser at its start: the keys the table reads; the others' values skipped unread. */
    private static TableRow entry(String origin, JsonParser p, TableRow where, Set<String> columns) throws IOException {
        Map<String, TableRow.Cell> cells = new HashMap<>();
        int keys = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            if (++keys > MAX_COLUMNS) {
                throw new IllegalArgumentException(origin + ": " + where.where() + ": more than " + MAX_COLUMNS + " keys");
            }
            String key = p.currentName();
            if (key.length() > MAX_NAME_CHARS) {
                throw new IllegalArgumentException(origin + ": " + where.where() + ": a key is longer than "
                        + MAX_NAME_CHARS + " characters");
            }
            String name = key.toLowerCase(Locale.ROOT);
            JsonToken v = p.nextToken();
            if (!columns.contains(name)) {
                p.skipChildren();
                continue;
            }
            List<String> values = new ArrayList<>();
            if (v == JsonToken.START_ARRAY) {
                while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (!v.isScalarValue() || v == JsonToken.VALUE_NULL) {
                        throw new IllegalArgumentException(origin + ": " + where.where() + ", " + name
                                + ": a list holds only strings, numbers or booleans");
                    }
                    if (values.size() == MAX_LIST_VALUES) {
                        throw new IllegalArgumentException(origin + ": " + where.where() + ", " + name
                                + ": a list of more than " + MAX_LIST_VALUES + " values");
                    }
                    values.add(p.getText());
                }
            } else if (v == JsonToken.START_OBJECT) {
                throw new IllegalArgumentException(origin + ": " + where.where() + ", " + name
                        + ": a value is a string, number, boolean or a list of them, not an object");
            } else if (v != JsonToken.VALUE_NULL && !p.getText().isBlank()) {
                values.add(p.getText());
            }
            cells.put(name, new TableRow.Cell(values, 0));
        }
        return new TableRow(where.entry(), where.line(), where.column(), cells);
    }

    private static String at(JsonLocation l) {
        return "line " + l.getLineNr() + ", column " + l.getColumnNr();
    }
}
