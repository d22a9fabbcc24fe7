package io.vigil.context.assets;

import java.util.List;
import java.util.Map;

/**
 * One row of a table file, whatever its format: the cells the table reads by column name, and
 * where the row and each cell are in the file, so an error can say exactly what to fix. Locations
 * are kept as numbers; their text is built only for an error.
 *
 * @param entry the entry's number in a JSON array, 0 for a CSV row
 * @param line the row's line (a JSON entry's first line)
 * @param column a JSON entry's first column, 0 for a CSV row
 * @param cells the cells by (lower-case) column name; a list column holds several values
 */
record TableRow(int entry, int line, int column, Map<String, Cell> cells) {

    /**
     * One cell.
     *
     * @param values the values (one for a plain cell; empty when blank)
     * @param column the cell's column in a CSV row, 0 in a JSON entry
     */
    record Cell(List<String> values, int column) {}

    TableRow {
        cells = Map.copyOf(cells);
    }

    /** Where the row is ({@code line 4}, {@code entry 3 (line 9, column 3)}). */
    String where() {
        return entry == 0 ? "line " + line : "entry " + entry + " (line " + line + ", column " + column + ")";
    }

    /** The single value of {@code column}, trimmed, or {@code null} when absent or blank. */
    String text(String column) {
        Cell c = cells.get(column);
        if (c == null || c.values().isEmpty()) {
            return null;
        }
        String v = c.values().get(0).trim();
        return v.isEmpty() ? null : v;
    }

    /** The values of {@code column} (empty when absent). */
    List<String> values(String column) {
        Cell c = cells.get(column);
        return c == null ? List.of() : c.values();
    }

    /**
     * Where {@code column} of this row is ({@code line 4, column 2 (criticality)}, {@code entry 3
     * (line 9, column 3), criticality}; the row when the column is absent).
     */
    String where(String column) {
        Cell c = cells.get(column);
        if (c == null) {
            return where();
        }
        return entry == 0 ? where() + ", column " + c.column() + " (" + column + ")" : where() + ", " + column;
    }
}
