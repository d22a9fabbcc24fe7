package io.vigil.rules.verify;

import io.vigil.rules.RuleMeta;
import io.vigil.rules.RulePack;
import io.vigil.rules.RuleProblem;
import io.vigil.rules.RuleSource;
import io.vigil.rules.fixtures.FixtureRunner;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules a job runs, in a form Flink ships to its tasks: the DRL sources (each task compiles
 * them once in {@code open()}), the metadata of the active rules, and why others are not active.
 * Built once on the client, where a rule that does not compile, has bad metadata or fails its
 * fixtures is left out and reported (docs/architecture.md, invariant 5).
 */
public record RuleSet(List<RuleSource> sources, Map<String, RuleMeta> active, List<RuleProblem> problems)
        implements Serializable {

    public RuleSet {
        sources = List.copyOf(sources);
        active = new LinkedHashMap<>(active);
        problems = List.copyOf(problems);
    }

    /** The rule pack shipped with Vigil, verified against its fixtures. */
    public static RuleSet packaged() {
        return verified(RuleSource.packaged());
    }

    /**
     * Compiles {@code sources} and runs the fixtures of the packaged pack; rules with failing
     * fixtures are not active. Rules from elsewhere without packaged fixtures are active once
     * they compile with valid metadata.
     */
    public static RuleSet verified(List<RuleSource> sources) {
        RulePack pack = RulePack.compile(sources);
        Map<String, RuleMeta> active = new LinkedHashMap<>(pack.rules());
        List<RuleProblem> problems = new ArrayList<>(pack.problems());
        try {
            for (RuleMeta rule : pack.rules().values()) {
                var fixtures = FixtureRunner.packagedFixtures(rule.file(), rule.id());
                if (fixtures.isEmpty()) {
                    continue;
                }
                FixtureRunner.RuleReport report = FixtureRunner.run(pack, rule.id(), fixtures);
                if (!report.passed()) {
                    active.remove(rule.id());
                    String why = report.problem() != null ? report.problem() : report.results().stream()
                            .filter(r -> !r.passed()).map(r -> "'" + r.fixture().name() + "': " + r.detail())
                            .findFirst().orElse("fixtures failed");
                    problems.add(new RuleProblem(rule.file(), 0, rule.id(), "fails its fixtures: " + why
                            + " (rule not active)"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rule fixtures", e);
        }
        return new RuleSet(sources, active, problems);
    }

    public RuleMeta rule(String id) {
        return active.get(id);
    }
}
