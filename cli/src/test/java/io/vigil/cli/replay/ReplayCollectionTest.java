package io.vigil.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.cli.VigilCli;
import io.vigil.formats.Datasets;
import io.vigil.model.EcsJson;
import io.vigil.formats.evtx.EvtxReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil replay} and {@code vigil formats} on a triage collection: a directory holding logs,
 * Windows event log files and the files a collection tool leaves beside them (a README, its target
 * definitions, a hash list). The logs are replayed, the rest skipped and listed; a file named
 * explicitly still has to be readable.
 */
class ReplayCollectionTest {

    /** A real Windows event log file of SigmaHQ's regression samples: 2 Sysmon registry events. */
    static final String EVTX = "sigmahq-rules/regression_data/rules/windows/registry/registry_set/"
            + "registry_set_disable_administrative_share/c7dcacd0-cc59-4004-b0a4-1d6cdebe6f3e.evtx";

    @TempDir
    Path dir;

    Path collection;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int vigil(String... args) {
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @BeforeEach
    void collection() throws IOException {
        collection = Files.createDirectories(dir.resolve("collection"));
        Files.createDirectories(collection.resolve("var/log"));
        Files.writeString(collection.resolve("var/log/auth.log"), String.join("\n",
                "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186",
                "Dec 10 06:55:48 LabSZ sshd[24200]: Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2",
                "Dec 10 09:32:20 LabSZ sshd[24680]: Accepted password for fztu from 119.137.62.142 port 49116 ssh2", ""));
        Files.writeString(collection.resolve("README.md"), "# Collection\n\nTaken with KAPE, targets !SANS_Triage.\n");
        Files.writeString(collection.resolve("targets.yml"), "Description: triage\nTargets:\n  - Name: EventLogs\n");
        Files.writeString(collection.resolve("hashes.sha1"),
                "a9993e364706816aba3e25717850c26c9cd0d89d  var/log/auth.log\n");
    }

    private Map<String, String> skipped(Path outDir) throws IOException {
        JsonNode summary = EcsJson.MAPPER.readTree(outDir.resolve("summary.json").toFile());
        Map<String, String> skipped = new LinkedHashMap<>();
        summary.path("skipped").forEach(s -> skipped.put(s.path("path").asText(), s.path("reason").asText()));
        return skipped;
    }

    @Test
    void aCollectionIsReplayedAndItsOtherFilesAreSkippedAndListed() throws Exception {
        Path outDir = dir.resolve("out");

        assertThat(vigil("replay", "--quiet", "--no-detect", "--out", outDir.toString(), collection.toString()))
                .as("%s", err).isZero();

        JsonNode summary = EcsJson.MAPPER.readTree(outDir.resolve("summary.json").toFile());
        assertThat(summary.path("records").asLong()).isEqualTo(3);
        assertThat(summary.path("byFormat").path("syslog").asLong()).isEqualTo(3);
        assertThat(summary.path("files")).hasSize(1);
        assertThat(skipped(outDir)).containsExactly(
                Map.entry(collection.resolve("README.md").toString(), "format not detected"),
                Map.entry(collection.resolve("hashes.sha1").toString(), "format not detected"),
                Map.entry(collection.resolve("targets.yml").toString(), "format not detected"));
        assertThat(out.toString()).contains("Skipped 3 file(s) not read")
                .contains("skipped    " + collection.resolve("README.md") + " (format not detected)")
                .doesNotContain("more: every one");
    }

    /**
     * Event log files in a collection, by their signature whatever their name, compressed or not,
     * are replayed with the rest: their events carry the byte offset of their record in the file;
     * a file cut short gives its good records and a dead letter for the damaged chunk, with the
     * file, the byte offset and the reason; progress bytes are the files' bytes up to their last record.
     */
    @Test
    void eventLogFilesOfACollectionAreReplayedAndADamagedOneGivesDeadLettersWithByteOffsets() throws Exception {
        byte[] evtx = Files.readAllBytes(Datasets.file(EVTX));
        Path logs = Files.createDirectories(collection.resolve("C/Windows/System32/winevt/Logs"));
        Path sysmon = Files.write(logs.resolve("Microsoft-Windows-Sysmon%4Operational.evtx"), evtx);
        Path renamed = Files.write(collection.resolve("sysmon.bin"), evtx);
        Path gz = collection.resolve("sysmon.evtx.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(evtx);
        }
        // the file header and the chunk's first 600 bytes: the chunk cannot be read whole
        Path cut = Files.write(collection.resolve("cut.evtx"),
                Arrays.copyOf(evtx, EvtxReader.FILE_HEADER_BYTES + 600));
        List<EvtxReader.Item> items = new ArrayList<>();
        try (EvtxReader reader = new EvtxReader(new ByteArrayInputStream(evtx))) {
            for (EvtxReader.Item i = reader.next(); i != null; i = reader.next()) {
                items.add(i);
            }
        }
        assertThat(items).isNotEmpty().allSatisfy(i -> assertThat(i.ok()).isTrue());
        Path outDir = dir.resolve("out");

        assertThat(vigil("replay", "--quiet", "--no-detect", "--out", outDir.toString(), collection.toString()))
                .as("%s", err).isZero();

        JsonNode summary = EcsJson.MAPPER.readTree(outDir.resolve("summary.json").toFile());
        assertThat(summary.at("/files")).extracting(f -> f.path("path").asText() + " " + f.path("format").asText())
                .containsExactly(sysmon + " evtx", cut + " evtx", renamed + " evtx", gz + " evtx",
                        collection.resolve("var/log/auth.log") + " syslog");
        assertThat(skipped(outDir)).containsOnlyKeys(collection.resolve("README.md").toString(),
                collection.resolve("hashes.sha1").toString(), collection.resolve("targets.yml").toString());
        List<JsonNode> events = ndjson(outDir.resolve("events.ndjson"));
        List<JsonNode> dead = ndjson(outDir.resolve("dead-letters.ndjson"));
        assertThat(dead).isNotEmpty().allSatisfy(d -> {
            assertThat(d.at("/vigil/origin/source").asText()).isEqualTo(cut.toString());
            assertThat(d.at("/decoder").asText()).isEqualTo("evtx");
            assertThat(d.at("/reason").asText()).isNotBlank();
            assertThat(d.at("/vigil/origin/offset").asLong()).isGreaterThanOrEqualTo(EvtxReader.FILE_HEADER_BYTES);
        });
        long fromCut = events.stream().filter(e -> e.at("/vigil/origin/source").asText().equals(cut.toString())).count();
        assertThat(summary.at("/byFormat/evtx").asLong()).isEqualTo(3L * items.size() + fromCut + dead.size());
        assertThat(summary.at("/deadLetters").asLong()).isEqualTo(dead.size());
        // each whole copy: its records' events at the byte offsets the reader gives, in any name
        List<Long> offsets = items.stream().map(EvtxReader.Item::offset).toList();
        for (Path copy : List.of(sysmon, renamed, gz)) {
            assertThat(events.stream().filter(e -> e.at("/vigil/origin/source").asText().equals(copy.toString()))
                    .map(e -> e.at("/vigil/origin/offset").asLong())).as("%s", copy).containsExactlyElementsOf(offsets);
        }
        // progress: the auth log's lines, each whole copy up to its last record, the cut file up to its last piece
        long lines = Files.readAllLines(collection.resolve("var/log/auth.log")).stream().mapToLong(l -> l.length()).sum();
        long cutUpTo = java.util.stream.Stream.concat(
                        events.stream().filter(e -> e.at("/vigil/origin/source").asText().equals(cut.toString())),
                        dead.stream()).mapToLong(e -> e.at("/vigil/origin/offset").asLong()).max().orElseThrow();
        assertThat(summary.at("/bytes").asLong()).isEqualTo(lines + 3 * offsets.get(offsets.size() - 1) + cutUpTo);
    }

    private static List<JsonNode> ndjson(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                docs.add(EcsJson.MAPPER.readTree(line));
            }
        }
        return docs;
    }

    @Test
    void beyondTenSkippedFilesThePrintedSummaryPointsToSummaryJson() throws Exception {
        for (int i = 0; i < 9; i++) {
            Files.writeString(collection.resolve("notes-" + i + ".txt"), "nothing to see " + i + "\n");
        }
        Path outDir = dir.resolve("out");

        assertThat(vigil("replay", "--quiet", "--no-detect", "--out", outDir.toString(), collection.toString()))
                .as("%s", err).isZero();

        assertThat(skipped(outDir)).hasSize(12);
        assertThat(out.toString()).contains("Skipped 12 file(s) not read")
                .contains("... and 2 more: every one with its reason in " + outDir.resolve("summary.json"));
        assertThat(out.toString().lines().filter(l -> l.startsWith("  skipped "))).hasSize(10);
    }

    @Test
    void aFileNamedExplicitlyMustStillBeReadable() throws Exception {
        Path outDir = dir.resolve("out");

        assertThat(vigil("replay", "--quiet", "--no-detect", "--out", outDir.toString(), collection.toString(),
                collection.resolve("README.md").toString())).isEqualTo(VigilCli.FAILURE);

        assertThat(err.toString()).contains("cannot detect the format of " + collection.resolve("README.md"))
                .contains("pass --format");
        assertThat(outDir.resolve("summary.json")).doesNotExist();
    }

    @Test
    void aDirectoryWithNothingToReadFailsSayingSo() throws Exception {
        Files.delete(collection.resolve("var/log/auth.log"));

        assertThat(vigil("replay", "--quiet", "--no-detect", "--out", dir.resolve("out").toString(),
                collection.toString())).isEqualTo(VigilCli.FAILURE);

        assertThat(err.toString()).contains("nothing to replay").contains("all 3 file(s) skipped")
                .contains("README.md (format not detected)");
    }

    @Test
    void formatsNamesEvtxAndTellsAnEventLogFileByItsSignature() throws Exception {
        assertThat(vigil("formats")).isZero();
        assertThat(out.toString()).containsPattern("(?m)^evtx +Windows event log files \\(\\.evtx\\) read natively");

        Path renamed = Files.copy(Datasets.file(EVTX), collection.resolve("Security.bin"));
        out.getBuffer().setLength(0);
        assertThat(vigil("formats", renamed.toString())).isZero();
        assertThat(out.toString()).isEqualTo(String.format("%-11s %s%n", "evtx", renamed));

        out.getBuffer().setLength(0);
        assertThat(vigil("formats", collection.toString())).isZero();
        assertThat(out.toString()).contains(String.format("%-11s %s%n", "evtx", renamed))
                .contains(String.format("%-11s %s%n", "syslog", collection.resolve("var/log/auth.log")))
                .contains(String.format("%-11s %s (format not detected)%n", "skipped", collection.resolve("README.md")));
    }
}
