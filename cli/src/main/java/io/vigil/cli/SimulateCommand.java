package io.vigil.cli;

import io.vigil.simulate.FileSink;
import io.vigil.simulate.KafkaSink;
import io.vigil.simulate.RecordSink;
import io.vigil.simulate.ScenarioGenerator;
import io.vigil.simulate.Simulation;
import io.vigil.model.text.SafeText;
import io.vigil.rules.RuleMeta;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil simulate}: benign traffic with attacks mixed in, as raw logs, to files or Kafka. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = {
            "Generate realistic raw logs (sshd/auth syslog lines, Windows Security/System events as NXLog JSON, "
                + "Apache access-log lines): mostly benign traffic, with one attack scenario mixed in per "
                + "--attack-every benign records, the scenarios taken in turn.",
            "Scenarios: SSH brute force then success, SSH user enumeration, Windows password spray, backdoor "
                + "account on Windows (4720/4726) and Linux (useradd/userdel), Security log cleared (1102), "
                + "PsExec service installed (7045), web scanning, web attack (SQL injection, path traversal).",
            "Event time starts at --start and advances by --rate records per second. The same --seed, --start, "
                + "--rate, --attack-every and length give the same records, byte for byte.",
            "--to file writes DIR/auth.log, DIR/security.json and DIR/access.log as fast as it can; --to kafka "
                + "sends to <prefix>syslog, <prefix>windows and <prefix>access paced in real time at --rate."
        },
        footer = {"", "Examples:",
            "  vigil simulate --to file --out out/sim --duration 5m --start 2024-11-20T08:00:00Z",
            "  vigil replay --out out/sim-replay out/sim",
            "  vigil simulate --to kafka --bootstrap localhost:9092 --rate 5000 --duration 10m"})
public final class SimulateCommand implements Callable<Integer> {

    enum Target { file, kafka }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "1000",
            description = "Records per second of event time (and of real time with --to kafka). Default: ${DEFAULT-VALUE}.")
    long rate;

    @Option(names = "--duration", paramLabel = "DURATION",
            description = "How much event time to generate (30s, 5m, 1h): rate × duration records. "
                    + "Default: 30s unless --count is given.")
    String duration;

    @Option(names = "--count", paramLabel = "N", description = "How many records to generate (instead of --duration).")
    Long count;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of every random choice. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--start", paramLabel = "INSTANT",
            description = "Event time of the first record, ISO-8601 UTC (2024-11-20T08:00:00Z). "
                    + "Default: now, to the second (pass it for byte-identical runs).")
    String start;

    @Option(names = "--attack-every", paramLabel = "N", defaultValue = "" + ScenarioGenerator.DEFAULT_ATTACK_EVERY,
            description = "One attack scenario per N benign records; 0 for benign traffic only. Default: ${DEFAULT-VALUE}.")
    int attackEvery;

    @Option(names = "--to", paramLabel = "file|kafka", defaultValue = "file",
            description = "Where to write: file (--out) or kafka (--bootstrap). Default: ${DEFAULT-VALUE}.")
    Target to;

    @Option(names = "--out", paramLabel = "DIR",
            description = "With --to file: directory for auth.log, security.json and access.log (created if missing).")
    Path out;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "With --to kafka: the Kafka bootstrap servers.")
    String bootstrap;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = "vigil.raw.",
            description = "With --to kafka: topics are PREFIX + syslog, windows, access. Default: ${DEFAULT-VALUE}.")
    String topicPrefix;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines, only the final one.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (rate < 1) {
            throw new CommandLine.ParameterException(cl, "--rate must be at least 1, got " + rate);
        }
        if (attackEvery < 0) {
            throw new CommandLine.ParameterException(cl, "--attack-every must be 0 (no attacks) or more, got " + attackEvery);
        }
        if (duration != null && count != null) {
            throw new CommandLine.ParameterException(cl, "give --duration or --count, not both");
        }
        long records;
        if (count != null) {
            if (count < 0) {
                throw new CommandLine.ParameterException(cl, "--count must be 0 or more, got " + count);
            }
            records = count;
        } else {
            long millis;
            try {
                millis = RuleMeta.parseDuration(duration == null ? "30s" : duration);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, "--duration: " + e.getMessage());
            }
            records = Math.multiplyExact(rate, millis) / 1000;
        }
        Instant first;
        try {
            first = start == null ? Instant.now().truncatedTo(ChronoUnit.SECONDS) : Instant.parse(start);
        } catch (DateTimeParseException e) {
            throw new CommandLine.ParameterException(cl, "--start: not an ISO-8601 instant: '" + start
                    + "' (use 2024-11-20T08:00:00Z)");
        }
        if (to == Target.file && out == null) {
            throw new CommandLine.ParameterException(cl, "--to file needs --out DIR");
        }
        if (to == Target.kafka && (bootstrap == null || bootstrap.isBlank())) {
            throw new CommandLine.ParameterException(cl, "--to kafka needs --bootstrap HOST:PORT");
        }

        PrintWriter err = cl.getErr();
        ScenarioGenerator generator = new ScenarioGenerator(seed, first, rate, attackEvery);
        Simulation.Summary summary;
        String where;
        try (RecordSink sink = to == Target.file ? new FileSink(out) : new KafkaSink(bootstrap, topicPrefix)) {
            where = sink.describe();
            if (!quiet && to == Target.kafka) {
                err.printf("simulate: %,d records at %,d/s to %s%n", records, rate, SafeText.escape(where));
                err.flush();
            }
            summary = Simulation.run(generator, sink, records, to == Target.kafka, quiet ? 0 : 5000, err);
        }
        PrintWriter w = cl.getOut();
        w.println(summary.line());
        w.printf("Event time %s .. %s; to %s%n", summary.first(), summary.last(), SafeText.escape(where));
        w.flush();
        return VigilCli.OK;
    }
}
