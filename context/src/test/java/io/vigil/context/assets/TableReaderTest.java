package io.vigil.context.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableReaderTest {

    private static List<TableRow> csv(String text) {
        return TableReader.read("hosts.csv", "csv", text.getBytes(StandardCharsets.UTF_8), HostTable.COLUMNS);
    }

    private static List<TableRow> json(String text) {
        return TableReader.read("hosts.json", "json", text.getBytes(StandardCharsets.UTF_8), HostTable.COLUMNS);
    }

    @Test
    void csvHeaderNamesTheColumnsAndQuotedCellsKeepCommasQuotesAndLineBreaks() {
        List<TableRow> rows = csv("\uFEFFName,Owner,IP\r\n"
                + "# a comment line\n"
                + "\n"
                + "web01,\"Ops, EU \"\"core\"\"\",10.0.0.1;10.0.0.2\n"
                + "db01,\"two\nlines\",\n"
                + "last,x,");
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).where()).isEqualTo("line 4");
        assertThat(rows.get(0).text("name")).isEqualTo("web01");
        assertThat(rows.get(0).text("owner")).isEqualTo("Ops, EU \"core\"");
        assertThat(rows.get(0).values("ip")).containsExactly("10.0.0.1;10.0.0.2");
        assertThat(rows.get(1).text("owner")).isEqualTo("two\nlines");
        assertThat(rows.get(1).text("ip")).isNull();
        // the quoted line break counts: the row after it is on line 7
        assertThat(rows.get(2).where()).isEqualTo("line 7");
        assertThat(rows.get(2).where("owner")).isEqualTo("line 7, column 2 (owner)");
    }

    @Test
    void csvErrorsNameTheFileLineAndColumn() {
        assertThatThrownBy(() -> csv("name,owner\nweb01\n"))
                .hasMessage("hosts.csv: line 2 has 1 columns, the header has 2");
        assertThatThrownBy(() -> csv("name,owner\nweb01,\"open\n"))
                .hasMessage("hosts.csv: line 2, column 2: a quoted cell is never closed");
        assertThatThrownBy(() -> csv("name,owner\nweb01,\"a\"b\n"))
                .hasMessage("hosts.csv: line 2, column 2: text after the closing quote of a cell");
        assertThatThrownBy(() -> csv("name,,owner\n"))
                .hasMessage("hosts.csv: line 1, column 2: a column of the header has no name");
        assertThatThrownBy(() -> csv("name,Name\n"))
                .hasMessage("hosts.csv: line 1, column 2: column name is named twice");
        assertThatThrownBy(() -> csv("# only a comment\n"))
                .hasMessage("hosts.csv: no header line (the column names)");
        assertThatThrownBy(() -> csv("name\n" + "x".repeat(TableReader.MAX_CELL_CHARS + 1) + "\n"))
                .hasMessage("hosts.csv: line 2, column 1: a cell is longer than 4096 characters");
    }

    @Test
    void jsonEntriesAreObjectsOfValuesOrListsOfValues() {
        List<TableRow> rows = json("""
                [
                  {"Name": "web01", "ip": ["10.0.0.1", "10.0.0.2"], "criticality": 3, "owner": null},
                  {"name": "db01", "zone": true}
                ]""");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).where()).isEqualTo("entry 1 (line 2, column 3)");
        assertThat(rows.get(0).text("name")).isEqualTo("web01");
        assertThat(rows.get(0).values("ip")).containsExactly("10.0.0.1", "10.0.0.2");
        assertThat(rows.get(0).text("criticality")).isEqualTo("3");
        assertThat(rows.get(0).text("owner")).isNull();
        assertThat(rows.get(1).text("zone")).isEqualTo("true");
        assertThat(rows.get(1).where("zone")).isEqualTo("entry 2 (line 3, column 3), zone");
    }

    @Test
    void jsonErrorsNameTheFileAndWhere() {
        assertThatThrownBy(() -> json("{\"name\": \"web01\"}"))
                .hasMessage("hosts.json: line 1, column 1: a JSON table is an array of objects");
        assertThatThrownBy(() -> json("[\n  \"web01\"\n]"))
                .hasMessage("hosts.json: entry 1 (line 2, column 3): an entry is a JSON object");
        assertThatThrownBy(() -> json("[{\"name\": {\"first\": \"web\"}}]"))
                .hasMessage("hosts.json: entry 1 (line 1, column 2), name: a value is a string, number, boolean "
                        + "or a list of them, not an object");
        assertThatThrownBy(() -> json("[{\"name\": \"web01\",}]"))
                .hasMessageStartingWith("hosts.json: line 1, column 19: not valid JSON: ");
        assertThatThrownBy(() -> json("[] []"))
                .hasMessage("hosts.json: line 1, column 4: text after the array");
    }

    @Test
    void formatIsTakenFromTheNameElseFromTheFirstCharacter() {
        assertThat(TableReader.formatOf("hosts.JSON", "name\n".getBytes(StandardCharsets.UTF_8))).isEqualTo("json");
        assertThat(TableReader.formatOf("hosts.csv", "[".getBytes(StandardCharsets.UTF_8))).isEqualTo("csv");
        assertThat(TableReader.formatOf("hosts", "\n  [{}]".getBytes(StandardCharsets.UTF_8))).isEqualTo("json");
        assertThat(TableReader.formatOf("hosts", "name,owner\n".getBytes(StandardCharsets.UTF_8))).isEqualTo("csv");
    }

    @Test
    void onlyTheColumnsTheTableReadsAreKept() {
        // many unknown columns, quoted or not, over many rows: a row holds only the table's columns
        StringBuilder table = new StringBuilder("name");
        for (int i = 1; i < TableReader.MAX_COLUMNS; i++) {
            table.append(",extra").append(i);
        }
        table.append('\n');
        for (int r = 0; r < 1000; r++) {
            table.append("h").append(r).append(",\"a, b\"").append(",".repeat(TableReader.MAX_COLUMNS - 2)).append('\n');
        }
        List<TableRow> rows = csv(table.toString());
        assertThat(rows).hasSize(1000);
        assertThat(rows).allSatisfy(r -> assertThat(r.cells().keySet()).containsExactly("name"));
        assertThat(rows.get(999).where("name")).isEqualTo("line 1001, column 1 (name)");
        // an unknown column is still scanned: its cells are bounded and a broken quote is an error
        assertThatThrownBy(() -> csv("name,notes\nweb01,\"open\n"))
                .hasMessage("hosts.csv: line 2, column 2: a quoted cell is never closed");
        assertThatThrownBy(() -> csv("name,notes\nweb01," + "x".repeat(TableReader.MAX_CELL_CHARS + 1) + "\n"))
                .hasMessage("hosts.csv: line 2, column 2: a cell is longer than 4096 characters");

        // JSON: unknown keys are skipped whatever they hold (objects included), known ones kept
        List<TableRow> entries = json("""
                [{"name": "web01", "tags": {"a": [1, 2, {"b": "c"}]}, "rack": "r1", "Owner": "ops"}]""");
        assertThat(entries.get(0).cells().keySet()).containsExactlyInAnyOrder("name", "owner");
        assertThatThrownBy(() -> json("[{\"ip\": [" + "\"10.0.0.1\",".repeat(TableReader.MAX_LIST_VALUES)
                        + "\"10.0.0.2\"]}]"))
                .hasMessage("hosts.json: entry 1 (line 1, column 2), ip: a list of more than "
                        + TableReader.MAX_LIST_VALUES + " values");
    }

    @Test
    void rowsAfterTooWideOrShortAreErrorsAndBlankLinesAreSkipped() {
        List<TableRow> rows = csv("name,owner\n\n   \nweb01,ops\n");
        assertThat(rows).hasSize(1);
        assertThatThrownBy(() -> csv("name,owner\nweb01,ops,extra,more\n"))
                .hasMessage("hosts.csv: line 2 has 4 columns, the header has 2");
    }
}
