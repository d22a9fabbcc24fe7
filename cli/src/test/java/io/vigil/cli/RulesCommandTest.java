package io.vigil.cli;

import io.vigil.jobs.config.RuleDirs;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil rules list} and {@code vigil rules test}. */
class RulesCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();

    private int run(String... args) {
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        return cl.execute(args);
    }

    private static final String DRL = """
            package mine.rules;
            import io.vigil.model.SecurityEvent;
            import io.vigil.rules.Signal;
            rule "too-many-sudo"
                @name("Sudo burst") @description("3 sudo in 1 min") @severity("low") @riskScore(20)
                @tactics("TA0004") @techniques("T1548.003") @shape("threshold") @groupBy("user.name")
                @window("1m") @threshold(3)
            when
                $e : SecurityEvent(eventAction == "sudo")
            then
                insert(new Signal($e));
            end
            """;

    private static String fixtures(int expectedForThree) {
        return """
                {"rule": "too-many-sudo", "fixtures": [
                  {"name": "three sudo in 20 s", "alerts": %d,
                   "events": [{"repeat": 3, "every": "10s", "event": {"@timestamp": "2024-01-01T00:00:00Z",
                     "event": {"action": "sudo"}, "user": {"name": "alice"}}}]},
                  {"name": "two sudo", "alerts": 0,
                   "events": [{"repeat": 2, "every": "10s", "event": {"@timestamp": "2024-01-01T00:00:00Z",
                     "event": {"action": "sudo"}, "user": {"name": "alice"}}}]}]}
                """.formatted(expectedForThree);
    }

    @Test
    void listPrintsThePackagedRules() {
        assertThat(run("rules", "list")).isZero();
        assertThat(out.toString()).contains("ssh-brute-force").contains("Credential Access").contains("active rule(s)");
    }

    @Test
    void testPassesAPackWhoseFixturesHold() throws Exception {
        Files.writeString(dir.resolve("sudo.drl"), DRL);
        Files.writeString(dir.resolve("too-many-sudo.fixtures.json"), fixtures(1));
        assertThat(run("rules", "test", "--rules", RuleDirs.ownerWritable(dir).toString())).isZero();
        assertThat(out.toString()).contains("ok   too-many-sudo: three sudo in 20 s").contains("2 passed, 0 failed");
    }

    @Test
    void testFailsNamingTheRuleAndTheFixture() throws Exception {
        Files.writeString(dir.resolve("sudo.drl"), DRL);
        Files.writeString(dir.resolve("too-many-sudo.fixtures.json"), fixtures(2));
        assertThat(run("rules", "test", "--rules", RuleDirs.ownerWritable(dir).toString())).isEqualTo(VigilCli.FAILURE);
        assertThat(out.toString()).contains("FAIL too-many-sudo: three sudo in 20 s (expected 2 alert(s), got 1")
                .contains("1 passed, 1 failed");
    }

    @Test
    void aRuleWithoutFixturesFailsTheTest() throws Exception {
        Files.writeString(dir.resolve("sudo.drl"), DRL);
        assertThat(run("rules", "test", "--rules", RuleDirs.ownerWritable(dir).toString())).isEqualTo(VigilCli.FAILURE);
        assertThat(out.toString()).contains("FAIL too-many-sudo: needs at least one fixture that must fire and one that must not");
    }

    @Test
    void aBrokenRuleFileIsNamedWithItsLine() throws Exception {
        Files.writeString(dir.resolve("sudo.drl"), DRL.replace("eventAction == \"sudo\"", "eventAction ==== \"sudo\""));
        assertThat(run("rules", "list", "--rules", RuleDirs.ownerWritable(dir).toString())).isEqualTo(VigilCli.FAILURE);
        assertThat(out.toString()).contains("PROBLEM").contains("sudo.drl:9 [too-many-sudo]: does not compile").doesNotContain("null Package");
    }
}
