package io.vigil.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.formats.Datasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every configuration file the repository ships (under {@code deploy/}, {@code samples/} and
 * {@code docs/}) passes {@code vigil config --check}, and so does each top-level section it
 * shows commented out as an example (such as {@code # webhooks:}), once enabled.
 */
class ShippedConfigurationsTest {

    /** Where example configurations live, relative to the checkout. */
    private static final List<String> PLACES = List.of("deploy", "samples", "docs");
    /**
     * YAML files there that are not Vigil's configuration: Prometheus' own (docs/metrics.md) and
     * Flink's (deploy/flink/config.yaml, docs/cluster.md; ComposeFileTest checks its keys are Flink's).
     */
    private static final List<String> NOT_VIGIL = List.of("deploy/prometheus", "deploy/flink");

    /** {@code # key:} at the start of a line: a commented-out top-level section. */
    private static final Pattern SECTION = Pattern.compile("^# ([a-z][a-z0-9-]*):\\s*(#.*)?$");
    /** {@code #   nested: value}: a line of that section (indented after the '# '). */
    private static final Pattern SECTION_LINE = Pattern.compile("^# ( +\\S.*)$");

    @TempDir
    Path dir;

    @Test
    void everyShippedConfigurationPassesTheCheck() throws IOException {
        List<Path> files = shipped();
        assertThat(files).extracting(f -> Datasets.checkoutRoot().relativize(f).toString().replace('\\', '/'))
                .contains("deploy/vigil.yaml", "deploy/docker/vigil.yaml");
        for (Path f : files) {
            assertThat(ConfigCheck.check(f)).as("vigil config --check %s", f).isEmpty();
        }
    }

    @Test
    void everyCommentedOutExampleSectionPassesTheCheckOnceEnabled() throws IOException {
        int sections = 0;
        for (Path f : shipped()) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = SECTION.matcher(lines.get(i));
                if (!m.matches()) {
                    continue;
                }
                List<String> enabled = new ArrayList<>(lines);
                enabled.set(i, lines.get(i).substring(2));
                for (int j = i + 1; j < lines.size(); j++) {
                    Matcher line = SECTION_LINE.matcher(lines.get(j));
                    if (!line.matches()) {
                        break;
                    }
                    enabled.set(j, line.group(1));
                }
                Path copy = dir.resolve("with-" + m.group(1) + "-" + f.getFileName());
                Files.write(copy, enabled);
                assertThat(ConfigCheck.check(copy)).as("%s with its '%s' example enabled", f, m.group(1)).isEmpty();
                sections++;
            }
        }
        // deploy/vigil.yaml shows its webhooks that way
        assertThat(sections).isPositive();
    }

    /**
     * The commented-out {@code detection.sigma} example of deploy/vigil.yaml, once enabled, is read
     * as that key with its list of directories: the only problems are that those directories do
     * not exist on this machine.
     */
    @Test
    void theCommentedOutSigmaExampleNamesDirectoriesOfDetectionSigma() throws IOException {
        Path f = Datasets.checkoutRoot().resolve("deploy/vigil.yaml");
        List<String> lines = Files.readAllLines(f);
        List<String> enabled = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        boolean inSigma = false;
        for (String line : lines) {
            if (line.startsWith("  # sigma:")) {
                inSigma = true;
                enabled.add("  sigma:");
            } else if (inSigma && line.startsWith("  #   - ")) {
                dirs.add(line.substring("  #   - ".length()).strip());
                enabled.add("    - " + dirs.get(dirs.size() - 1));
            } else {
                inSigma = false;
                enabled.add(line);
            }
        }
        assertThat(dirs).isNotEmpty();
        Path copy = dir.resolve("with-sigma-vigil.yaml");
        Files.write(copy, enabled);
        assertThat(VigilConfig.load(copy).sigmaDirs()).containsExactlyElementsOf(dirs);
        assertThat(ConfigCheck.check(copy)).containsExactlyElementsOf(
                dirs.stream().map(d -> "detection.sigma: no such directory: " + d).toList());
    }

    private static List<Path> shipped() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String place : PLACES) {
            Path root = Datasets.checkoutRoot().resolve(place);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                        .filter(p -> NOT_VIGIL.stream().noneMatch(d -> p.startsWith(Datasets.checkoutRoot().resolve(d))))
                        .sorted().forEach(files::add);
            }
        }
        return files;
    }
}
