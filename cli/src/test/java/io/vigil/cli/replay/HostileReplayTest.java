package io.vigil.cli.replay;

import io.vigil.jobs.replay.ReplayRunner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.cli.VigilCli;
import io.vigil.simulate.HostileCorpus;
import io.vigil.model.DeadLetter;
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
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The hostile-input suite through {@code vigil replay} (issue 13): over a hundred thousand records,
 * valid logs of every format with every {@link HostileCorpus.Kind} mixed in, plus a 100 MB line.
 * The replay exits 0, every record ends as events or one dead letter with a reason, no rule fails,
 * and the alerts of the valid records are exactly those of a replay without the hostile ones.
 */
class HostileReplayTest {

    /** The suite's corpus: its seed, start and sizes are those of {@code ./vigil bench --only hostile}. */
    static final long SEED = 13;
    static final Instant START = Instant.parse("2026-03-02T08:00:00Z");
    static final int VALID = 90_000;
    static final int HOSTILE_PER_KIND = 1_200;

    @TempDir
    static Path dir;

    static HostileCorpus corpus;
    static JsonNode mixed;
    static JsonNode valid;
    static Path mixedOut;
    static Path validOut;
    static long hundredMegabyteLine;
    static String printed;

    @BeforeAll
    static void replayBoth() throws Exception {
        corpus = new HostileCorpus(SEED, START, VALID, HOSTILE_PER_KIND);
        Path mixedIn = dir.resolve("mixed");
        HostileCorpus.writeFiles(mixedIn, corpus.mixed());
        hundredMegabyteLine = appendHundredMegabyteLine(mixedIn.resolve(HostileCorpus.FILES.get(HostileCorpus.ACCESS)));
        Path validIn = dir.resolve("valid");
        HostileCorpus.writeFiles(validIn, corpus.validOnly());
        mixedOut = dir.resolve("out-mixed");
        validOut = dir.resolve("out-valid");
        StringWriter out = new StringWriter();
        assertThat(replay(out, mixedIn, mixedOut)).as("exit code of the replay over the hostile corpus: %s", out)
                .isZero();
        printed = out.toString();
        assertThat(replay(new StringWriter(), validIn, validOut)).isZero();
        mixed = EcsJson.MAPPER.readTree(mixedOut.resolve(ReplayRunner.SUMMARY_FILE).toFile());
        valid = EcsJson.MAPPER.readTree(validOut.resolve(ReplayRunner.SUMMARY_FILE).toFile());
    }

    private static int replay(StringWriter out, Path in, Path outDir) {
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        return cl.execute("replay", "--quiet", "--no-events", "--out", outDir.toString(), in.toString());
    }

    /** Appends one line of 100 MB to {@code file} (written in pieces, never held whole); returns its length. */
    private static long appendHundredMegabyteLine(Path file) throws IOException {
        byte[] chunk = new byte[1 << 20];
        Arrays.fill(chunk, (byte) 'A');
        try (OutputStream s = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
            s.write("198.18.255.1 - - [02/Mar/2026:08:00:01 +0000] \"GET /".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 100; i++) {
                s.write(chunk);
            }
            s.write('\n');
        }
        return 100L * chunk.length;
    }

    @Test
    void everyRecordIsAnEventOrOneDeadLetterWithAReason() throws Exception {
        long records = corpus.mixed().size() + 1; // the 100 MB line
        assertThat(mixed.get("records").asLong()).isEqualTo(records);
        assertThat(mixed.get("recordsDecoded").asLong() + mixed.get("deadLetters").asLong()).isEqualTo(records);
        assertThat(records).isGreaterThanOrEqualTo(100_000);
        // every hostile kind is in the corpus
        assertThat(corpus.counts().keySet()).containsExactlyInAnyOrder(HostileCorpus.Kind.values());

        long letters = 0;
        Map<String, Long> byKind = new TreeMap<>();
        try (BufferedReader r = Files.newBufferedReader(mixedOut.resolve(ReplayRunner.DEAD_LETTERS_FILE))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode d = EcsJson.MAPPER.readTree(line);
                assertThat(d.path("reason").asText()).as("dead letter %s", d.at("/vigil/origin")).isNotBlank();
                assertThat(d.at("/vigil/origin/source").asText()).isNotBlank();
                byKind.merge(d.at("/vigil/dead_letter/kind").asText(), 1L, Long::sum);
                letters++;
            }
        }
        // decode and event-time letters stand for their records; no rule failed on anything
        assertThat(letters).isEqualTo(mixed.get("deadLetters").asLong());
        assertThat(byKind.keySet()).isSubsetOf(Set.of(DeadLetter.DECODE, DeadLetter.EVENT_TIME));
        assertThat(mixed.get("ruleErrors").asLong()).isZero();
        assertThat(mixed.get("ruleProblems")).isEmpty();
        // the valid corpus alone decodes whole
        assertThat(valid.get("deadLetters").asLong()).isZero();
        assertThat(valid.get("records").asLong()).isEqualTo(corpus.validOnly().size());
    }

    @Test
    void theHundredMegabyteLineIsOneDeadLetterThatKeepsItsLength() throws Exception {
        try (BufferedReader r = Files.newBufferedReader(mixedOut.resolve(ReplayRunner.DEAD_LETTERS_FILE))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode d = EcsJson.MAPPER.readTree(line);
                if (d.at("/raw/bytes").asLong() > hundredMegabyteLine) {
                    assertThat(d.path("reason").asText()).contains("exceeds the limit");
                    assertThat(d.at("/raw/value").asText().length()).isLessThanOrEqualTo(64 * 1024);
                    return;
                }
            }
        }
        throw new AssertionError("no dead letter for the 100 MB line");
    }

    @Test
    void theValidRecordsRaiseTheAlertsTheyRaiseAlone() throws Exception {
        Set<String> withHostile = validRecordAlerts(mixedOut.resolve(ReplayRunner.ALERTS_FILE));
        Set<String> alone = validRecordAlerts(validOut.resolve(ReplayRunner.ALERTS_FILE));
        assertThat(alone).as("the valid corpus raises alerts of its own").hasSizeGreaterThan(20);
        assertThat(withHostile).containsExactlyInAnyOrderElementsOf(alone);
        // the flood became mass activity, not thousands of alerts
        assertThat(Files.readAllLines(mixedOut.resolve(ReplayRunner.ALERTS_FILE)))
                .anySatisfy(line -> assertThat(line).contains("\"mass_activity\""));
        assertThat(mixed.get("alerts").asLong()).isLessThan(valid.get("alerts").asLong() + 1_000);
    }

    /** The signatures of the alerts of valid records in an alerts file ({@link HostileCorpus#validAlertSignature}). */
    static Set<String> validRecordAlerts(Path alerts) throws IOException {
        Set<String> out = new java.util.TreeSet<>();
        for (String line : Files.readAllLines(alerts, StandardCharsets.UTF_8)) {
            String signature = HostileCorpus.validAlertSignature(EcsJson.MAPPER.readTree(line));
            if (signature != null) {
                out.add(signature);
            }
        }
        return out;
    }

    @Test
    void theCommandLineSaysWhatHappened() {
        assertThat(printed).contains("dead letters").doesNotContain("\u001b").doesNotContain("\r");
    }
}
