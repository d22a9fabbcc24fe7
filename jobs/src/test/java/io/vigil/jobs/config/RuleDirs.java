package io.vigil.jobs.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Rule directories made by tests, made writable by their owner only whatever the umask (a
 * checkout under umask 002 makes group-writable files, which a rule directory refuses: --rules,
 * --sigma, detection.rules, detection.sigma). The cli tests use it too (the jobs test-jar).
 */
public final class RuleDirs {

    private RuleDirs() {}

    /** {@code dir}, with group and world write taken off it and everything under it. */
    public static Path ownerWritable(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.forEach(p -> {
                try {
                    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p);
                    mode.remove(PosixFilePermission.GROUP_WRITE);
                    mode.remove(PosixFilePermission.OTHERS_WRITE);
                    Files.setPosixFilePermissions(p, mode);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return dir;
    }
}
