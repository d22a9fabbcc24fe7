package io.vigil.cli;

import io.vigil.jobs.config.RuleDirs;
import static io.vigil.cli.TerminalAssert.HOSTILE;
import static io.vigil.cli.TerminalAssert.HOSTILE_ASCII;
import static io.vigil.cli.TerminalAssert.assertTerminalSafe;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.cli.kibana.RecordingKibana;
import io.vigil.model.EcsJson;
import io.vigil.model.text.SafeText;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Commands fed hostile data (file names, rule files, configuration, records, arguments) print it
 * escaped: stdout and stderr hold the program's own line ends and no other control character.
 */
class TerminalOutputTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int vigil(String... args) {
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private String printed() {
        return out + "" + err;
    }

    private static String json(String field, String value) {
        ObjectNode doc = EcsJson.MAPPER.createObjectNode().put("@timestamp", "2024-01-01T00:00:00Z");
        doc.putObject("event").put(field, value);
        return EcsJson.toJson(doc);
    }

    @Test
    void replayPrintsHostileActionsAndFileNamesEscaped() throws Exception {
        Path file = dir.resolve("auth-" + HOSTILE_ASCII + ".ndjson");
        Files.writeString(file, json("action", HOSTILE) + "\n" + json("action", "logon") + "\n"
                + "{\"@timestamp\": \"not a time " + HOSTILE.replace("\r\n", " ") + "\"}\n", StandardCharsets.UTF_8);

        assertThat(vigil("replay", "--quiet", "--no-detect", "--format", "ecs", "--out", dir.resolve("out").toString(),
                file.toString())).as(err.toString()).isZero();

        assertTerminalSafe(printed());
        assertThat(out.toString()).contains(SafeText.escape(file.toString()))
                .contains("    " + SafeText.escape(HOSTILE) + " ").contains("dead letters              1");
    }

    @Test
    void rulesFromAHostileDirectoryArePrintedEscaped() throws Exception {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("sudo.drl"), """
                package mine.rules;
                import io.vigil.model.SecurityEvent;
                import io.vigil.rules.Signal;
                rule "too-many-sudo"
                    @name("Sudo burst NAME") @description("3 sudo in 1 min") @severity("low") @riskScore(20)
                    @tactics("TA0004") @techniques("T1548.003") @shape("threshold") @groupBy("user.name")
                    @window("1m") @threshold(3)
                when
                    $e : SecurityEvent(eventAction == "sudo")
                then
                    insert(new Signal($e));
                end
                """.replace("NAME", HOSTILE.replace("\r\n", " ").replace("\u2028", " ")), StandardCharsets.UTF_8);
        // a fixture whose name forges a passing line of `vigil rules test`
        Files.writeString(rules.resolve("too-many-sudo.fixtures.json"), """
                {"rule": "too-many-sudo", "fixtures": [
                  {"name": "three sudo\\r\\nok   too-many-sudo: all fine (1 alert(s))\\u001b[2K", "alerts": 5,
                   "events": [{"repeat": 3, "every": "10s", "event": {"@timestamp": "2024-01-01T00:00:00Z",
                     "event": {"action": "sudo"}, "user": {"name": "alice"}}}]},
                  {"name": "two sudo", "alerts": 0,
                   "events": [{"repeat": 2, "every": "10s", "event": {"@timestamp": "2024-01-01T00:00:00Z",
                     "event": {"action": "sudo"}, "user": {"name": "alice"}}}]}]}
                """);
        // a broken rule file whose name holds controls
        Files.writeString(rules.resolve("broken-" + HOSTILE_ASCII + ".drl"), "package mine.rules;\nrule \"x\" when then");

        assertThat(vigil("rules", "list", "--rules", RuleDirs.ownerWritable(rules).toString())).isEqualTo(VigilCli.FAILURE);
        assertThat(vigil("rules", "test", "--rules", RuleDirs.ownerWritable(rules).toString())).isEqualTo(VigilCli.FAILURE);

