package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.connectors.elasticsearch.IndexTemplates;
import io.vigil.jobs.config.VigilOptions;
import io.vigil.rules.RuleMeta;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Exit codes and messages of the command line (no Flink job is started here). */
class VigilCliTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"replay", "formats", "webhooks"}) {
            assertThat(run(command, "--help")).isZero();
        }
        assertThat(run("webhooks", "test", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: vigil replay").contains("--out=DIR").contains("--webhook=URL")
                .contains("Usage: vigil formats").contains("Usage: vigil webhooks").contains("Usage: vigil webhooks test");
    }

    @Test
    void setupSaysWhichIndexTemplatesItInstalls() {
        // its own description, not its subcommands' (setup kibana names data views)
        String description = String.join(" ", VigilCli.commandLine().getSubcommands().get("setup").getCommandSpec()
                .usageMessage().description());
        for (String template : IndexTemplates.ALL) {
            assertThat(description).contains(template);
        }
        assertThat(run("setup", "--help")).isZero();
        assertThat(out.toString()).contains("vigil-deliveries-*");
    }

    @Test
    void badUsageExitsWithTwo() {
        assertThat(run()).isEqualTo(VigilCli.USAGE);
        assertThat(run("nonsense")).isEqualTo(VigilCli.USAGE);
        assertThat(run("replay", "some.log")).isEqualTo(VigilCli.USAGE);
        assertThat(err.toString()).contains("Missing required option: '--out=DIR'");
        assertThat(run("replay", "--out", dir.toString(), "--format", "csv", "x.log")).isEqualTo(VigilCli.USAGE);
        assertThat(err.toString()).contains("unknown format 'csv'");
        assertThat(run("replay", "--out", dir.toString(), "--timezone", "Mars/Olympus", "x.log")).isEqualTo(VigilCli.USAGE);
        assertThat(run("replay", "--out", dir.toString(), "--no-events", "--no-detect", "x.log")).isEqualTo(VigilCli.USAGE);
        assertThat(err.toString()).contains("--no-events with --no-detect would write nothing but dead letters");
        assertThat(run("run", "--config", "vigil.yaml", "--fresh", "--restore", "chk-3")).isEqualTo(VigilCli.USAGE);
        assertThat(err.toString()).contains("--fresh and --restore exclude each other");
    }

    @Test
    void replayDefaultsAreTheStreamingConfigurationsAndItHasNoOutOfOrderness() {
        ReplayCommand replay = new ReplayCommand();
        new CommandLine(replay).parseArgs("--out", dir.toString(), "x.log");
        assertThat(replay.timezone).isEqualTo(VigilOptions.TIMEZONE.defaultValue());
        assertThat(replay.maxRecordBytes).isEqualTo(VigilOptions.MAX_RECORD_BYTES.defaultValue());
        assertThat(Duration.ofMillis(RuleMeta.parseDuration(replay.incidentWindow)))
                .isEqualTo(VigilOptions.INCIDENT_WINDOW.defaultValue());
        // batch mode correlates in event time whatever the order of the files: the option changed nothing
        assertThat(run("replay", "--out", dir.toString(), "--out-of-orderness", "1s", "x.log")).isEqualTo(VigilCli.USAGE);
        assertThat(err.toString()).contains("Unknown option: '--out-of-orderness'");
    }

    @Test
    void configCheckRefusesAnEmptyFileUnknownFormatsAndWebhookFiltersOnMissingRules() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "");
        assertThat(run("config", "--check", empty.toString())).isEqualTo(VigilCli.FAILURE);
        assertThat(err.toString()).contains("empty.yaml: 1 problem").contains("  the configuration sets no keys");

        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                kafka:
                  bootstrap-servers: kafka-1:9092
                  topics: {auth: sysl0g}
                elasticsearch:
                  urls: [https://es-1:9200]
                webhooks:
                  endpoints:
                    soar:
                      url: https://soar.example/hooks/vigil
                      secret-env: SOAR_SECRET
                      rules: [account-backdoor]
                """);
        assertThat(run("config", "--check", bad.toString())).isEqualTo(VigilCli.FAILURE);
        assertThat(err.toString()).contains("bad.yaml: 2 problems")
                .contains("  kafka.topics.auth: unknown format 'sysl0g'; Vigil decodes syslog, access, windows")
                .contains("  webhooks.endpoints.soar.rules: no rule 'account-backdoor' in the rule pack shipped with "
                        + "Vigil; its rules: ");
        assertThat(out.toString()).doesNotContain(": ok");

        Path good = Files.writeString(dir.resolve("good.yaml"), "kafka:\n  bootstrap-servers: kafka-1:9092\n"
                + "elasticsearch:\n  urls: [https://es-1:9200]\n");
        assertThat(run("config", "--check", good.toString())).isZero();
        assertThat(out.toString()).contains("good.yaml: ok");
    }

    @Test
    void configReferenceIsTheMarkdownOfTheOptions() {
        assertThat(run("config", "--reference")).isZero();
        assertThat(out.toString()).isEqualTo(io.vigil.jobs.config.ConfigReference.markdown());
        assertThat(run("config", "--reference", "--check", "x.yaml")).isEqualTo(VigilCli.USAGE);
    }

    @Test
    void aMissingInputFailsWithOneAndNamesTheFile() {
        assertThat(run("replay", "--out", dir.resolve("o").toString(), dir.resolve("missing.log").toString()))
                .isEqualTo(VigilCli.FAILURE);
        assertThat(err.toString()).contains("no such file: ").contains("missing.log").doesNotContain("Exception");
    }

    @Test
    void anUndetectableFormatAsksForFormat() throws Exception {
        Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "shopping list\nmilk\n");
        assertThat(run("replay", "--out", dir.resolve("o").toString(), notes.toString())).isEqualTo(VigilCli.FAILURE);
        assertThat(err.toString()).contains("cannot detect the format of").contains("pass --format");
        assertThat(run("formats", notes.toString())).isEqualTo(VigilCli.FAILURE);
        assertThat(out.toString()).contains("unknown");
    }

    @Test
    void formatsListsEveryFormat() {
        assertThat(run("formats")).isZero();
        assertThat(out.toString()).contains("syslog").contains("access").contains("windows").contains("cloudtrail")
                .contains("zeek").contains("ecs");
    }
}
