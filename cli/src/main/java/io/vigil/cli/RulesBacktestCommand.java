package io.vigil.cli;

import io.vigil.formats.DecoderOptions;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.config.VigilOptions;
import io.vigil.jobs.incident.IncidentAssembler;
import io.vigil.jobs.live.BundleCheck;
import io.vigil.jobs.live.ControlHistory;
import io.vigil.jobs.live.ControlRecord;
import io.vigil.jobs.live.ControlTopic;
import io.vigil.jobs.replay.ReplayOptions;
import io.vigil.jobs.replay.ReplayRunner;
import io.vigil.jobs.replay.ReplaySummary;
import io.vigil.jobs.wiring.Connections;
import io.vigil.model.text.SafeText;
import io.vigil.rules.RuleProblem;
import io.vigil.rules.bundle.BundleException;
import io.vigil.rules.bundle.BundleKeys;
import io.vigil.rules.bundle.RuleBundle;
import io.vigil.rules.exceptions.RuleExceptions;
import io.vigil.rules.verify.RuleSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil rules backtest}: what a bundle would change, on real logs, before it is pushed: the
 * same files replayed (the {@code vigil replay} path) with the active rules and with the bundle's.
 */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = {"Replay log files twice, as vigil replay does, once with the active rules and once with a "
                + "bundle's rules and exceptions, and print per rule: alerts with the active rules, alerts with the "
                + "bundle, new (alert ids only the bundle raised), gone (only the active rules raised), and totals.",
            "The active rules: with --config, the newest live bundle of the control topic that passes the check "
                + "(else the configuration's local rules); otherwise --rules DIR or the packaged pack, with --exceptions.",
            "Exit 0: it is a report, whatever it shows; 1 when the bundle or a replay fails."},
        footer = {"", "Examples:",
            "  vigil rules backtest rules-1.5.0.zip ../shared/datasets/loghub/OpenSSH_2k.log --rules rules/",
            "  vigil rules backtest rules-1.5.0.zip /var/log/auth.log* --config vigil.yaml --out out/backtest"})
