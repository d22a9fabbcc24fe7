package io.vigil.rules.verify;

import io.vigil.rules.RuleMeta;
import io.vigil.rules.RulePack;
import io.vigil.rules.RuleProblem;
import io.vigil.rules.RuleSource;
import io.vigil.rules.fixtures.Fixture;
import io.vigil.rules.fixtures.FixtureLookup;
import io.vigil.rules.fixtures.FixtureRunner;
import java.io.IOException;
import java.io.Serializable;
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
        return verified(RulePack.compile(sources), sources, FixtureLookup.packaged());
    }

    /**
     * Runs the fixtures {@code fixtures} finds for every DRL rule of {@code pack} (compiled from
     * {@code sources}): a rule whose fixtures fail, cannot be read or, when they are
     * {@linkplain FixtureLookup#required() required}, are missing, is not active and is reported
     * naming the rule, the fixture and why. Sigma rules have regression samples, not fixtures.
     */
    public static RuleSet verified(RulePack pack, List<RuleSource> sources, FixtureLookup fixtures) {
        Map<String, RuleMeta> active = new LinkedHashMap<>(pack.rules());
        List<RuleProblem> problems = new ArrayList<>(pack.problems());
        for (RuleMeta rule : pack.rules().values()) {
            if (!RuleMeta.VIGIL.equals(rule.ruleset())) {
                continue;
            }
            String why = fixtureProblem(pack, rule, fixtures);
            if (why != null) {
                active.remove(rule.id());
                problems.add(new RuleProblem(rule.file(), 0, rule.id(), why + " (rule not active)"));
            }
        }
        return new RuleSet(sources, active, problems);
    }

    /** Why the fixtures of {@code rule} do not hold, or null when they do (or are not needed). */
    private static String fixtureProblem(RulePack pack, RuleMeta rule, FixtureLookup lookup) {
        List<Fixture> fixtures;
        try {
            fixtures = lookup.fixtures(rule.file(), rule.id());
        } catch (IOException e) {
            return "its fixtures " + rule.id() + ".fixtures.json cannot be read: " + e.getMessage();
        }
        if (fixtures.isEmpty()) {
            return lookup.required() ? "has no fixtures: add " + rule.id() + ".fixtures.json beside its file, with "
                    + "at least one fixture that must fire and one that must not" : null;
        }
        FixtureRunner.RuleReport report = FixtureRunner.run(pack, rule.id(), fixtures);
        if (report.passed()) {
            return null;
        }
        String why = report.problem() != null ? report.problem() : report.results().stream()
                .filter(r -> !r.passed()).map(r -> "'" + r.fixture().name() + "': " + r.detail())
                .findFirst().orElse("fixtures failed");
        return "fails its fixtures: " + why;
    }

    public RuleMeta rule(String id) {
        return active.get(id);
    }
}
