package io.vigil.cli;

import io.vigil.connectors.elasticsearch.ElasticsearchConnection;
import io.vigil.connectors.webhook.WebhookTarget;
import io.vigil.formats.DecoderOptions;
import io.vigil.jobs.incident.IncidentAssembler;
import io.vigil.jobs.context.ContextConfig;
import io.vigil.jobs.replay.ReplayOptions;
import io.vigil.jobs.replay.ReplayRunner;
import io.vigil.jobs.replay.ReplaySummary;
import io.vigil.jobs.replay.ReplayWebhook;
import io.vigil.jobs.wiring.ElasticsearchAccess;
import io.vigil.model.text.SafeText;
import java.io.IOException;
import java.io.PrintWriter;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.RuleSource;
import io.vigil.rules.exceptions.RuleExceptions;
import io.vigil.rules.verify.RuleSet;
import java.nio.file.Path;
import java.time.Duration;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil replay}: forensic replay of log files through the detection pipeline. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Replay log files through Vigil's decoders (a bounded Flink job on this machine) and write "
                + "DIR/events.ndjson (ECS events, unless --no-events), DIR/dead-letters.ndjson (records that could not be decoded, "
                + "with the reason), DIR/alerts.ndjson (what the rules detected, one document per alert) and "
                + "DIR/summary.json (counts by format, action and rule).",
            "Every input record ends as one or more events or exactly one dead letter.",
            "With --es URL (or --config FILE), alerts, incidents and timelines are also written to that Elasticsearch "
                + "(index templates are installed first; analysts' status, assignee and close reason are kept)."
        },
        footer = {"", "Examples:",
            "  vigil replay --out out/ssh ../shared/datasets/loghub/OpenSSH_2k.log",
            "  vigil replay --format windows --out out/win security-*.json",
            "  vigil replay --out out/triage collection/C/Windows/System32/winevt/Logs",
            "  vigil replay --year 2024 --timezone Europe/Paris --out out/auth /var/log/auth.log*",
            "  VIGIL_WEBHOOK_SECRET=... vigil replay --webhook https://soar.example/hooks/vigil --out out/ssh auth.log"})
