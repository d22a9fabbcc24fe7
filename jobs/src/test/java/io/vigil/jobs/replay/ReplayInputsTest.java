package io.vigil.jobs.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.formats.Datasets;
import io.vigil.formats.Formats;
import io.vigil.formats.input.Framers;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files a replay reads from a triage collection (a directory tree as KAPE or Velociraptor
 * leave it): logs by their detected format, Windows event logs by their signature whatever their
 * name, and every other file skipped with its reason; files named explicitly still fail the replay
 * when they cannot be read.
 */
class ReplayInputsTest {

    /** A real Windows event log file of SigmaHQ's regression samples (Sysmon registry events). */
    static final String EVTX = "sigmahq-rules/regression_data/rules/windows/registry/registry_set/"
            + "registry_set_disable_administrative_share/c7dcacd0-cc59-4004-b0a4-1d6cdebe6f3e.evtx";

    static final String SYSLOG = "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186\n";

    @TempDir
    Path tmp;

    Path collection;

    @BeforeEach
    void collection() throws IOException {
        collection = Files.createDirectories(tmp.resolve("collection"));
        Path logs = Files.createDirectories(collection.resolve("C/Windows/System32/winevt/Logs"));
        Files.copy(Datasets.file(EVTX), logs.resolve("Microsoft-Windows-Sysmon%4Operational.evtx"));
        // an event log renamed, and one compressed: recognized by the signature, not the name
        Files.copy(Datasets.file(EVTX), collection.resolve("sysmon.dat"));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(collection.resolve("sysmon.evtx.gz")))) {
            out.write(Files.readAllBytes(Datasets.file(EVTX)));
        }
        Files.createDirectories(collection.resolve("var/log"));
        Files.writeString(collection.resolve("var/log/auth.log"), SYSLOG);
        Files.writeString(collection.resolve("README.txt"), "Collected with KAPE by the responder.\nTargets: !SANS_Triage\n");
        Files.writeString(collection.resolve("Targets.yml"), "Description: triage\nTargets:\n  - Name: EventLogs\n");
        Files.writeString(collection.resolve("hashes.sha256"),
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08  C/Windows/System32/winevt/Logs/x.evtx\n");
        Files.createFile(collection.resolve("empty.log"));
        Files.write(collection.resolve("broken.log.gz"), "not gzip at all".getBytes(StandardCharsets.UTF_8));
        Files.writeString(collection.resolve(".DS_Store"), SYSLOG);
        Files.createDirectories(collection.resolve(".git/objects"));
        Files.writeString(collection.resolve(".git/HEAD"), SYSLOG);
        Files.writeString(collection.resolve(".git/objects/pack.log"), SYSLOG);
        // links are not followed: not to a file outside the collection, not to one inside it
        Path outside = Files.writeString(tmp.resolve("outside.log"), SYSLOG);
        Files.createSymbolicLink(collection.resolve("outside-link.log"), outside);
        Files.createSymbolicLink(collection.resolve("inside-link.log"), collection.resolve("var/log/auth.log"));
        Files.createSymbolicLink(collection.resolve("etc-link"), tmp);
    }

    @Test
    void aCollectionIsReadAndWhatVigilDoesNotReadIsSkippedWithTheReason() throws IOException {
        ReplayInputs.Resolved resolved = ReplayInputs.resolve(List.of(collection), null);

        assertThat(resolved.files()).containsExactly(
                new ReplaySummary.InputFile(path("C/Windows/System32/winevt/Logs/Microsoft-Windows-Sysmon%4Operational.evtx"),
                        Formats.EVTX, true),
                new ReplaySummary.InputFile(path("sysmon.dat"), Formats.EVTX, true),
                new ReplaySummary.InputFile(path("sysmon.evtx.gz"), Formats.EVTX, true),
                new ReplaySummary.InputFile(path("var/log/auth.log"), Formats.SYSLOG, true));
        assertThat(resolved.skipped()).containsExactly(
                skipped(".DS_Store", ReplayInputs.HIDDEN),
                skipped(".git", ReplayInputs.HIDDEN_DIRECTORY),
                skipped("README.txt", ReplayInputs.NOT_DETECTED),
                skipped("Targets.yml", ReplayInputs.NOT_DETECTED),
                skipped("broken.log.gz", "cannot read: Not in GZIP format"),
                skipped("empty.log", ReplayInputs.EMPTY),
                skipped("etc-link", ReplayInputs.SYMBOLIC_LINK),
                skipped("hashes.sha256", ReplayInputs.NOT_DETECTED),
                skipped("inside-link.log", ReplayInputs.SYMBOLIC_LINK),
                skipped("outside-link.log", ReplayInputs.SYMBOLIC_LINK));
    }

    @Test
    void withFormatEvtxTheOtherFilesOfTheCollectionAreSkipped() throws IOException {
        ReplayInputs.Resolved resolved = ReplayInputs.resolve(List.of(collection), Formats.EVTX);

        assertThat(resolved.files()).extracting(ReplaySummary.InputFile::path).containsExactly(
                path("C/Windows/System32/winevt/Logs/Microsoft-Windows-Sysmon%4Operational.evtx"),
                path("sysmon.dat"), path("sysmon.evtx.gz"));
        assertThat(resolved.files()).allSatisfy(f -> assertThat(f.detected()).isFalse());
        assertThat(resolved.skipped()).contains(skipped("var/log/auth.log", ReplayInputs.NOT_EVTX),
                skipped("README.txt", ReplayInputs.NOT_EVTX), skipped("empty.log", ReplayInputs.EMPTY));
    }

    @Test
    void aFileNamedExplicitlyMustBeReadableAndOfADetectableFormat() throws IOException {
        assertThatThrownBy(() -> ReplayInputs.resolve(List.of(collection, collection.resolve("README.txt")), null))
                .isInstanceOf(Framers.UnknownFormatException.class).hasMessageContaining(path("README.txt"));
        assertThatThrownBy(() -> ReplayInputs.resolve(List.of(collection.resolve("empty.log")), null))
                .isInstanceOf(Framers.UnknownFormatException.class).hasMessageContaining(path("empty.log"));
        assertThatThrownBy(() -> ReplayInputs.resolve(List.of(collection.resolve("broken.log.gz")), null))
                .isInstanceOf(IOException.class).hasMessageContaining(path("broken.log.gz"))
                .hasMessageContaining("Not in GZIP format");
        assertThatThrownBy(() -> ReplayInputs.resolve(List.of(collection.resolve("missing.evtx")), null))
                .isInstanceOf(IOException.class).hasMessageContaining(path("missing.evtx"));

        // named, a hidden file or a link is read: the analyst chose it; --format decides for a named file
        assertThat(ReplayInputs.resolve(List.of(collection.resolve(".DS_Store"), collection.resolve("outside-link.log"),
                collection.resolve("README.txt")), Formats.SYSLOG).files()).extracting(ReplaySummary.InputFile::path)
                .containsExactly(path(".DS_Store"), path("outside-link.log"), path("README.txt"));
        assertThatThrownBy(() -> ReplayInputs.resolve(List.of(collection.resolve("var/log/auth.log")), Formats.EVTX))
                .isInstanceOf(IOException.class).hasMessageContaining(path("var/log/auth.log"))
                .hasMessageContaining("not a Windows event log file");
        assertThat(ReplayInputs.resolve(List.of(collection.resolve("sysmon.dat")), Formats.EVTX).files())
                .containsExactly(new ReplaySummary.InputFile(path("sysmon.dat"), Formats.EVTX, false));
        assertThat(ReplayInputs.resolve(List.of(collection.resolve("sysmon.dat")), null).files())
                .containsExactly(new ReplaySummary.InputFile(path("sysmon.dat"), Formats.EVTX, true));
    }

    @Test
    void aDirectoryNamedThroughALinkIsWalkedUnderTheNameGiven() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("triage"), collection);

        ReplayInputs.Resolved resolved = ReplayInputs.resolve(List.of(link), null);

        assertThat(resolved.files()).extracting(ReplaySummary.InputFile::path)
                .contains(link.resolve("var/log/auth.log").toString(), link.resolve("sysmon.dat").toString());
        assertThat(resolved.skipped()).contains(new ReplaySummary.SkippedFile(link.resolve("README.txt").toString(),
                ReplayInputs.NOT_DETECTED));
    }

    private String path(String relative) {
        return collection.resolve(relative).toString();
    }

    private ReplaySummary.SkippedFile skipped(String relative, String reason) {
        return new ReplaySummary.SkippedFile(path(relative), reason);
    }
}
