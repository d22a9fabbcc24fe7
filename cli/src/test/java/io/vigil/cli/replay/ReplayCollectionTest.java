package io.vigil.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.cli.VigilCli;
import io.vigil.formats.Datasets;
import io.vigil.model.EcsJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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
