package io.vigil.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.cli.VigilCli;
import io.vigil.formats.Datasets;
import io.vigil.jobs.replay.ReplayRunner;
import io.vigil.model.EcsJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil replay} of damaged Windows event logs, as they come off a host: a file cut short
 * inside its last record and a file whose record size was overwritten. The replay succeeds, every
 * good record is an event, and each damaged piece is one dead letter naming the file, the byte
 * offset and the reason, with its bytes kept.
 */
class ReplayEvtxDamageTest {

    /** Six Sysmon file-creation records (procdump64.exe dropped by explorer.exe) in one chunk. */
    static final String SAMPLE = "sigmahq-rules/regression_data/rules/windows/file/file_event/"
            + "file_event_win_cred_dump_tools_dropped_files/8fbf3271-1ef6-4e94-8210-03c2317947f6.evtx";

    @TempDir
    Path dir;

    @Test
    void damagedLogsGiveTheirGoodRecordsAndOneDeadLetterPerDamagedPiece() throws Exception {
        byte[] intact = Files.readAllBytes(Datasets.file(SAMPLE));
        int[] records = recordOffsets(intact);
        assertThat(records).hasSize(6);
        Path in = Files.createDirectories(dir.resolve("collection/host1"));
        // cut 100 bytes into the fifth record: four whole records, the rest reported
        Files.write(in.resolve("Sysmon-cut.evtx"), Arrays.copyOf(intact, records[4] + 100));
        // the third record's size overwritten: the chunk's checksum fails, the record is skipped, five are read
        byte[] resized = intact.clone();
        resized[records[2] + 6] = 0x7f;
        Files.write(in.resolve("Sysmon-resized.evtx"), resized);
        Path out = dir.resolve("out");

        StringWriter printed = new StringWriter();
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(printed, true));
        cl.setErr(new PrintWriter(printed, true));
        assertThat(cl.execute("replay", "--quiet", "--no-detect", "--out", out.toString(), dir.resolve("collection").toString()))
                .as("%s", printed).isZero();

        JsonNode summary = EcsJson.MAPPER.readTree(out.resolve(ReplayRunner.SUMMARY_FILE).toFile());
        assertThat(summary.get("events").asLong()).isEqualTo(4 + 5);
        // cut file: one letter for the cut record; resized file: the chunk's checksum and the record
        assertThat(summary.get("deadLetters").asLong()).isEqualTo(1 + 2);
        assertThat(summary.get("records").asLong()).isEqualTo(summary.get("recordsDecoded").asLong()
                + summary.get("deadLetters").asLong());

        List<JsonNode> letters = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(ReplayRunner.DEAD_LETTERS_FILE))) {
            letters.add(EcsJson.MAPPER.readTree(line));
        }
        assertThat(letters).hasSize(3);
        assertThat(letters).allSatisfy(l -> assertThat(l.toString()).contains("evtx"));
        JsonNode cut = find(letters, "Sysmon-cut.evtx", records[4]);
        assertThat(cut.toString()).contains("cut short by the end of the file");
        JsonNode resizedRecord = find(letters, "Sysmon-resized.evtx", records[2]);
        assertThat(resizedRecord.toString()).contains("record 3 size").contains("runs past its chunk");
        JsonNode checksum = find(letters, "Sysmon-resized.evtx", 4096);
        assertThat(checksum.toString()).contains("records checksum mismatch");

        List<String> events = Files.readAllLines(out.resolve(ReplayRunner.EVENTS_FILE));
        assertThat(events).hasSize(9);
        assertThat(events).allSatisfy(e -> assertThat(e).contains("\"code\":\"11\"").contains("explorer.exe"));
    }

    /** The letter of {@code file} at byte offset {@code offset}, from its origin. */
    private static JsonNode find(List<JsonNode> letters, String file, long offset) {
        for (JsonNode l : letters) {
            String text = l.toString();
            if (text.contains(file) && l.findValues("offset").stream().anyMatch(o -> o.asLong() == offset)) {
                return l;
            }
        }
        throw new AssertionError("no dead letter of " + file + " at offset " + offset + " in " + letters);
    }

    /** File offsets of the records of a one-chunk sample, read from the record headers. */
    private static int[] recordOffsets(byte[] file) {
        List<Integer> out = new ArrayList<>();
        int free = u32(file, 4096 + 48);
        for (int p = 4096 + 512; p < 4096 + free; p += u32(file, p + 4)) {
            out.add(p);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int u32(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (b[p + 3] & 0xff) << 24;
    }
}
