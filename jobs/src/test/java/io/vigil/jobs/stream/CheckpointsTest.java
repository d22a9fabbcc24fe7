package io.vigil.jobs.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {

    @TempDir
    Path dir;

    private void checkpoint(String job, String chk, String completedAt) throws Exception {
        Path metadata = Files.createDirectories(dir.resolve(job).resolve(chk)).resolve("_metadata");
        Files.writeString(metadata, "x");
        Files.setLastModifiedTime(metadata, FileTime.from(Instant.parse(completedAt)));
    }

    @Test
    void theNewestCompleteCheckpointAcrossRunsWins() throws Exception {
        checkpoint("aaaa", "chk-40", "2024-06-01T10:00:00Z");
        checkpoint("bbbb", "chk-3", "2024-06-01T11:00:00Z");
        checkpoint("bbbb", "chk-2", "2024-06-01T10:59:00Z");
        // in progress: no _metadata yet
        Files.createDirectories(dir.resolve("bbbb").resolve("chk-4"));
        Files.createDirectories(dir.resolve("bbbb").resolve("shared"));
        assertThat(Checkpoints.latest(dir.toString())).contains(dir.resolve("bbbb/chk-3").toAbsolutePath());
        assertThat(Checkpoints.latest(dir.toUri().toString())).contains(dir.resolve("bbbb/chk-3").toAbsolutePath());
    }

    @Test
    void noCheckpointOrARemoteDirectoryMeansNone() throws Exception {
        assertThat(Checkpoints.latest(dir.resolve("missing").toString())).isEmpty();
        Files.createDirectories(dir.resolve("cccc").resolve("chk-1"));
        assertThat(Checkpoints.latest(dir.toString())).isEmpty();
        assertThat(Checkpoints.latest("s3://bucket/vigil/checkpoints")).isEmpty();
    }
}
