package io.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * When the shared datasets are missing, the build warns at its start (root pom.xml, the enforcer
 * execution {@code shared-datasets}) and names, module by module, the test classes that will fail
 * for it. That list is written by hand; this test keeps it equal to the test classes that read the
 * datasets, found in the sources: those calling {@link Datasets#root()} or {@link Datasets#file},
 * or the helpers built on them ({@code DatasetEvents} in rules, {@link GoldenOutput#addDataset}).
 * Reads only sources, so it runs without the datasets too.
 */
class MissingDatasetsWarningTest {

    private static final Pattern READS_DATASETS =
            Pattern.compile("Datasets\\.(?:root|file)\\(|DatasetEvents\\.|\\.addDataset\\(");
    // "#    formats: AccessLogDatasetTest …" and its continuation lines "#             …"
    private static final Pattern WARNING_LINE = Pattern.compile("^#\\s+(?:([a-z-]+):)?\\s*((?:[A-Z]\\w*Test\\s*)+)$");

    @Test
    void theBuildsWarningNamesEveryTestClassThatReadsTheDatasets() throws IOException {
        Path root = Datasets.checkoutRoot();

        Map<String, Set<String>> warned = warnedClasses(root);

        assertThat(warned).as("test classes named by the warning of execution shared-datasets in pom.xml, by module;"
                + " update that list to the classes that read the datasets").isEqualTo(readingClasses(root));
    }

    /** Module → test classes, as the warning's message in the root pom lists them. */
    private static Map<String, Set<String>> warnedClasses(Path root) throws IOException {
        String pom = Files.readString(root.resolve("pom.xml"), StandardCharsets.UTF_8);
        int execution = pom.indexOf("<id>shared-datasets</id>");
        assertThat(execution).as("the shared-datasets execution in pom.xml").isNotNegative();
        String message = pom.substring(pom.indexOf("<message>", execution), pom.indexOf("</message>", execution));
        Map<String, Set<String>> out = new TreeMap<>();
        String module = null;
        for (String line : message.split("\n")) {
            Matcher m = WARNING_LINE.matcher(line.strip());
            if (m.matches()) {
                module = m.group(1) != null ? m.group(1) : module;
                out.computeIfAbsent(module, k -> new TreeSet<>()).addAll(Set.of(m.group(2).trim().split("\\s+")));
            }
        }
        return out;
    }

    /** Module → test classes ({@code *Test.java}) whose source reads the datasets. */
    private static Map<String, Set<String>> readingClasses(Path root) throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/test/java"))).toList()) {
                try (Stream<Path> walk = Files.walk(module.resolve("src/test/java"))) {
                    for (Path source : walk.filter(p -> p.getFileName().toString().endsWith("Test.java")).toList()) {
                        if (READS_DATASETS.matcher(Files.readString(source, StandardCharsets.UTF_8)).find()) {
                            String name = source.getFileName().toString();
                            out.computeIfAbsent(module.getFileName().toString(), k -> new TreeSet<>())
                                    .add(name.substring(0, name.length() - ".java".length()));
                        }
                    }
                }
            }
        }
        return out;
    }
}
