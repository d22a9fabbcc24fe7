package io.vigil.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The text of one rule file (DRL, or a Sigma YAML file: {@link #isSigma()}) and the name it is
 * reported under. Rules are loaded only from trusted places (the packaged pack or a directory the
 * operator names), never from event data.
 */
public record RuleSource(String file, String drl) implements java.io.Serializable {

    /** Where the packaged rule pack lives on the classpath. */
    public static final String PACKAGED_ROOT = "io/vigil/rules";

    /** The DRL files of the pack shipped with Vigil, sorted by path. */
    public static List<RuleSource> packaged() {
        List<RuleSource> out;
        try {
            out = packagedFiles(PACKAGED_ROOT, ".drl");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no rule pack (*.drl under " + PACKAGED_ROOT + ") on the classpath");
        }
        return out;
    }

    /**
     * The files ending in {@code suffix} under the classpath directory {@code dir} (recursively),
     * in every classpath root that has it, reported under {@code dir}.
     */
    public static List<RuleSource> packagedFiles(String dir, String suffix) throws IOException {
        List<RuleSource> out = new ArrayList<>();
        try {
            // the package directory may exist in several classpath roots (classes, test classes)
            Enumeration<URL> roots = RuleSource.class.getClassLoader().getResources(dir);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                if ("jar".equals(root.getProtocol())) {
                    try (FileSystem fs = FileSystems.newFileSystem(root.toURI(), Map.of())) {
                        out.addAll(load(fs.getPath(dir), dir, suffix));
                    }
                } else {
                    out.addAll(load(Path.of(root.toURI()), dir, suffix));
                }
            }
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The DRL files under {@code dir} (recursively), reported relative to it under {@code prefix}. */
    public static List<RuleSource> load(Path dir, String prefix) throws IOException {
        return load(dir, prefix, ".drl");
    }

    /**
     * The Sigma files ({@code *.yml}, {@code *.yaml}) under {@code dir} (recursively), reported
     * relative to it under {@code prefix}.
     */
    public static List<RuleSource> loadSigma(Path dir, String prefix) throws IOException {
        List<RuleSource> out = load(dir, prefix, SIGMA_SUFFIXES);
        RuleSource licenses = sigmaLicenses(dir, prefix, out);
        if (licenses != null) {
            out.add(licenses);
        }
        return out;
    }

    /** The file whose presence puts Sigma rules under the Detection Rule License (SigmaHQ's). */
    public static final String DRL_LICENSE_FILE = "LICENSE.Detection.Rules.md";

    /** The licence those rules carry when their own {@code license:} names none. */
    public static final String DRL_LICENSE = "DRL-1.1";

    /** The name of the document {@link #loadSigma} adds to say which files the DRL covers. */
    public static final String SIGMA_LICENSES_FILE = ".vigil-licenses.yml";

    /**
     * A {@code vigil-licenses:} document naming the files a {@value #DRL_LICENSE_FILE} covers:
     * one in the file's directory or any directory above it up to {@code dir}, or above
     * {@code dir} (a SigmaHQ checkout keeps it beside {@code rules/}). It travels with the
     * sources to the tasks, which never see the directory. Null when no file is covered.
     */
    private static RuleSource sigmaLicenses(Path dir, String prefix, List<RuleSource> sources) {
        Path root = dir.toAbsolutePath().normalize();
        boolean aboveRoot = false;
        for (Path d = root; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(DRL_LICENSE_FILE))) {
                aboveRoot = true;
                break;
            }
        }
        com.fasterxml.jackson.databind.node.ObjectNode files = com.fasterxml.jackson.databind.node.JsonNodeFactory
                .instance.objectNode();
        for (RuleSource s : sources) {
            boolean covered = aboveRoot;
            Path file = root.resolve(s.file().substring(prefix.length() + 1)).normalize();
            for (Path d = file.getParent(); !covered && d != null && d.startsWith(root); d = d.getParent()) {
                covered = Files.isRegularFile(d.resolve(DRL_LICENSE_FILE));
            }
            if (covered) {
                files.put(s.file(), DRL_LICENSE);
            }
        }
        if (files.isEmpty()) {
            return null;
        }
        String text = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .set("vigil-licenses", files).toString(); // JSON is YAML
        return new RuleSource(prefix + "/" + SIGMA_LICENSES_FILE, text);
    }

    /** The endings of Sigma files. */
    private static final String[] SIGMA_SUFFIXES = {".yml", ".yaml"};

    /** Whether this is a Sigma file (by its name), not DRL. */
    public boolean isSigma() {
        for (String suffix : SIGMA_SUFFIXES) {
            if (file.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    private static List<RuleSource> load(Path dir, String prefix, String... suffixes) throws IOException {
        List<RuleSource> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(f -> Files.isRegularFile(f) && endsWithAny(f.toString(), suffixes))
                    .sorted().toList()) {
                String name = prefix + "/" + dir.relativize(p).toString().replace('\\', '/');
                try (InputStream in = Files.newInputStream(p)) {
                    out.add(new RuleSource(name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
        }
        return out;
    }

    private static boolean endsWithAny(String name, String... suffixes) {
        for (String suffix : suffixes) {
            if (name.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The rule whose block holds {@code line} (1-based): the last {@code rule "…"} header at or
     * above it, or {@code null}.
     */
    public String ruleAt(int line) {
        String found = null;
        String[] lines = drl.split("\n", -1);
        for (int i = 0; i < Math.min(line, lines.length); i++) {
            String l = lines[i].strip();
            if (l.startsWith("rule ")) {
                int q1 = l.indexOf('"');
                int q2 = l.indexOf('"', q1 + 1);
                found = q1 >= 0 && q2 > q1 ? l.substring(q1 + 1, q2) : l.substring(5).strip();
            }
        }
        return found;
    }
}
