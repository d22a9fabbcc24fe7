package io.vigil.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.cli.VigilCli;
import io.vigil.formats.Datasets;
import io.vigil.jobs.replay.ReplayJobTest;
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
 * {@code vigil replay --exceptions} on loghub's OpenSSH_2k.log, whose GROUND_TRUTH.md names the
 * eleven source addresses of {@code ssh-brute-force}: excepted addresses leave exactly their alerts
 * out, their hits are counted per entry, and an entry expired by the log's own times excepts nothing.
 */
class ReplayExceptionsTest {

    /** The addendum of loghub/GROUND_TRUTH.md: sources with at least 5 failed passwords within 60 s. */
    private static final List<String> BRUTE_FORCE = List.of("103.99.0.122", "106.5.5.195", "112.95.230.3",
            "119.4.203.64", "123.235.32.19", "183.62.140.253", "185.190.58.151", "187.141.143.180", "5.188.10.180",
            "5.36.59.76", "60.2.12.12");

    @TempDir
    Path out;

    private final StringWriter printed = new StringWriter();

    private int vigil(String... args) {
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(printed, true));
        cl.setErr(new PrintWriter(printed, true));
        return cl.execute(args);
    }

    private JsonNode replay(String name, String exceptions) throws Exception {
        Path file = out.resolve(name + ".yml");
        Files.writeString(file, exceptions);
        Path dir = out.resolve(name);
        assertThat(vigil("replay", "--quiet", "--year", "2024", "--exceptions", file.toString(), "--out",
                dir.toString(), Datasets.file("loghub/OpenSSH_2k.log").toString())).as(printed.toString()).isZero();
        return EcsJson.MAPPER.readTree(dir.resolve("summary.json").toFile());
    }

    private List<JsonNode> alerts(String name) throws Exception {
        return ReplayJobTest.read(out.resolve(name).resolve("alerts.ndjson"));
    }

    private static List<String> bruteForceSources(List<JsonNode> alerts) {
        return alerts.stream().filter(a -> "ssh-brute-force".equals(a.at("/rule/id").asText()))
                .map(a -> a.at("/vigil/alert/group_key").asText())
                .distinct().sorted().toList();
    }

    /** Failed SSH logins from {@code ip} among the replay's events: the hits ssh-brute-force had from it. */
    private long failuresFrom(String name, String ip) throws Exception {
        return ReplayJobTest.read(out.resolve(name).resolve("events.ndjson")).stream()
                .filter(e -> "ssh_login".equals(e.at("/event/action").asText())
                        && "failure".equals(e.at("/event/outcome").asText())
                        && ip.equals(e.at("/source/ip").asText()))
                .count();
    }

    @Test
    void oneExceptedSourceLeavesTheOtherTenBruteForceAlertsAndIsCounted() throws Exception {
        JsonNode summary = replay("one", """
                exceptions:
                  - id: lab-scanner
                    rule: ssh-brute-force
                    field: source.ip
                    values: ["112.95.230.3"]
                    reason: the lab's password auditor
                    author: secops
                """);
        assertThat(bruteForceSources(alerts("one"))).containsExactlyElementsOf(
                BRUTE_FORCE.stream().filter(ip -> !ip.equals("112.95.230.3")).toList());
        // its 26 failed passwords (GROUND_TRUTH.md), each a hit the entry covered
        assertThat(failuresFrom("one", "112.95.230.3")).isEqualTo(26);
        assertThat(summary.get("excepted").asLong()).isEqualTo(26);
        assertThat(summary.at("/exceptedByException/lab-scanner").asLong()).isEqualTo(26);
        assertThat(printed.toString()).containsPattern("excepted hits +26").containsPattern("lab-scanner +26");
    }

    @Test
    void anExpiredEntryExceptsNothingAStarEntryEveryRuleAndACidrEntryItsRange() throws Exception {
        JsonNode summary = replay("mixed", """
                - id: expired
                  rule: ssh-brute-force
                  field: source.ip
                  values: ["183.62.140.253"]
                  reason: an audit that ended before the log's day
                  author: secops
                  expires: 2024-12-10
                - id: every-rule
                  rule: "*"
                  field: source.ip
                  values: ["5.188.10.180"]
                  reason: a partner's gateway
                  author: secops
                - id: range
                  rule: ssh-brute-force
                  field: source.ip
                  cidr: [103.99.0.0/16]
                  reason: the hosting provider's monitoring
                  author: secops
                """);
        assertThat(bruteForceSources(alerts("mixed"))).containsExactlyElementsOf(BRUTE_FORCE.stream()
                .filter(ip -> !ip.equals("5.188.10.180") && !ip.equals("103.99.0.122")).toList());
        // '*': no rule alerts on that source any more, and each of its failed passwords was one excepted hit at least
        assertThat(alerts("mixed")).noneMatch(a -> a.toString().contains("5.188.10.180"));
        assertThat(summary.at("/exceptedByException/every-rule").asLong())
                .isGreaterThanOrEqualTo(failuresFrom("mixed", "5.188.10.180")).isPositive();
        assertThat(summary.at("/exceptedByException/range").asLong()).isEqualTo(failuresFrom("mixed", "103.99.0.122"))
                .isEqualTo(46);
        assertThat(summary.get("exceptedByException").has("expired")).isFalse();
        assertThat(summary.get("excepted").asLong()).isEqualTo(summary.at("/exceptedByException/every-rule").asLong()
                + summary.at("/exceptedByException/range").asLong());
    }

    @Test
    void aBadExceptionsFileIsRefusedBeforeTheReplayNamingEntryAndKey() throws Exception {
        Path file = out.resolve("bad.yml");
        Files.writeString(file, """
                - rule: ssh-brute-force
                  field: source.address
                  values: ["112.95.230.3"]
                  reason: typo in the field
                  author: secops
                """);
        assertThat(vigil("replay", "--quiet", "--exceptions", file.toString(), "--out", out.resolve("bad").toString(),
                Datasets.file("loghub/OpenSSH_2k.log").toString())).isEqualTo(VigilCli.USAGE);
        assertThat(printed.toString()).contains("--exceptions: " + file + ": entry 1 (" + file
                + "#1): key 'field': 'source.address' is not an ECS field");
        assertThat(out.resolve("bad")).doesNotExist();
    }
}
