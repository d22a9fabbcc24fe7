package io.vigil.rules.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.formats.Datasets;
import io.vigil.rules.RuleSource;
import io.vigil.rules.SigmaStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole SigmaHQ rules tree compiles: of the rules whose log source Vigil maps, at least 99 %
 * compile; the per-log-source table and the rest go to the log at DEBUG.
 */
class SigmaHqTreeTest {

    private static final Logger LOG = LoggerFactory.getLogger(SigmaHqTreeTest.class);

    @Test
    void atLeast99PercentOfTheSupportedRulesCompile() throws Exception {
        Path rules = Datasets.root().resolve("sigmahq-rules/rules");
        List<RuleSource> sources = RuleSource.loadSigma(rules, "sigmahq");
        CompiledSigma set = (CompiledSigma) new SigmaRuleCompiler().compile(sources);
        List<SigmaStatus> statuses = set.statuses();
        long compiled = statuses.stream().filter(s -> s.state() == SigmaStatus.State.COMPILED).count();
        long problems = statuses.stream().filter(s -> s.state() == SigmaStatus.State.PROBLEM).count();
        Map<String, int[]> table = new TreeMap<>();
        for (SigmaStatus s : statuses) {
            table.computeIfAbsent(s.logSource(), k -> new int[3])[s.state().ordinal()]++;
        }
        if (LOG.isDebugEnabled()) {
            table.forEach((ls, n) -> LOG.debug("{} compiled {} unsupported {} problem {}", ls, n[0], n[1], n[2]));
            statuses.stream().filter(s -> s.state() != SigmaStatus.State.COMPILED)
                    .forEach(s -> LOG.debug("{}", s));
        }
        assertThat(statuses).hasSizeGreaterThanOrEqualTo(countYamlDocuments(rules));
        assertThat(compiled + problems).isPositive();
        assertThat((double) compiled / (compiled + problems))
                .as("compiled share of the supported rules; problems: %s", statuses.stream()
                        .filter(s -> s.state() == SigmaStatus.State.PROBLEM).toList())
                .isGreaterThanOrEqualTo(0.99);
    }

    private static int countYamlDocuments(Path dir) throws Exception {
        List<Path> files = new ArrayList<>();
        try (var walk = Files.walk(dir)) {
            walk.filter(p -> p.toString().endsWith(".yml")).forEach(files::add);
        }
        return files.size();
    }
}
