package io.vigil.cli.flink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the job jar a Flink cluster runs is: {@code jobs/target/vigil-jobs-<version>-job.jar} of the
 * repository (the working directory or one of its parents), or {@value #IMAGE_JAR} in Vigil's
 * Flink image (deploy/docker/Dockerfile).
 */
public final class JobJar {

    public static final String IMAGE_JAR = "/opt/vigil/vigil-job.jar";
    /** The job's entry point on a cluster. */
    public static final String ENTRY_CLASS = "io.vigil.jobs.stream.StreamingMain";

    private JobJar() {
    }

    /** The newest job jar found, or an error saying how to build one. */
    public static Path locate() throws IOException {
        List<Path> tried = new ArrayList<>();
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path target = dir.resolve("jobs").resolve("target");
            tried.add(target);
            Optional<Path> jar = newest(target);
            if (jar.isPresent()) {
                return jar.get();
            }
        }
        Path image = Path.of(IMAGE_JAR);
        if (Files.isRegularFile(image)) {
            return image;
        }
        throw new IOException("No job jar (vigil-jobs-*-job.jar) in " + tried + " nor " + IMAGE_JAR
                + ": build it with ./mvnw -pl jobs -am package -DskipTests, or name it with --jar");
    }

    private static Optional<Path> newest(Path target) throws IOException {
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().matches("vigil-jobs-.+-job\\.jar"))
                    .max(Comparator.comparing(f -> f.toFile().lastModified()));
        }
    }
}
