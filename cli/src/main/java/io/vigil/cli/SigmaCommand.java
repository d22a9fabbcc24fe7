package io.vigil.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.cli.sigma.SigmaCoverage;
import io.vigil.jobs.config.SigmaDirectories;
import io.vigil.jobs.sigma.SigmaRegression;
import io.vigil.model.EcsJson;
import io.vigil.model.text.SafeText;
import io.vigil.rules.RulePack;
import io.vigil.rules.RuleSource;
import io.vigil.rules.SigmaStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil sigma}: Sigma rules as Vigil compiles them. What comes from rule files is printed
 * escaped: any directory may be given.
 */
@Command(
        name = "sigma",
        mixinStandardHelpOptions = true,
        description = "Check and test Sigma rules as Vigil compiles them.",
        subcommands = {SigmaCommand.CheckSigma.class, SigmaCommand.TestSigma.class})
public final class SigmaCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: check or test");
    }

    /** The Sigma files under each directory, read recursively; a directory that is not one, or holds none, is an error. */
    static List<RuleSource> sigmaSources(List<Path> dirs, String option) throws IOException {
        return SigmaDirectories.load(dirs.stream().map(Path::toString).toList(), option);
    }

    /** {@code vigil sigma check}. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Compile Sigma rules as a job would and report: per log source, how many compile, how many "
                    + "Vigil does not run (a log source it does not decode, or a feature it does not support) and how "
                    + "many do not compile; the share of the supported ones that compile; then every rule that does "
                    + "not compile with the reason. Exits 1 when a supported rule does not compile."})
    static final class CheckSigma implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "DIR", arity = "1..*",
                description = "Directories of Sigma rules (*.yml, *.yaml, read recursively).")
        List<Path> dirs;

        @Option(names = "--json", paramLabel = "FILE",
                description = "Also write the counts and every rule's status (compiled, unsupported, problem) as JSON.")
        Path json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            List<RuleSource> sources = sigmaSources(dirs, "DIR");
            SigmaCoverage coverage = SigmaCoverage.of(RulePack.compile(sources).sigmaStatuses());
            out.printf("%-48s %8s %8s %11s %8s%n", "LOG SOURCE (product/category/service)", "TOTAL", "COMPILED",
                    "UNSUPPORTED", "PROBLEM");
            for (SigmaCoverage.Row r : coverage.rows()) {
                out.printf("%-48s %8d %8d %11d %8d%n", SafeText.escape(r.logSource()), r.total(), r.compiled(),
                        r.unsupported(), r.problems());
            }
            int compiled = coverage.count(SigmaStatus.State.COMPILED);
            out.printf("%-48s %8d %8d %11d %8d%n", "all", coverage.statuses().size(), compiled,
                    coverage.count(SigmaStatus.State.UNSUPPORTED), coverage.count(SigmaStatus.State.PROBLEM));
            out.printf(java.util.Locale.ROOT, "%n%d of %d supported document(s) compile (%.1f %%); %d unsupported%n",
                    compiled, coverage.supported(), coverage.compiledPercent(),
                    coverage.count(SigmaStatus.State.UNSUPPORTED));
            for (SigmaStatus p : coverage.problems()) {
                out.println("PROBLEM " + SafeText.escape(p.toString()));
            }
            out.flush();
            if (json != null) {
                ObjectNode root = EcsJson.MAPPER.createObjectNode();
                root.put("documents", coverage.statuses().size());
                root.put("compiled", compiled);
                root.put("unsupported", coverage.count(SigmaStatus.State.UNSUPPORTED));
                root.put("problems", coverage.count(SigmaStatus.State.PROBLEM));
                root.put("compiled_percent_of_supported", coverage.compiledPercent());
                ArrayNode rows = root.putArray("by_log_source");
                coverage.rows().forEach(r -> rows.addObject().put("log_source", r.logSource()).put("total", r.total())
                        .put("compiled", r.compiled()).put("unsupported", r.unsupported()).put("problems", r.problems()));
                ArrayNode docs = root.putArray("documents_status");
                for (SigmaStatus st : coverage.statuses()) {
                    docs.addObject().put("file", st.file()).put("id", st.ruleId()).put("title", st.title())
                            .put("kind", st.kind()).put("log_source", st.logSource())
                            .put("state", st.state().name().toLowerCase(java.util.Locale.ROOT)).put("reason", st.reason());
                }
                Files.writeString(json, EcsJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
            }
            return coverage.count(SigmaStatus.State.PROBLEM) == 0 ? VigilCli.OK : VigilCli.FAILURE;
        }
    }

    /** {@code vigil sigma test}. */
    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Run SigmaHQ regression tests: every folder under REGRESSION_DIR with an info.yml and its "
                    + "sample, the .evtx it names (read natively) or the evtx_dump JSON beside it. Prints, per test, "
                    + "the rule, the expected and actual matches and the sample run, then 'N passed, M failed' and "
                    + "how many tests ran each kind of sample. Exits 1 on any failure."})
    static final class TestSigma implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "REGRESSION_DIR", arity = "1..*",
                description = "Directories searched recursively for info.yml (e.g. SigmaHQ's regression_data).")
        List<Path> regressionDirs;

        @Option(names = "--rules", paramLabel = "DIR", arity = "1..*", required = true,
                description = "Directories of Sigma rules (*.yml, *.yaml, read recursively) the tests name.")
        List<Path> ruleDirs;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write every test's outcome as JSON.")
        Path json;

        @Option(names = "--sample", paramLabel = "evtx|json",
                description = "Which sample each test runs: evtx (the Windows event log file info.yml names) or json "
                        + "(the evtx_dump JSON beside it); a test without that file fails. Default: the .evtx when "
                        + "it is there, else the JSON.")
        String sample;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            SigmaRegression.Samples samples;
            if (sample == null) {
                samples = SigmaRegression.Samples.PREFER_EVTX;
            } else if (sample.equals(SigmaRegression.EVTX)) {
                samples = SigmaRegression.Samples.EVTX;
            } else if (sample.equals(SigmaRegression.JSON)) {
                samples = SigmaRegression.Samples.JSON;
            } else {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--sample: '" + sample + "' is neither evtx nor json");
            }
            List<SigmaRegression.Case> cases = SigmaRegression.discover(regressionDirs);
            if (cases.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "no regression test (" + SigmaRegression.INFO + " with regression_tests_info) under "
                                + regressionDirs);
            }
            RulePack pack = RulePack.compile(sigmaSources(ruleDirs, "--rules"));
            List<SigmaRegression.Outcome> outcomes = SigmaRegression.run(cases, pack, samples);
            int passed = 0;
            for (SigmaRegression.Outcome o : outcomes) {
                out.printf("%s %s (%s) %s: %s%n", o.passed() ? "ok  " : "FAIL", SafeText.escape(o.test().ruleTitle()),
                        SafeText.escape(o.test().ruleId()), SafeText.escape(o.test().name()),
                        SafeText.escape(o.detail()));
                passed += o.passed() ? 1 : 0;
            }
            int failed = outcomes.size() - passed;
            Map<String, Long> bySample = bySample(outcomes);
            out.printf("%n%d passed, %d failed%n", passed, failed);
            out.printf("samples run: %s%n", bySample.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                    .collect(java.util.stream.Collectors.joining(", ")));
            out.flush();
            if (json != null) {
                writeJson(outcomes, passed, failed, bySample);
            }
            return failed == 0 ? VigilCli.OK : VigilCli.FAILURE;
        }

        /** How many tests ran an .evtx, a JSON, or no sample (none found, rule not active). */
        private static Map<String, Long> bySample(List<SigmaRegression.Outcome> outcomes) {
            Map<String, Long> counts = new java.util.TreeMap<>();
            outcomes.forEach(o -> counts.merge(o.sampleFormat() == null ? "none" : o.sampleFormat(), 1L, Long::sum));
            return counts;
        }

        private void writeJson(List<SigmaRegression.Outcome> outcomes, int passed, int failed, Map<String, Long> bySample)
                throws IOException {
            ObjectNode root = EcsJson.MAPPER.createObjectNode();
            root.put("passed", passed);
            root.put("failed", failed);
            ObjectNode samples = root.putObject("samples");
            bySample.forEach(samples::put);
            ArrayNode tests = root.putArray("tests");
            for (SigmaRegression.Outcome o : outcomes) {
                ObjectNode t = tests.addObject();
                t.put("rule_id", o.test().ruleId());
                t.put("rule_title", o.test().ruleTitle());
                t.put("test", o.test().name());
                t.put("info", o.test().info().toString());
                if (o.test().matchCount() != null) {
                    t.put("expected", o.test().matchCount());
                } else {
                    t.putNull("expected");
                }
                t.put("actual", o.actual());
                t.put("sample", o.sampleFormat());
                t.put("passed", o.passed());
                t.put("detail", o.detail());
            }
            Files.writeString(json, EcsJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        }
    }
}
