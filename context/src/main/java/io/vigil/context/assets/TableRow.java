package io.vigil.context.assets;

import java.util.List;
import java.util.Map;

/**
 * One row of a table file, whatever its format: the cells by column name, and where the row and
 * each cell are in the file, so an error can say exactly what to fix.
 *
 * @param where where the row is ({@code line 4}, {@code entry 3 (line 9, column 3)})
 * @param cells the cells by (lower-case) column name; a list column holds several values
 */
record TableRow(String where, Map<String, Cell> cells) {

    /**
     * One cell.
     *
     * @param values the values (one for a plain cell; empty when blank)
     * @param where where the cell is ({@code line 4, column 2 (criticality)})
     */
    record Cell(List<String> values, String where) {}

    TableRow {
        cells = Map.copyOf(cells);
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

    /** Where {@code column} of this row is (the row when the column is absent). */
    String where(String column) {
        Cell c = cells.get(column);
        return c == null ? where : c.where();
    }
}
