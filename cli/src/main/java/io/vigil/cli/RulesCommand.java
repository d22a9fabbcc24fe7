package io.vigil.cli;

import io.vigil.model.text.SafeText;
import io.vigil.rules.Attack;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.RulePack;
import io.vigil.rules.RuleProblem;
import io.vigil.rules.fixtures.Fixture;
import io.vigil.rules.fixtures.FixtureLoader;
import io.vigil.rules.fixtures.FixtureRunner;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code vigil rules}: the detection rule pack. What comes from rule files (ids, names, problems,
 * fixtures) is printed escaped: {@code --rules} reads any directory.
 */
@Command(
        name = "rules",
        mixinStandardHelpOptions = true,
        description = "Inspect and test the detection rule pack; bundle, push, compare, promote, roll back and "
                + "backtest live rules (docs/rule-lifecycle.md).",
        subcommands = {RulesCommand.ListRules.class, RulesCommand.TestRules.class,
            RulesKeygenCommand.class, RulesBundleCommand.class, RulesPushCommand.class, RulesStatusCommand.class,
            RulesCompareCommand.class, RulesPromoteCommand.class, RulesRollbackCommand.class,
            RulesBacktestCommand.class})
public final class RulesCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: " + String.join(", ", spec.subcommands().keySet()));
    }

    static void printProblems(PrintWriter w, List<RuleProblem> problems) {
        for (RuleProblem p : problems) {
            w.println("PROBLEM " + SafeText.escape(p.toString()));
        }
    }

    /** {@code vigil rules list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the active rules: id, name, severity, shape and MITRE ATT&CK; then any rule problems.")
    static final class ListRules implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        RulesOption rules;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            RulePack pack = RulePack.compile(rules.sources());
            out.printf("%-32s %-9s %-10s %-22s %-40s %s%n", "ID", "SEVERITY", "SHAPE", "GROUP BY", "ATT&CK", "NAME");
            for (RuleMeta r : pack.rules().values()) {
                String attack = String.join(",", Attack.tacticNames(r.tactics())) + " " + String.join(",", r.techniques());
                out.printf("%-32s %-9s %-10s %-22s %-40s %s%n", SafeText.escape(r.id()), SafeText.escape(r.severity()),
                        r.shape().name().toLowerCase(), SafeText.escape(String.join(",", r.groupBy())),
                        SafeText.escape(attack), SafeText.escape(r.name()));
            }
            out.printf("%n%d active rule(s)%n", pack.rules().size());
            printProblems(out, pack.problems());
            out.flush();
            return pack.problems().isEmpty() ? VigilCli.OK : VigilCli.FAILURE;
        }
    }

    /** {@code vigil rules test}. */
    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Run every rule's fixtures (<rule-id>.fixtures.json beside its DRL file): each must raise "
                    + "exactly the alerts it expects. Exits 1 naming each failing rule and fixture."})
    static final class TestRules implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        RulesOption rules;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            RulePack pack = RulePack.compile(rules.sources());
            int passed = 0;
            int failed = 0;
            for (RuleMeta r : pack.rules().values()) {
                List<Fixture> fixtures = fixtures(r);
                FixtureRunner.RuleReport report = FixtureRunner.run(pack, r.id(), fixtures);
                if (report.problem() != null) {
                    out.printf("FAIL %s: %s%n", SafeText.escape(r.id()), SafeText.escape(report.problem()));
                    failed++;
                }
                for (FixtureRunner.Result result : report.results()) {
                    out.printf("%s %s: %s (%s)%n", result.passed() ? "ok  " : "FAIL", SafeText.escape(r.id()),
                            SafeText.escape(result.fixture().name()), SafeText.escape(result.detail()));
                    if (result.passed()) {
                        passed++;
                    } else {
                        failed++;
                    }
                }
            }
            printProblems(out, pack.problems());
            out.printf("%n%d passed, %d failed%n", passed, failed + pack.problems().size());
            out.flush();
            return failed == 0 && pack.problems().isEmpty() ? VigilCli.OK : VigilCli.FAILURE;
        }

        private List<Fixture> fixtures(RuleMeta rule) throws Exception {
            if (rules.dir == null) {
                return FixtureRunner.packagedFixtures(rule.file(), rule.id());
            }
            // beside the rule's file in the directory given
            Path drl = Path.of(rule.file());
            Path file = drl.resolveSibling(rule.id() + ".fixtures.json");
            if (!Files.isRegularFile(file)) {
                return List.of();
            }
            return FixtureLoader.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        }
    }
}
