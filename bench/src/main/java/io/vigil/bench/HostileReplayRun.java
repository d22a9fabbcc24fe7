package io.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.cli.VigilCli;
import io.vigil.jobs.replay.ReplayRunner;
import io.vigil.simulate.HostileCorpus;
import io.vigil.model.EcsJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;

/**
 * The hostile corpus through {@code vigil replay}, the command line in this JVM, as
 * {@code HostileReplayTest} drives it ({@code replay --quiet --no-events --out DIR DIR}): once with the
 * hostile records (and, at the end of the access log, one line of the given size) and once the
 * valid records alone. The figures come from each run's {@code summary.json}, the alert signatures
 * from its {@code alerts.ndjson} ({@link HostileCorpus#validAlertSignature}), the heap from
 * {@link HeapPeak} around the run with the hostile records.
 */
final class HostileReplayRun {

    /** The figures of the run, and the signatures of the valid records' alerts when replayed alone. */
    record Result(ObjectNode json, Set<String> validOnlySignatures) {}

    private HostileReplayRun() {}

    /**
     * @param mixedIn the corpus's files ({@link HostileCorpus#writeFiles}) with the hostile records
     * @param validIn the valid records' files alone
     * @param hugeLineBytes the size of the line appended to the access log (0: none); written in
     *     pieces, never held whole
     */
    static Result run(Path mixedIn, Path validIn, long hugeLineBytes, Path work, PrintWriter out) throws IOException {
        if (hugeLineBytes > 0) {
            appendLine(mixedIn.resolve(HostileCorpus.FILES.get(HostileCorpus.ACCESS)), hugeLineBytes);
        }
        Path mixedOut = work.resolve("replay-mixed");
        Path validOut = work.resolve("replay-valid");
        HeapPeak.reset();
        Run run = replay(mixedIn, mixedOut);
        int exit = run.exit();
        ObjectNode heap = HeapPeak.json();
        int validExit = replay(validIn, validOut).exit();
        JsonNode mixed = EcsJson.MAPPER.readTree(mixedOut.resolve(ReplayRunner.SUMMARY_FILE).toFile());
        JsonNode valid = EcsJson.MAPPER.readTree(validOut.resolve(ReplayRunner.SUMMARY_FILE).toFile());
        Set<String> withHostile = validAlertSignatures(mixedOut.resolve(ReplayRunner.ALERTS_FILE));
        Set<String> alone = validAlertSignatures(validOut.resolve(ReplayRunner.ALERTS_FILE));

        ObjectNode r = BenchJson.object();
        r.put("exit_code", exit);
        r.put("exit_code_valid_only", validExit);
        long records = mixed.path("records").asLong();
        long decoded = mixed.path("recordsDecoded").asLong();
        long dead = mixed.path("deadLetters").asLong();
        r.put("records", records);
        r.put("huge_line_bytes", hugeLineBytes);
        r.put("records_decoded", decoded);
        r.put("events", mixed.path("events").asLong());
        r.put("dead_letters", dead);
        r.set("dead_letters_by_kind", mixed.path("deadLettersByKind"));
        r.put("records_accounted_for", records == decoded + dead);
        r.put("dead_letters_with_reason", deadLettersWithReason(mixedOut.resolve(ReplayRunner.DEAD_LETTERS_FILE)));
        r.put("rule_errors", mixed.path("ruleErrors").asLong());
        r.set("rule_problems", mixed.path("ruleProblems"));
        r.put("alerts", mixed.path("alerts").asLong());
        r.put("alerts_valid_only", valid.path("alerts").asLong());
        r.put("valid_alerts", withHostile.size());
        r.put("valid_alerts_valid_only", alone.size());
        r.put("valid_alerts_identical", withHostile.equals(alone));
        r.put("mass_activity_alerts", massActivityAlerts(mixedOut.resolve(ReplayRunner.ALERTS_FILE)));
        r.put("elapsed_ms", mixed.path("elapsedMs").asLong());
        r.put("records_per_s", mixed.path("recordsPerSecond").asLong());
        r.put("elapsed_ms_valid_only", valid.path("elapsedMs").asLong());
        r.put("records_per_s_valid_only", valid.path("recordsPerSecond").asLong());
        r.setAll(heap);
        out.printf("replay with hostile records: exit %d, %,d records = %,d decoded + %,d dead letters %s (%s), %,d events, "
                        + "%,d rule errors, %,d alerts (%,d alone), valid records' alerts %s, %.1f s, %,d records/s, "
                        + "peak heap %,d MB of %,d MB%n", exit, records, decoded, dead,
                records == decoded + dead ? "(all accounted for)" : "(NOT ACCOUNTED FOR)", mixed.path("deadLettersByKind"),
                mixed.path("events").asLong(), mixed.path("ruleErrors").asLong(), mixed.path("alerts").asLong(),
                valid.path("alerts").asLong(), withHostile.equals(alone) ? "identical" : "DIFFERENT",
                mixed.path("elapsedMs").asLong() / 1000.0, mixed.path("recordsPerSecond").asLong(),
                heap.get("peak_heap_used_bytes").asLong() >> 20, heap.get("max_heap_bytes").asLong() >> 20);
        if (exit != 0) {
            out.println("the replay printed: " + run.printed());
        }
        return new Result(r, alone);
    }

    private record Run(int exit, String printed) {}

    private static Run replay(Path in, Path outDir) {
        StringWriter printed = new StringWriter();
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(printed, true));
        cl.setErr(new PrintWriter(printed, true));
        int exit = cl.execute("replay", "--quiet", "--no-events", "--out", outDir.toString(), in.toString());
        return new Run(exit, printed.toString());
    }

    /** Appends one line of {@code bytes} bytes (an access-log request line cut short) to {@code file}. */
    private static void appendLine(Path file, long bytes) throws IOException {
        byte[] chunk = new byte[1 << 20];
        Arrays.fill(chunk, (byte) 'A');
        try (OutputStream s = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
            s.write("198.18.255.1 - - [02/Mar/2026:08:00:01 +0000] \"GET /".getBytes(StandardCharsets.US_ASCII));
            for (long left = bytes; left > 0; left -= chunk.length) {
                s.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
            s.write('\n');
        }
    }

    /** The signatures of the valid records' alerts in an alerts file. */
    static Set<String> validAlertSignatures(Path alerts) throws IOException {
        Set<String> out = new TreeSet<>();
        try (BufferedReader r = Files.newBufferedReader(alerts, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                String signature = HostileCorpus.validAlertSignature(EcsJson.MAPPER.readTree(line));
                if (signature != null) {
                    out.add(signature);
                }
            }
        }
        return out;
    }

    private static long massActivityAlerts(Path alerts) throws IOException {
        long n = 0;
        try (BufferedReader r = Files.newBufferedReader(alerts, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (EcsJson.MAPPER.readTree(line).at("/vigil/alert/mass_activity").isObject()) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Whether every dead letter of the file names its reason and origin. */
    private static boolean deadLettersWithReason(Path deadLetters) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(deadLetters, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode d = EcsJson.MAPPER.readTree(line);
                if (d.path("reason").asText().isBlank() || d.at("/vigil/origin/source").asText().isBlank()) {
                    return false;
                }
            }
        }
        return true;
    }
}
