package io.vigil.jobs.stream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the checkpoint a restarted streaming job resumes from.
 *
 * <p>Flink writes retained checkpoints as {@code <checkpoints.dir>/<job id>/chk-<n>/_metadata};
 * every run of the job gets a new job id, so the latest checkpoint is the newest complete one
 * ({@code _metadata} is written last, when the checkpoint completes) across the job-id
 * directories. Only directories on this machine's file system are searched: on a Flink cluster
 * the cluster's high availability restores the job, or {@code flink run -s PATH} names the
 * checkpoint.
 */
public final class Checkpoints {

    private Checkpoints() {}

    /** The directory of the newest complete checkpoint under {@code checkpointsDir}, if any. */
    public static Optional<Path> latest(String checkpointsDir) {
        Optional<Path> root = localPath(checkpointsDir);
        if (root.isEmpty() || !Files.isDirectory(root.get())) {
            return Optional.empty();
        }
        try (Stream<Path> jobs = Files.list(root.get())) {
            return jobs.filter(Files::isDirectory)
                    .flatMap(Checkpoints::completed)
                    .max(Comparator.comparing(Checkpoints::completedAt).thenComparing(Checkpoints::number))
                    .map(Path::toAbsolutePath);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoints in " + root.get(), e);
        }
    }

    /** The local path of a checkpoint directory setting, empty when it names a remote file system. */
    static Optional<Path> localPath(String dir) {
        if (!dir.contains("://")) {
            return Optional.of(Path.of(dir));
        }
        URI uri = URI.create(dir);
        return "file".equals(uri.getScheme()) ? Optional.of(Path.of(uri)) : Optional.empty();
    }

    private static Stream<Path> completed(Path jobDir) {
        try (Stream<Path> children = Files.list(jobDir)) {
            return children.filter(p -> p.getFileName().toString().matches("chk-\\d+"))
                    .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
                    .toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoints in " + jobDir, e);
        }
    }

    private static FileTime completedAt(Path checkpoint) {
        try {
            return Files.getLastModifiedTime(checkpoint.resolve("_metadata"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long number(Path checkpoint) {
        return Long.parseLong(checkpoint.getFileName().toString().substring("chk-".length()));
    }
}
