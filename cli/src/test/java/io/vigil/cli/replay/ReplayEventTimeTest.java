package io.vigil.cli.replay;

import io.vigil.jobs.replay.ReplayJobTest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.cli.VigilCli;
import io.vigil.model.EcsJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil replay} keeps the odd times a forensic input holds (year 1, 2099), and a time that
 * is no Flink timestamp at all becomes an event-time dead letter instead of failing the job; and
 * it correlates in event time whatever the order of the lines, so it needs no out-of-orderness.
 */
class ReplayEventTimeTest {

    @TempDir
    Path dir;

    @Test
    void oddTimesAreKeptAndImpossibleOnesDeadLettered() throws Exception {
        Path in = dir.resolve("forged.ndjson");
        Files.write(in, List.of(
                "{\"@timestamp\":\"0001-01-01T00:00:00Z\",\"event\":{\"action\":\"a\"}}",
                "{\"@timestamp\":\"2099-01-01T00:00:00Z\",\"event\":{\"action\":\"b\"}}",
                "{\"@timestamp\":\"+999999999-01-01T00:00:00Z\",\"event\":{\"action\":\"c\"}}",
                "{\"@timestamp\":\"-0005-06-01T00:00:00Z\",\"event\":{\"action\":\"d\"}}",
                "{\"@timestamp\":\"2024-06-01T10:00:00Z\",\"event\":{\"action\":\"e\"}}"));
        Path out = dir.resolve("out");
        StringWriter printed = new StringWriter();
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(printed, true));
        cl.setErr(new PrintWriter(printed, true));
        assertThat(cl.execute("replay", "--quiet", "--format", "ecs", "--out", out.toString(), in.toString()))
                .as(printed.toString()).isZero();

        JsonNode summary = EcsJson.MAPPER.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("records").asLong()).isEqualTo(5);
        assertThat(summary.get("recordsDecoded").asLong()).isEqualTo(3);
        assertThat(summary.get("deadLetters").asLong()).isEqualTo(2);
        assertThat(summary.at("/deadLettersByKind/event-time").asLong()).isEqualTo(2);
        List<JsonNode> letters = ReplayJobTest.read(out.resolve("dead-letters.ndjson"));
        assertThat(letters).allSatisfy(l -> {
            assertThat(l.at("/vigil/dead_letter/kind").asText()).isEqualTo("event-time");
            assertThat(l.at("/reason").asText()).contains("outside the years 1 to 9999");
        });
        assertThat(ReplayJobTest.read(out.resolve("events.ndjson"))).extracting(e -> e.get("@timestamp").asText())
                .containsExactlyInAnyOrder("0001-01-01T00:00:00Z", "2099-01-01T00:00:00Z", "2024-06-01T10:00:00Z");
        assertThat(printed.toString()).contains("dead letters by kind");
    }

    @Test
    void eventsCorrelateInTimeOrderHoweverLateTheirLinesAre() throws Exception {
        // the success is the first line, the five failures before it come minutes later in the file:
        // a stream that waited less than five minutes would see the success first and miss the sequence
        Path in = dir.resolve("auth.log");
        Files.write(in, List.of(
                "May  1 10:05:00 host sshd[100]: Accepted password for root from 203.0.113.20 port 4000 ssh2",
                "May  1 10:00:00 host sshd[101]: Failed password for root from 203.0.113.20 port 4001 ssh2",
                "May  1 10:00:10 host sshd[102]: Failed password for root from 203.0.113.20 port 4002 ssh2",
                "May  1 10:00:20 host sshd[103]: Failed password for root from 203.0.113.20 port 4003 ssh2",
                "May  1 10:00:30 host sshd[104]: Failed password for root from 203.0.113.20 port 4004 ssh2",
                "May  1 10:00:40 host sshd[105]: Failed password for root from 203.0.113.20 port 4005 ssh2"));
        Path out = dir.resolve("out");
        StringWriter printed = new StringWriter();
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(printed, true));
        cl.setErr(new PrintWriter(printed, true));
        assertThat(cl.execute("replay", "--quiet", "--year", "2024", "--parallelism", "1", "--out", out.toString(),
                in.toString())).as(printed.toString()).isZero();

        assertThat(ReplayJobTest.read(out.resolve("alerts.ndjson")))
                .filteredOn(a -> a.at("/rule/id").asText().equals("brute-force-then-success"))
                .singleElement().satisfies(a -> assertThat(a.at("/source/ip").asText()).isEqualTo("203.0.113.20"));
    }
}