final class RulesBacktestCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "The bundle to try (a .zip from vigil rules bundle).")
    Path bundle;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE", description = "Log files or directories to replay.")
    List<Path> files;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The job's configuration: the active rules are the newest live bundle of its control topic "
                    + "that passes the check against rules.public-key, which also checks BUNDLE.")
    Path config;

    @CommandLine.Mixin
    RulesOption rules;

    @Option(names = "--exceptions", paramLabel = "FILE",
            description = "Exceptions applied with the local active rules (--rules or the packaged pack), as "
                    + "vigil replay --exceptions. A bundle's run uses the bundle's own exceptions.")
    Path exceptions;

    @Option(names = "--public-key", paramLabel = "FILE",
            description = "Check BUNDLE's signature against this key (default: rules.public-key of --config; without "
                    + "either the signature is not checked, the rules still are).")
    Path publicKey;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", description = "Format of every input (as vigil replay).")
    String format;

    @Option(names = "--year", paramLabel = "YEAR", description = "Year of the first line of syslog files (as vigil replay).")
    Integer year;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Keep both replays' outputs in DIR/active and DIR/bundle (default: a temporary directory, "
                    + "deleted afterwards).")
    Path out;

    /** The rules and exceptions of one side, and what to call them. */
    record Side(String label, RuleSet rules, RuleExceptions exceptions) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (config != null && rules.dir != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--config takes the active rules from the control topic: it cannot go with --rules");
        }
        if (format != null && !io.vigil.formats.Formats.isKnown(format)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--format: unknown format '" + format + "'; formats: " + io.vigil.formats.Formats.ALL);
        }
        VigilConfig vigil = config == null ? null : VigilConfig.load(config);
        PublicKey key = key(vigil);
        Side candidate = candidate(key, err);
        if (candidate == null) {
            return VigilCli.FAILURE;
        }
        Side active = active(vigil, key);
        Path root = out != null ? Files.createDirectories(out) : Files.createTempDirectory("vigil-backtest-");
        try {
            DecoderOptions decoder = DecoderOptions.defaults().withYear(year);
            ReplaySummary activeRun = replay(active, root.resolve("active"), decoder);
            ReplaySummary bundleRun = replay(candidate, root.resolve("bundle"), decoder);
            List<BacktestDiff.Row> rows = BacktestDiff.rows(
                    BacktestDiff.alertIds(Path.of(activeRun.outputs().get("alerts"))),
                    BacktestDiff.alertIds(Path.of(bundleRun.outputs().get("alerts"))),
                    active.rules().active().keySet(), candidate.rules().active().keySet());
            print(w, active, candidate, activeRun, rows);
            if (out != null) {
                w.printf("%nBoth runs are in %s (active/, bundle/)%n", SafeText.escape(out.toString()));
            }
        } finally {
            if (out == null) {
                deleteTree(root);
            }
        }
        w.flush();
        return VigilCli.OK;
    }

    private PublicKey key(VigilConfig vigil) throws BundleException {
        if (publicKey != null) {
            return BundleKeys.publicKey(publicKey);
        }
        if (vigil != null && vigil.get(VigilOptions.RULES_PUBLIC_KEY) != null) {
            return BundleKeys.publicKey(Path.of(vigil.get(VigilOptions.RULES_PUBLIC_KEY)));
        }
        return null;
    }

    /** The bundle's side: checked as the job checks it when there is a key; null (after saying why) when refused. */
    private Side candidate(PublicKey key, PrintWriter err) throws IOException {
        byte[] archive = Files.readAllBytes(bundle);
        if (key != null) {
            BundleCheck.Outcome check = BundleCheck.check(archive, key);
            if (!check.accepted()) {
                err.printf("vigil rules backtest: the job would refuse %s at step %s: %s%n",
                        SafeText.escape(bundle.toString()), check.step(), SafeText.escape(check.reason()));
                return null;
            }
            return new Side("bundle " + check.manifest().version(), check.rules(), check.exceptions());
        }
        try {
            RuleBundle b = RuleBundle.read(archive);
            err.println("vigil rules backtest: no --public-key or rules.public-key: the bundle's signature is not checked");
            RuleSet set = RuleSet.verified(b.ruleSources());
            if (!set.problems().isEmpty()) {
                for (RuleProblem p : set.problems()) {
                    err.println("vigil rules backtest: rule problem in the bundle: " + SafeText.escape(p.toString()));
                }
                return null;
            }
            RuleExceptions ex = b.exceptionsText() == null ? RuleExceptions.NONE
                    : RuleExceptions.parse(b.sourceName(RuleBundle.EXCEPTIONS), b.exceptionsText());
            return new Side("bundle " + b.manifest().version(), set, ex);
        } catch (BundleException e) {
            err.printf("vigil rules backtest: %s is not a readable bundle (%s: %s)%n", SafeText.escape(bundle.toString()),
                    e.step(), SafeText.escape(e.getMessage()));
            return null;
        }
    }

    /** The rules the job runs now, as far as this command can know it. */
    private Side active(VigilConfig vigil, PublicKey key) throws IOException {
        if (vigil != null) {
            if (key != null) {
                ControlTopic topic = new ControlTopic(Connections.kafka(vigil),
                        vigil.get(VigilOptions.RULES_CONTROL_TOPIC), System::getenv);
                for (ControlRecord r : new ControlHistory(topic.readAll()).liveNewestFirst()) {
                    BundleCheck.Outcome check = BundleCheck.check(r.bundle(), key);
                    if (check.accepted()) {
                        return new Side("live bundle " + r.version() + " (" + r.kind() + " at " + r.at() + ")",
                                check.rules(), check.exceptions());
                    }
                }
            }
            return new Side("the local rules of " + config, RuleSet.verified(vigil.ruleSources()), localExceptions());
        }
        RuleSet set = RuleSet.verified(rules.sources());
        return new Side(rules.dir == null ? "the packaged rules" : "the rules of " + rules.dir, set, localExceptions());
    }

    private RuleExceptions localExceptions() throws IOException {
        return exceptions == null ? RuleExceptions.NONE : RuleExceptions.load(exceptions);
    }

    private ReplaySummary replay(Side side, Path dir, DecoderOptions decoder) throws Exception {
        ReplayOptions options = new ReplayOptions(files, format, dir, decoder, 0, 0, side.rules(),
                IncidentAssembler.DEFAULT_WINDOW, null, null, false, side.exceptions());
        return new ReplayRunner(System.err).run(options);
    }

    private static void print(PrintWriter w, Side active, Side candidate, ReplaySummary run,
                              List<BacktestDiff.Row> rows) {
        w.printf("Backtest of %s against %s%n", SafeText.escape(candidate.label()), SafeText.escape(active.label()));
        w.printf("over %d file(s): %,d records, %,d events, %,d dead letters%n%n", run.files().size(), run.records(),
                run.events(), run.deadLetters());
        w.printf("  %-40s %10s %10s %10s %10s%n", "RULE", "ACTIVE", "BUNDLE", "NEW", "GONE");
        long a = 0;
        long b = 0;
        long added = 0;
        long gone = 0;
        for (BacktestDiff.Row r : rows) {
            String mark = r.inActive() && !r.inBundle() ? "  (not in the bundle)"
                    : !r.inActive() ? "  (only in the bundle)" : "";
            w.printf("  %-40s %,10d %,10d %,10d %,10d%s%n", SafeText.escape(r.rule()), r.active(), r.bundle(), r.added(),
                    r.gone(), mark);
            a += r.active();
            b += r.bundle();
            added += r.added();
            gone += r.gone();
        }
        w.printf("  %-40s %,10d %,10d %,10d %,10d%n", "total", a, b, added, gone);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
