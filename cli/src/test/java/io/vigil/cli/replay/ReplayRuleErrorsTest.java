package io.vigil.cli.replay;

import io.vigil.jobs.replay.ReplayJobTest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.jobs.config.RuleDirs;
import io.vigil.cli.VigilCli;
import io.vigil.model.DeadLetter;
import io.vigil.model.EcsJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil replay} over input that made rules fail: the job ends normally, every record is
 * accounted for, the alerts of the other records are those of a run without the hostile ones,
 * and what a rule failed on is a {@code rule-error} dead letter counted in the summary.
 */
class ReplayRuleErrorsTest {

    @TempDir
    Path dir;

    private final StringWriter printed = new StringWriter();

    private int vigil(String... args) {
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(printed, true));
        cl.setErr(new PrintWriter(printed, true));
        return cl.execute(args);
    }

    private static String request(int second, String ip, String target) {
        return ip + " - - [10/Oct/2023:13:55:" + String.format("%02d", second) + " +0000] \"GET " + target
                + " HTTP/1.1\" 200 2326 \"-\" \"curl/8.0\"";
    }

    /** Attacks and ordinary requests from several clients, in time order. */
    private static List<String> normalLines() {
        return List.of(
                request(1, "198.51.100.4", "/index.html"),
                request(2, "203.0.113.7", "/index.php?id=1%27%20or%201=1--"),
                request(3, "198.51.100.4", "/about.html"),
                request(4, "203.0.113.8", "/download?file=../../../../etc/passwd"),
                request(5, "203.0.113.9", "/search?q=%3Cscript%3Ealert(1)%3C/script%3E"),
                request(6, "198.51.100.4", "/contact.html"));
    }

    private Path write(String name, List<String> lines) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, lines, StandardCharsets.UTF_8);
        return p;
    }

    private JsonNode summary(Path out) throws Exception {
        return EcsJson.MAPPER.readTree(out.resolve("summary.json").toFile());
    }

    private static void assertEveryRecordAccountedFor(JsonNode summary, long records) {
        assertThat(summary.get("records").asLong()).isEqualTo(records);
        assertThat(summary.get("recordsDecoded").asLong() + summary.get("deadLetters").asLong()).isEqualTo(records);
    }

    @Test
    void eightThousandPlusSignsAfterUnionStopNothing() throws Exception {
        List<String> hostile = new ArrayList<>(normalLines());
        // decoded, the '+' are spaces: java.util.regex recursed once per space and overflowed the stack
        hostile.add(request(7, "203.0.113.10", "/item?id=2+union+select+password+from+users"));
        hostile.add(request(8, "192.0.2.66", "/index.php?q=union" + "+".repeat(8000) + "x"));
        Path out = dir.resolve("out-with");
        Path baseline = dir.resolve("out-without");
        // the same file without the hostile line: the other records keep their origin, their alerts their ids
        Path log = write("in/access.log", hostile);
        assertThat(vigil("replay", "--quiet", "--format", "access", "--out", out.toString(), log.toString()))
                .as(printed.toString()).isZero();
        hostile.remove(7);
        write("in/access.log", hostile);
        assertThat(vigil("replay", "--quiet", "--format", "access", "--out", baseline.toString(), log.toString()))
                .as(printed.toString()).isZero();

        JsonNode summary = summary(out);
        assertEveryRecordAccountedFor(summary, 8);
        assertThat(summary.get("deadLetters").asLong()).isZero();
        assertThat(summary.get("ruleErrors").asLong()).isZero();
        // sqli, traversal, xss, sqli from four clients; none from the hostile line
        assertThat(summary.get("alerts").asLong()).isEqualTo(4);
        assertThat(Files.readAllLines(out.resolve("alerts.ndjson")))
                .containsExactlyElementsOf(Files.readAllLines(baseline.resolve("alerts.ndjson")));
        assertThat(Files.readAllLines(out.resolve("incidents.ndjson")))
                .containsExactlyElementsOf(Files.readAllLines(baseline.resolve("incidents.ndjson")));
    }

    @Test
    void aRulePackThatThrowsGivesRuleErrorLettersAndCountsAndTheOtherRulesTheirAlerts() throws Exception {
        String header = """
                package test.replay;
                import io.vigil.model.SecurityEvent;
                import io.vigil.rules.Signal;

                function boolean brokenCheck(String url) {
                    String missing = url.contains("boom") ? null : url;
                    return missing.isEmpty();
                }
                """;
        String meta = """
                    @name("n") @description("d") @severity("medium") @riskScore(40)
                    @tactics("TA0001") @techniques("T1190") @shape("single") @groupBy("source.ip") @suppress("5m")
                """;
        String requests = "rule \"every-request\"\n" + meta + """
                when
                    $e : SecurityEvent(urlOriginal != null)
                then
                    insert(new Signal($e));
                end
                """;
        String broken = "rule \"broken-condition\"\n" + meta + """
                when
                    $e : SecurityEvent(urlOriginal != null, brokenCheck(this.urlOriginal()))
                then
                    insert(new Signal($e));
                end
                rule "broken-consequence"
                """ + meta + """
                when
                    $e : SecurityEvent(urlOriginal != null, this.urlOriginal().contains("then"))
                then
                    if (true) { throw new IllegalStateException("consequence failed"); }
                end
                """;
        Path healthyOnly = dir.resolve("rules-healthy");
        Path withBroken = dir.resolve("rules-broken");
        Files.createDirectories(healthyOnly);
        Files.createDirectories(withBroken);
        Files.writeString(healthyOnly.resolve("requests.drl"), header + requests);
        Files.writeString(withBroken.resolve("requests.drl"), header + requests);
        Files.writeString(withBroken.resolve("broken.drl"), header.replace("test.replay", "test.broken") + broken);
        RuleDirs.ownerWritable(healthyOnly);
        RuleDirs.ownerWritable(withBroken);

        List<String> lines = new ArrayList<>(normalLines());
        lines.add(request(7, "192.0.2.1", "/boom"));
        lines.add(request(8, "192.0.2.2", "/then"));
        // 120 in a row from one client: the condition is quarantined at the 100th (the default)
        for (int i = 0; i < 120; i++) {
            lines.add(request(9, "192.0.2.3", "/boom/" + i));
        }
        lines.add(request(10, "192.0.2.4", "/then/again"));
        Path log = write("in/access.log", lines);
        Path out = dir.resolve("out-broken");
        Path baseline = dir.resolve("out-healthy");

        assertThat(vigil("replay", "--quiet", "--format", "access", "--rules", withBroken.toString(),
                "--out", out.toString(), log.toString())).as(printed.toString()).isZero();
        assertThat(vigil("replay", "--quiet", "--format", "access", "--rules", healthyOnly.toString(),
                "--out", baseline.toString(), log.toString())).as(printed.toString()).isZero();

        JsonNode summary = summary(out);
        assertEveryRecordAccountedFor(summary, lines.size());
        assertThat(summary.get("deadLetters").asLong()).isZero();
        assertThat(summary.get("ruleErrors").asLong()).isEqualTo(1 + 100 + 2);
        assertThat(summary.get("ruleErrorsByRule").get("broken-condition").asLong()).isEqualTo(101);
        assertThat(summary.get("ruleErrorsByRule").get("broken-consequence").asLong()).isEqualTo(2);
        assertThat(summary.get("ruleProblems")).anySatisfy(p -> assertThat(p.asText())
                .contains("[broken-condition]").contains("quarantined after 100 consecutive failures of its condition"));
        assertThat(summary.at("/byRule/every-request").asLong()).isPositive();
        assertThat(Files.readAllLines(out.resolve("alerts.ndjson")))
                .containsExactlyElementsOf(Files.readAllLines(baseline.resolve("alerts.ndjson")));

        List<JsonNode> letters = ReplayJobTest.read(out.resolve("dead-letters.ndjson"));
        assertThat(letters).hasSize(103).allSatisfy(l -> {
            assertThat(l.at("/vigil/dead_letter/kind").asText()).isEqualTo(DeadLetter.RULE_ERROR);
            assertThat(l.at("/vigil/origin/source").asText()).isEqualTo(log.toString());
        });
        JsonNode first = letters.stream().filter(l -> l.at("/vigil/origin/offset").asLong() == 7).findFirst().orElseThrow();
        assertThat(first.at("/rule/id").asText()).isEqualTo("broken-condition");
        assertThat(first.at("/raw/value").asText()).isEqualTo(lines.get(6));
        assertThat(first.at("/reason").asText()).startsWith("rule 'broken-condition' failed in its condition")
                .contains(NullPointerException.class.getName());
        assertThat(letters).filteredOn(l -> l.at("/rule/id").asText().equals("broken-consequence"))
                .extracting(l -> l.at("/vigil/origin/offset").asLong()).containsExactlyInAnyOrder(8L, 129L);
        assertThat(printed.toString()).containsPattern("rule errors +103").contains("quarantined after 100");
    }
}