        assertTerminalSafe(printed());
        assertThat(out.toString()).contains("Sudo burst mallory 12:00:00.000 INFO  fake - all clear\\u001b[2J")
                .contains("\\u009b31m\\u202elanigiro")
                .contains("PROBLEM " + SafeText.escape(rules.resolve("broken-" + HOSTILE_ASCII + ".drl").toString()))
                .contains("FAIL too-many-sudo: three sudo\\r\\nok   too-many-sudo: all fine (1 alert(s))\\u001b[2K");
        assertThat(out.toString().lines()).noneMatch(l -> l.startsWith("ok   too-many-sudo: all fine"));
    }

    @Test
    void webhookEndpointsOfAHostileConfigurationArePrintedEscaped() throws Exception {
        // endpoint names and key ids are checked (a bad one is an error, escaped); filters are free text
        Path config = dir.resolve("vigil.yaml");
        Files.writeString(config, String.join("\n",
                "webhooks:",
                "  endpoints:",
                "    ops:",
                "      url: http://127.0.0.1:9/hook",
                "      secret-env: VIGIL_TEST_WEBHOOK_SECRET",
                "      tags: [\"ssh\\x9b31m\\u202e\\r\\nforged\"]",
                "    \"evil\\e]0;pwned\\a\":",
                "      url: http://127.0.0.1:9/hook",
                "      secret-env: VIGIL_TEST_WEBHOOK_SECRET",
                ""), StandardCharsets.UTF_8);
        Path good = dir.resolve("good.yaml");
        Files.writeString(good, Files.readString(config).substring(0, Files.readString(config).indexOf("    \"evil")));

        assertThat(vigil("webhooks", "list", "-c", config.toString())).isEqualTo(VigilCli.FAILURE);
        assertThat(vigil("webhooks", "list", "-c", good.toString())).as(err.toString()).isZero();

        assertTerminalSafe(printed());
        assertThat(err.toString()).contains("webhooks.endpoints.evil\\u001b]0;pwned\\u0007.: webhook name must be");
        assertThat(out.toString()).contains("tags ssh\\u009b31m\\u202e\\r\\nforged, key-id primary, secret");
    }

    @Test
    void kibanasAnswersArePrintedEscaped() throws Exception {
        String hostileJson = EcsJson.MAPPER.writeValueAsString(HOSTILE);
        try (RecordingKibana kibana = new RecordingKibana()) {
            // a refusal, with Kibana's (or a proxy's) explanation
            kibana.answer(400, "{\"statusCode\":400,\"error\":" + hostileJson + ",\"message\":" + hostileJson + "}");
            assertThat(vigil("setup", "kibana", "--url", kibana.url())).isEqualTo(VigilCli.FAILURE);
            // an import of which some objects were refused, each with its title and message
            kibana.answer(200, "{\"success\":false,\"successCount\":1,\"errors\":[{\"id\":\"x\",\"type\":\"lens\","
                    + "\"title\":" + hostileJson + ",\"error\":{\"type\":\"unknown\",\"message\":" + hostileJson + "}}]}");
            assertThat(vigil("setup", "kibana", "--url", kibana.url())).isEqualTo(VigilCli.FAILURE);
        }

        assertTerminalSafe(printed());
        String escaped = SafeText.escape(HOSTILE);
        assertThat(err.toString()).contains("refused the import: HTTP 400 " + escaped + ": " + escaped)
                .contains("  lens x (" + escaped + "): unknown: " + escaped + "\n");
    }

    @Test
    void errorsQuotingDataAreEscapedByTheTopLevelHandlers() throws Exception {
        // an execution error: the configuration file's unknown key is quoted
        Path config = dir.resolve("vigil.yaml");
        Files.writeString(config, "\"evil\\e[2J\\r\\n12:00:00.000 INFO  fake - all clear\\u202e\": 1\n",
                StandardCharsets.UTF_8);
        assertThat(vigil("config", "--check", config.toString())).isEqualTo(VigilCli.FAILURE);
        assertThat(err.toString()).contains("unknown key 'evil\\u001b[2J\\r\\n12:00:00.000 INFO  fake - all clear\\u202e'");

        // bad usage: picocli's message quotes the argument
        assertThat(vigil("replay", "--out", dir.resolve("o").toString(), "--format", HOSTILE, "x.log"))
                .isEqualTo(VigilCli.USAGE);
        assertThat(err.toString()).contains("--format: unknown format '" + SafeText.escape(HOSTILE) + "'")
                .contains("Usage: vigil replay");

        // a file whose format cannot be detected, and a missing one
        Path notes = dir.resolve("notes-" + HOSTILE_ASCII + ".txt");
        Files.writeString(notes, "shopping list\nmilk\n");
        assertThat(vigil("formats", notes.toString())).isEqualTo(VigilCli.FAILURE);
        assertThat(vigil("replay", "--out", dir.resolve("o").toString(), dir.resolve(HOSTILE_ASCII).toString()))
                .isEqualTo(VigilCli.FAILURE);
        assertThat(out.toString()).contains("unknown     " + SafeText.escape(notes.toString()));
        assertThat(err.toString()).contains("vigil replay: no such file: " + SafeText.escape(dir.resolve(HOSTILE_ASCII)
                .toString()));

        assertTerminalSafe(printed());
    }
}
