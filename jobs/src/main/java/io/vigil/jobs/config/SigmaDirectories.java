package io.vigil.jobs.config;

import io.vigil.rules.RuleSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Sigma rule directories an operator names ({@code detection.sigma}, {@code --sigma}): each
 * must be a readable directory, and holds {@code *.yml}/{@code *.yaml} files, read recursively.
 * Like {@code detection.rules}, a trusted place: rules are not data, so none may be writable by
 * others than its owner ({@link RuleDirectoryPermissions}).
 */
public final class SigmaDirectories {

    private SigmaDirectories() {}

    /**
     * What is wrong with each directory, one entry per bad one, each starting with {@code what}
     * (the key or flag that named it).
     */
    public static List<String> problems(List<String> dirs, String what) {
        List<String> problems = new ArrayList<>();
        for (String dir : dirs) {
            Path path = Path.of(dir);
            if (!Files.exists(path)) {
                problems.add(what + ": no such directory: " + dir);
            } else if (!Files.isDirectory(path)) {
                problems.add(what + ": not a directory: " + dir);
            } else if (!Files.isReadable(path) || !Files.isExecutable(path)) {
                problems.add(what + ": directory not readable: " + dir);
            } else {
                String writable = RuleDirectoryPermissions.problem(path, what);
                if (writable != null) {
                    problems.add(writable);
                }
            }
        }
        return problems;
    }

    /**
     * The Sigma files under every directory, in the order named, each reported under its
     * directory's name.
     *
     * @throws IOException naming {@code what} and the directory when one cannot be read or holds
     *     no Sigma file (a directory named for nothing is a mistake worth knowing of)
     */
    public static List<RuleSource> load(List<String> dirs, String what) throws IOException {
        List<String> problems = problems(dirs, what);
        if (!problems.isEmpty()) {
            throw new IOException(String.join("; ", problems));
        }
        List<RuleSource> out = new ArrayList<>();
        for (String dir : dirs) {
            List<RuleSource> found = RuleSource.loadSigma(Path.of(dir), dir);
            if (found.isEmpty()) {
                throw new IOException(what + ": no Sigma files (*.yml, *.yaml) under " + dir);
            }
            out.addAll(found);
        }
        return out;
    }
}
