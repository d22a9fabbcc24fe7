package io.vigil.cli.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables of {@code docs/dependencies.md}: under each {@code ## } heading, the rows
 * {@code | `group:artifact` | version | modules | why |}. Header and separator rows, and rows whose
 * first cell is not a backquoted name, are not dependencies and are skipped.
 */
final class DependencyTable {

    /** One row; {@code modules} as written, split on commas. */
    record Row(String section, String dependency, String version, List<String> modules, String why) {
    }

    private DependencyTable() {
    }

    /** The rows of every table, by dependency name; a name twice is an error. */
    static Map<String, Row> read(Path markdown) throws IOException {
        Map<String, Row> rows = new LinkedHashMap<>();
        String section = "";
        for (String line : Files.readAllLines(markdown)) {
            if (line.startsWith("## ")) {
                section = line.substring(3).trim();
                continue;
            }
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.substring(1, line.lastIndexOf('|')).split("\\|", -1);
            if (cells.length != 4) {
                throw new IllegalStateException("a dependency row has four cells: " + line);
            }
            String name = cells[0].trim().replace("`", "");
            List<String> modules = Arrays.stream(cells[2].split(",")).map(String::trim)
                    .filter(m -> !m.isEmpty()).toList();
            Row row = new Row(section, name, cells[1].trim(), modules, cells[3].trim());
            if (rows.putIfAbsent(name, row) != null) {
                throw new IllegalStateException(name + " has two rows in " + markdown.getFileName());
            }
        }
        return rows;
    }
}