public final class ReplayCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Log files, .evtx files or directories (read "
            + "recursively; .gz is decompressed). In a directory, files of no detectable format, empty, hidden or "
            + "unreadable files and symbolic links are skipped and listed in the summary; a file named here must be "
            + "readable, in a detectable format or --format.")
    List<Path> files;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created if missing).")
    Path out;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
            description = "Format of every input: syslog, access, windows, cloudtrail, zeek, ecs, evtx. Default: detected "
                    + "per file (.evtx files by their signature, whatever their name).")
    String format;

    @Option(names = "--year", paramLabel = "YEAR",
            description = "Year of the first line of syslog files, whose timestamps carry none (a Dec→Jan rollover "
                    + "advances it). Default: the year that puts each line before the file's modification time.")
    Integer year;

    // the defaults below are the constants the streaming job's configuration keys default to
    @Option(names = "--timezone", paramLabel = "ZONE", defaultValue = DecoderOptions.DEFAULT_ZONE,
            description = "Time zone of timestamps that carry none (syslog, NXLog EventTime). Default: ${DEFAULT-VALUE}.")
    String timezone;

    @Option(names = "--max-record-bytes", paramLabel = "N", defaultValue = "" + DecoderOptions.DEFAULT_MAX_RECORD_BYTES,
            description = "Records longer than this are dead-lettered without being held whole. Default: ${DEFAULT-VALUE}.")
    int maxRecordBytes;

    @Option(names = {"-p", "--parallelism"}, paramLabel = "N", defaultValue = "0",
            description = "Flink parallelism; 0 = one per file up to the number of cores. Default: ${DEFAULT-VALUE}.")
    int parallelism;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines, only the summary.")
    boolean quiet;

    @CommandLine.Mixin
    RulesOption rules;

    @CommandLine.Mixin
    SigmaOption sigma;

    @CommandLine.Mixin
    ContextOptions context = new ContextOptions();

    @Option(names = "--exceptions", paramLabel = "FILE",
            description = "Exceptions file (docs/rule-lifecycle.md#exceptions): hits it covers are counted per entry "
                    + "(summary: excepted by exception), never alerted. Expiry is compared with each event's own time.")
    Path exceptions;

    @Option(names = "--no-detect", description = "Only decode: run no rules and write no alerts.")
    boolean noDetect;

    @Option(names = "--no-events", description = "Write no events.ndjson: only alerts, incidents, the timeline, "
            + "dead letters and the summary (a faster replay, and less disk, when the events themselves are not needed).")
    boolean noEvents;

    // No out-of-orderness option: replay runs in batch mode, where every rule and key sees its events in
    // time order whatever their order in the files, so there is nothing to wait for.
    @Option(names = "--incident-window", paramLabel = "DURATION",
            defaultValue = IncidentAssembler.DEFAULT_WINDOW_HOURS + "h",
            description = "Alerts sharing an entity join one incident until this long after its last alert. "
                    + "Default: ${DEFAULT-VALUE}.")
    String incidentWindow;

    /**
     * With {@code --es} or {@code --config}: also write alerts, incidents and timelines there;
     * index templates are installed first, analysts' status and assignee are kept.
     */
    @CommandLine.Mixin
    ElasticsearchOptions es = new ElasticsearchOptions();

    @Option(names = "--webhook", paramLabel = "URL",
            description = "After the replay, deliver its new alerts to this URL: generic JSON, one request per alert "
                    + "(Idempotency-Key: the alert id) in time order, signed with the secret in $"
                    + ReplayWebhook.SECRET_ENV + " (key id '" + ReplayWebhook.ENDPOINT + "'), up to "
                    + ReplayWebhook.MAX_ATTEMPTS + " attempts each. Attempts go to DIR/" + ReplayWebhook.DELIVERIES_FILE
                    + ", deliveries given up to DIR/" + ReplayWebhook.DEAD_LETTERS_FILE + ".")
    String webhook;

    /** Skipped files printed by name; the summary file lists them all. */
    static final int SKIPPED_SHOWN = 10;

    /** Where the webhook secret and the Elasticsearch variables are read (tests give their own). */
    Function<String, String> getenv = System::getenv;

    @Override
    public Integer call() throws Exception {
        ZoneId zone;
        try {
            zone = ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timezone: unknown time zone '" + timezone + "'");
        }
        DecoderOptions decoder;
        try {
            decoder = new DecoderOptions(year, zone, maxRecordBytes);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (format != null && !io.vigil.formats.Formats.isKnown(format)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--format: unknown format '" + format + "'; formats: " + io.vigil.formats.Formats.ALL);
        }
        Duration window;
        try {
            window = Duration.ofMillis(RuleMeta.parseDuration(incidentWindow));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--incident-window: " + e.getMessage());
        }
        if (noEvents && noDetect) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--no-events with --no-detect would write nothing but dead letters: drop one of them");
        }
        if (es.given() && noDetect) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--es (or --config) writes alerts and incidents: it cannot go with --no-detect");
        }
        WebhookTarget hook = null;
        if (webhook != null) {
            if (noDetect) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--webhook sends alerts: it cannot go with --no-detect");
            }
            try {
                hook = ReplayWebhook.target(webhook);
                hook.resolve(getenv);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--webhook: " + e.getMessage());
            }
        }
        if (noDetect && !sigma.dirs().isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--sigma names rules to run: it cannot go with --no-detect");
        }
        RuleExceptions excepted = RuleExceptions.NONE;
        if (exceptions != null) {
            if (noDetect) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--exceptions apply to the rules' hits: it cannot go with --no-detect");
            }
            try {
                excepted = RuleExceptions.load(exceptions);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--exceptions: " + e.getMessage());
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--exceptions: cannot read "
                        + exceptions + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        RuleSet ruleSet = noDetect ? null : RuleSet.verified(ruleSources());
        if (ruleSet != null) {
            ruleSet.problems().forEach(p -> spec.commandLine().getErr().println("vigil replay: rule problem: "
                    + SafeText.escape(p.toString())));
        }
        ElasticsearchConnection elasticsearch = null;
        if (es.given()) {
            ElasticsearchAccess access = es.access(getenv);
            // an untrusted certificate or refused credentials fail here, before the job starts
            access.check();
            elasticsearch = access.connection();
        }
        ReplayOptions options = new ReplayOptions(files, format, out, decoder, parallelism, quiet ? 0 : 2000,
                ruleSet, window, elasticsearch, hook, !noEvents, excepted,
                ContextConfig.DEFAULTS.withFiles(context.intel, context.geoip, context.assets, context.identities));
        ReplaySummary s = new ReplayRunner(System.err, getenv).run(options);
        print(spec.commandLine().getOut(), s);
        return VigilCli.OK;
    }

    /** The DRL rules (--rules, or the pack shipped with Vigil), then the Sigma rules of each --sigma. */
    List<RuleSource> ruleSources() throws IOException {
        List<RuleSource> sources = new ArrayList<>(rules.sources());
        sources.addAll(sigma.sources());
        return sources;
    }

    /** The summary; file names and counted values (actions of ECS input, rule ids) are data: escaped. */
    static void print(PrintWriter w, ReplaySummary s) {
        w.printf("Replayed %d file(s): %,d records (%,d bytes) in %.1f s, %,d records/s%n",
                s.files().size(), s.records(), s.bytes(), s.elapsedMs() / 1000.0, s.recordsPerSecond());
        for (ReplaySummary.InputFile f : s.files()) {
            w.printf("  %-10s %s%s%n", f.format(), SafeText.escape(f.path()), f.detected() ? "" : " (--format)");
        }
        printSkipped(w, s);
        w.printf("%n  records        %,12d%n", s.records());
        w.printf("  decoded        %,12d%n", s.recordsDecoded());
        w.printf("  events         %,12d%n", s.events());
        w.printf("  dead letters   %,12d%n", s.deadLetters());
        table(w, "events by action", s.byAction());
        if (!s.byActionOutcome().isEmpty()) {
            table(w, "events by action and outcome", s.byActionOutcome());
        }
        if (!s.deadLettersByFormat().isEmpty()) {
            table(w, "dead letters by format", s.deadLettersByFormat());
        }
        if (s.deadLettersByKind().size() > 1 || s.deadLettersByKind().containsKey(io.vigil.model.DeadLetter.EVENT_TIME)) {
            table(w, "dead letters by kind", s.deadLettersByKind());
        }
        if (s.outputs().containsKey("alerts")) {
            w.printf("%n  alerts         %,12d%n", s.alerts());
            if (!s.byRule().isEmpty()) {
                table(w, "alerts by rule", s.byRule());
            }
            w.printf("%n  incidents      %,12d%n", s.incidents());
            if (s.ruleErrors() > 0) {
                // events a rule failed on: in the dead letters (kind rule-error), not lost
                w.printf("%n  rule errors    %,12d%n", s.ruleErrors());
                table(w, "rule errors by rule", s.ruleErrorsByRule());
            }
            if (s.excepted() > 0 || !s.exceptedByException().isEmpty()) {
                // hits an exception covered: counted, never alerted
                w.printf("%n  excepted hits  %,12d%n", s.excepted());
                table(w, "excepted hits by exception", s.exceptedByException());
            }
            if (!s.ruleProblems().isEmpty()) {
                w.printf("%n  rule problems:%n");
                s.ruleProblems().forEach(p -> w.printf("    %s%n", p));
            }
        }
        if (s.webhook() != null) {
            w.printf("%n  webhook deliveries (%,d alerts):%n", s.webhook().requests());
            w.printf("    %-40s %,10d%n", "delivered", s.webhook().delivered());
            w.printf("    %-40s %,10d%n", "dead-lettered", s.webhook().deadLettered());
            w.printf("    %-40s %,10d%n", "attempts", s.webhook().attempts());
        }
        w.printf("%nWrote %s%n", SafeText.escape(String.join(", ", s.outputs().values())));
        w.flush();
    }

    /** How many files of the directories given were not read, the first few, and where the rest are listed. */
    private static void printSkipped(PrintWriter w, ReplaySummary s) {
        if (s.skipped().isEmpty()) {
            return;
        }
        w.printf("Skipped %d file(s) not read (format not detected, empty, hidden, unreadable, links):%n", s.skipped().size());
        s.skipped().stream().limit(SKIPPED_SHOWN).forEach(f -> w.printf("  %-10s %s (%s)%n", "skipped",
                SafeText.escape(f.path()), SafeText.escape(f.reason())));
        if (s.skipped().size() > SKIPPED_SHOWN) {
            w.printf("  ... and %d more: every one with its reason in %s (\"skipped\")%n", s.skipped().size() - SKIPPED_SHOWN,
                    SafeText.escape(s.outputs().getOrDefault("summary", ReplayRunner.SUMMARY_FILE)));
        }
    }

    private static void table(PrintWriter w, String title, Map<String, Long> counts) {
        w.printf("%n  %s:%n", title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> w.printf("    %-40s %,10d%n", SafeText.escape(e.getKey()), e.getValue()));
    }
}
