package io.vigil.localstack.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The classpath of the local Flink cluster's processes: the Flink artifacts local-stack's pom names
 * (provided, so they never reach the modules that use local-stack) with what they need, resolved by
 * the build into {@value #FILE} ({@code maven-dependency-plugin:build-classpath}).
 *
 * <p>Where the file is looked for, first hit wins: the system property {@value #PROPERTY}, the
 * environment variable {@value #ENV}, beside the local-stack classes this class was loaded from
 * ({@code local-stack/target/classes}), then {@code local-stack/target/} in the working directory
 * or one of its parents (the repository root).
 */
public final class FlinkClasspath {

    /** File name, in local-stack's {@code target/}. */
    public static final String FILE = "flink-cluster-classpath.txt";
    public static final String PROPERTY = "vigil.flink.classpath";
    public static final String ENV = "VIGIL_FLINK_CLASSPATH";

    private FlinkClasspath() {
    }

    /** The jars, each checked to exist. */
    public static List<Path> resolve() {
        Path file = locate();
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            List<Path> jars = new ArrayList<>();
            for (String entry : text.split(java.io.File.pathSeparator)) {
                if (!entry.isBlank()) {
                    Path jar = Path.of(entry.strip());
                    if (!Files.isRegularFile(jar)) {
                        throw new IllegalStateException("The Flink cluster classpath " + file + " names " + jar
                                + ", which does not exist: run ./mvnw -pl local-stack package to resolve it again");
                    }
                    jars.add(jar);
                }
            }
            if (jars.isEmpty()) {
                throw new IllegalStateException("The Flink cluster classpath " + file + " is empty");
            }
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the Flink cluster classpath " + file, e);
        }
    }

    static Path locate() {
        List<Path> tried = new ArrayList<>();
        String named = System.getProperty(PROPERTY);
        if (named == null || named.isBlank()) {
            named = System.getenv(ENV);
        }
        if (named != null && !named.isBlank()) {
            Path p = Path.of(named);
            if (Files.isRegularFile(p)) {
                return p;
            }
            tried.add(p);
        }
        Path besideClasses = besideClasses();
        if (besideClasses != null) {
            if (Files.isRegularFile(besideClasses)) {
                return besideClasses;
            }
            tried.add(besideClasses);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("local-stack").resolve("target").resolve(FILE);
            if (Files.isRegularFile(p)) {
                return p;
            }
            tried.add(p);
        }
        throw new IllegalStateException("No Flink cluster classpath (" + FILE + ") found; tried " + tried
                + ". Run ./mvnw -pl local-stack package from the repository root to resolve it, or name the file"
                + " with -D" + PROPERTY + " or $" + ENV);
    }

    /** {@code local-stack/target/FILE} when this class comes from {@code local-stack/target/classes}. */
    private static Path besideClasses() {
        try {
            var source = FlinkClasspath.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return null;
            }
            Path location = Path.of(source.getLocation().toURI());
            return Files.isDirectory(location) && location.getParent() != null
                    ? location.getParent().resolve(FILE) : null;
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return null;
        }
    }
}
