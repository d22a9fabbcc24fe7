package io.vigil.jobs.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Refuses a rule directory that people other than its owner may change ({@code --rules},
 * {@code --sigma}, {@code detection.rules}, {@code detection.sigma}): rules run inside the job and
 * DRL can call Java, so a directory, a directory below it or a file in it that is group- or
 * world-writable lets anyone in that group put code into the job. On a file system without POSIX
 * permissions there is nothing to check, and nothing is said.
 */
public final class RuleDirectoryPermissions {

    private RuleDirectoryPermissions() {}

    /**
     * What is wrong with {@code dir}, starting with {@code what} (the key or flag that named it):
     * the first group- or world-writable path under it with its mode and the fix; null when none
     * is (or when the file system has no POSIX permissions).
     */
    public static String problem(Path dir, String what) {
        if (Files.getFileAttributeView(dir, PosixFileAttributeView.class) == null) {
            return null;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Iterator<Path> it = walk.iterator(); it.hasNext(); ) {
                Path p = it.next();
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p);
                if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
                    return what + ": " + p + " is " + (mode.contains(PosixFilePermission.OTHERS_WRITE) ? "world"
                            : "group") + "-writable (" + PosixFilePermissions.toString(mode) + "): others could "
                            + "change the rules the job runs; fix: chmod -R go-w " + dir;
                }
            }
        } catch (UnsupportedOperationException e) {
            return null;
        } catch (IOException | UncheckedIOException e) {
            return what + ": cannot read the permissions under " + dir + ": " + e.getMessage();
        }
        return null;
    }
}
