package io.vigil.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.formats.DecoderOptions;
import io.vigil.jobs.incident.IncidentAssembler;
import io.vigil.jobs.replay.ReplayOptions;
import io.vigil.jobs.replay.ReplayRunner;
import io.vigil.jobs.replay.ReplaySummary;
import io.vigil.simulate.FileSink;
import io.vigil.simulate.GeneratedRecord;
import io.vigil.simulate.Simulation;
import io.vigil.rules.verify.RuleSet;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;

/**
 * {@code vigil replay} over an auth log the scenario generator writes (benign sshd, PAM, sudo and
 * cron traffic with attacks embedded, a fixed seed), cut to exactly {@code lines} lines: lines/s
 * as a user sees them (wall clock of the whole replay, Flink start-up included), with the whole
 * rule pack at parallelism 1 and 2, and decoding only at parallelism 1. Median, min and max of
 * the runs. The parallelism-1 run with rules is the "full pipeline" of the benchmarks.
 *
 * <pre>java --add-opens java.base/java.util=ALL-UNNAMED -cp bench/target/vigil-bench.jar io.vigil.bench.ReplayThroughput 1000000 3 [--json FILE]</pre>
 */
public final class ReplayThroughput {

    private ReplayThroughput() {}

    public static void main(String[] argv) throws Exception {
        List<String> args = BenchJson.mutable(argv);
        Path json = BenchJson.jsonPath(args);
        long lines = args.size() > 0 ? Long.parseLong(args.get(0)) : 1_000_000;
        int runs = args.size() > 1 ? Integer.parseInt(args.get(1)) : 3;
        PrintWriter out = new PrintWriter(System.out, true);
        Path work = Files.createTempDirectory("vigil-replay-bench");
        Path log = authLog(work, lines);
        long bytes = Files.size(log);
        out.printf("auth log: %,d lines, %,d bytes%n", lines, bytes);
        RuleSet rules = RuleSet.packaged();
        ObjectNode result = BenchJson.object();
        result.put("lines", lines);
        result.put("bytes", bytes);
        // name, parallelism, rules, events.ndjson written (the default; --no-events turns it off)
        String[][] variants = {{"rules_p1", "1", "rules", "events"}, {"rules_p2", "2", "rules", "events"},
            {"rules_p1_no_events", "1", "rules", ""}, {"decode_p1", "1", "", "events"}};
        for (String[] v : variants) {
            double[] rates = new double[runs];
            long alerts = 0;
            for (int run = 0; run < runs; run++) {
                Path outDir = work.resolve(v[0] + "-" + run);
                ReplayOptions options = new ReplayOptions(List.of(log), "syslog", outDir,
                        new DecoderOptions(2024, ZoneOffset.UTC, DecoderOptions.DEFAULT_MAX_RECORD_BYTES),
                        Integer.parseInt(v[1]), 0, v[2].isEmpty() ? null : rules, IncidentAssembler.DEFAULT_WINDOW, null, null,
                        !v[3].isEmpty());
                ReplaySummary s = new ReplayRunner(new PrintStream(OutputStream.nullOutputStream())).run(options);
                if (s.records() != lines) {
                    throw new IllegalStateException("replayed " + s.records() + " of " + lines + " lines");
                }
                rates[run] = s.records() * 1000.0 / Math.max(1, s.elapsedMs());
                alerts = s.alerts();
                out.printf("%s run %d: %,d lines in %.1f s: %,.0f lines/s, %,d events, %,d dead letters, %,d alerts%n",
                        v[0], run + 1, s.records(), s.elapsedMs() / 1000.0, rates[run], s.events(), s.deadLetters(),
                        s.alerts());
            }
            ObjectNode stats = BenchJson.stats(rates);
            stats.put("alerts", alerts);
            result.set(v[0], stats);
        }
        // the pipeline as the streaming job runs it by default: rules and alerts, no event per record
        // written (the events index is off by default); replay's forensic events.ndjson is its own row
        result.put("pipeline_eps", result.get("rules_p1_no_events").get("median").asLong());
        result.set("machine", BenchJson.machine());
        out.printf("replay lines/s (median of %d): rules p1 %,d, rules p2 %,d, rules p1 --no-events %,d, "
                + "decode only p1 %,d%n", runs, result.at("/rules_p1/median").asLong(),
                result.at("/rules_p2/median").asLong(), result.at("/rules_p1_no_events/median").asLong(),
                result.at("/decode_p1/median").asLong());
        BenchJson.write(json, result);
        System.exit(0);
    }

    /** The generator's auth log, cut to its first {@code lines} lines. */
    static Path authLog(Path dir, long lines) throws Exception {
        Path gen = dir.resolve("generated");
        Files.createDirectories(gen);
        // the mix is roughly half syslog: generate until the auth log has enough lines
        long records = lines * 3;
        try (FileSink sink = new FileSink(gen)) {
            Simulation.run(Datasets.simulated(42), sink,
                    records, false, 0, new PrintWriter(OutputStream.nullOutputStream()));
        }
        Path full = gen.resolve(FileSink.FILES.get(GeneratedRecord.SYSLOG));
        Path cut = dir.resolve("auth.log");
        long n = 0;
        try (BufferedReader in = Files.newBufferedReader(full, StandardCharsets.UTF_8);
             BufferedWriter w = Files.newBufferedWriter(cut, StandardCharsets.UTF_8)) {
            String line;
            while (n < lines && (line = in.readLine()) != null) {
                w.write(line);
                w.write('\n');
                n++;
            }
        }
        if (n < lines) {
            throw new IllegalStateException("the generator wrote only " + n + " auth log lines");
        }
        Files.setLastModifiedTime(cut, Files.getLastModifiedTime(full));
        return cut;
    }
}
