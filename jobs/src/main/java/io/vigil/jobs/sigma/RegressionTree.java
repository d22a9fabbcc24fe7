package io.vigil.jobs.sigma;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;

/**
 * Where SigmaHQ regression folders are read from: directories on disk ({@code vigil sigma test})
 * or the {@code regression/} entries of a rule bundle (the job's bundle check). Files are named by
 * text: a path on disk, an entry name in a bundle.
 */
public interface RegressionTree {

    /** The name of every {@value SigmaRegression#INFO} of the tree, in name order. */
    List<String> infoFiles() throws IOException;

    /** The bytes of file {@code name}, or null when there is none. */
    byte[] read(String name) throws IOException;

    /** The name of file {@code file} in the folder of file {@code name}. */
    String sibling(String name, String file);

    /** The folders under every directory of {@code dirs}, each of which must exist. */
    static RegressionTree of(List<Path> dirs) {
        return new RegressionTree() {
            @Override
            public List<String> infoFiles() throws IOException {
                List<String> infos = new ArrayList<>();
                for (Path dir : dirs) {
                    if (!Files.isDirectory(dir)) {
                        throw new IOException("no such directory: " + dir);
                    }
                    try (Stream<Path> walk = Files.walk(dir)) {
                        walk.filter(p -> p.getFileName().toString().equals(SigmaRegression.INFO)).sorted()
                                .forEach(p -> infos.add(p.toString()));
                    }
                }
                return infos;
            }

            @Override
            public byte[] read(String name) throws IOException {
                Path p = Path.of(name);
                return Files.isRegularFile(p) ? Files.readAllBytes(p) : null;
            }

            @Override
            public String sibling(String name, String file) {
                return Path.of(name).resolveSibling(file).toString();
            }
        };
    }

    /** The files {@code entries} (entry name to bytes, names separated by {@code /}). */
    static RegressionTree of(SortedMap<String, byte[]> entries) {
        return new RegressionTree() {
            @Override
            public List<String> infoFiles() {
                return entries.keySet().stream()
                        .filter(n -> n.equals(SigmaRegression.INFO) || n.endsWith("/" + SigmaRegression.INFO)).toList();
            }

            @Override
            public byte[] read(String name) {
                return entries.get(name);
            }

            @Override
            public String sibling(String name, String file) {
                int slash = name.lastIndexOf('/');
                return (slash < 0 ? "" : name.substring(0, slash + 1)) + file;
            }
        };
    }
}
