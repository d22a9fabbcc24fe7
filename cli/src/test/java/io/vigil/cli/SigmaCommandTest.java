package io.vigil.cli;

import io.vigil.jobs.config.RuleDirs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.formats.Datasets;
import io.vigil.model.EcsJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil sigma check} over SigmaHQ's whole rule tree, {@code vigil sigma test} over its
 * regression samples, and a replay with {@code --sigma} writing alerts that carry the Sigma
 * metadata (the shared datasets, GROUND_TRUTH.md of sigmahq-rules).
 */
class SigmaCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();

    private int run(String... args) {
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        return cl.execute(args);
    }

    private static Path sigmahq() {
        return Datasets.root().resolve("sigmahq-rules");
    }

    @Test
    void checkCompilesAtLeast99PercentOfTheSupportedSigmaHqRules() throws Exception {
        Path json = dir.resolve("check.json");
        int exit = run("sigma", "check", sigmahq().resolve("rules").toString(), "--json", json.toString());

        JsonNode report = EcsJson.MAPPER.readTree(json.toFile());
        // GROUND_TRUTH.md: 3,141 rule files, one document each
        assertThat(report.path("documents").asInt()).isEqualTo(3141);
        assertThat(report.path("compiled").asInt() + report.path("unsupported").asInt()
                + report.path("problems").asInt()).isEqualTo(3141);
        assertThat(report.path("compiled_percent_of_supported").asDouble()).isGreaterThanOrEqualTo(99.0);
        // the log sources the issue names as decoded are supported, not reported away
        Map<String, Integer> compiled = new TreeMap<>();
        report.path("by_log_source").forEach(r -> compiled.put(r.path("log_source").asText(),
                r.path("compiled").asInt()));
        assertThat(compiled).containsKeys("windows/process_creation/", "windows//security", "windows//system",
                "windows/registry_set/", "windows/file_event/", "windows/image_load/", "windows/process_access/",
                "windows/network_connection/", "aws//cloudtrail", "/webserver/");
        assertThat(compiled.get("windows/process_creation/")).isGreaterThan(1000);
        assertThat(exit).isEqualTo(report.path("problems").asInt() == 0 ? VigilCli.OK : VigilCli.FAILURE);
        assertThat(out.toString()).contains("supported document(s) compile");
    }

    /**
     * Every regression test passes with its exact match_count except three samples where SigmaHQ's
     * figure (1) is below the number of events that satisfy the rule's detection: the samples hold
     * three files with names the rule lists (procdump.exe, procdump64.exe, procdump64a.exe), three
     * ZoneMap\Domains values set to 2 and two LanmanServer AutoShare values set to 0. SigmaHQ's own
     * runner only checks that the rule matches at all, so the figure was never checked there.
     */
    /**
     * The .evtx of every test (read natively, the default) gives each test the same outcome and the
     * same count as the evtx_dump JSON beside it ({@code --sample json}).
     */
    @Test
    void testRunsEverySigmaHqRegressionSample() throws Exception {
        Path evtxReport = dir.resolve("test-evtx.json");
        int exit = run("sigma", "test", sigmahq().resolve("regression_data").toString(), "--rules",
                sigmahq().resolve("rules").toString(), "--json", evtxReport.toString());
        String printed = out.toString();
        Path jsonReport = dir.resolve("test-json.json");
        int jsonExit = run("sigma", "test", sigmahq().resolve("regression_data").toString(), "--rules",
                sigmahq().resolve("rules").toString(), "--sample", "json", "--json", jsonReport.toString());

        Map<String, Long> failed = new TreeMap<>();
        Map<String, String> onEvtx = outcomes(evtxReport, "evtx", failed);
        Map<String, String> onJson = outcomes(jsonReport, "json", new TreeMap<>());
        // GROUND_TRUTH.md: 73 tests with match_count and 9 positive tests without
        assertThat(onEvtx).hasSize(82);
        assertThat(onEvtx).isEqualTo(onJson);
        assertThat(failed).isEqualTo(Map.of(
                "8fbf3271-1ef6-4e94-8210-03c2317947f6", 3L,
                "45e112d0-7759-4c2a-aa36-9f8fb79d3393", 3L,
                "c7dcacd0-cc59-4004-b0a4-1d6cdebe6f3e", 2L));
        assertThat(exit).isEqualTo(VigilCli.FAILURE);
        assertThat(jsonExit).isEqualTo(VigilCli.FAILURE);
        assertThat(printed).contains("79 passed, 3 failed").contains("samples run: 82 evtx");
        assertThat(EcsJson.MAPPER.readTree(evtxReport.toFile()).at("/samples/evtx").asInt()).isEqualTo(82);
    }

    /** Per test (info file and name): passed or not and the count, each run on {@code sample}; failures to {@code failed}. */
    private static Map<String, String> outcomes(Path report, String sample, Map<String, Long> failed) throws Exception {
        Map<String, String> byTest = new TreeMap<>();
        for (JsonNode t : EcsJson.MAPPER.readTree(report.toFile()).path("tests")) {
            assertThat(t.path("sample").asText()).as("%s", t).isEqualTo(sample);
            byTest.put(t.path("info").asText() + " " + t.path("test").asText(),
                    t.path("passed").asBoolean() + " " + t.path("actual").asLong());
            if (!t.path("passed").asBoolean()) {
                failed.put(t.path("rule_id").asText(), t.path("actual").asLong());
            }
        }
        return byTest;
    }

    @Test
    void aRegressionTestOfARuleNotGivenFailsNamingWhy() throws Exception {
        Path sample = sigmahq().resolve("regression_data/rules/windows/file/file_event/"
                + "file_event_win_cred_dump_tools_dropped_files");
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("other.yml"), """
                title: Some other rule
                id: 11111111-2222-4333-8444-555555555555
                logsource: {product: windows, category: process_creation}
                detection: {selection: {Image|endswith: '\\\\whoami.exe'}, condition: selection}
                level: low
                """);
        assertThat(run("sigma", "test", sample.toString(), "--rules", RuleDirs.ownerWritable(rules).toString())).isEqualTo(VigilCli.FAILURE);
        assertThat(out.toString()).contains("FAIL Cred Dump Tools Dropped Files").contains("is not active")
                .contains("0 passed, 1 failed");
    }

    /** A copy of a regression folder of the shared samples, with only the files named. */
    private Path regressionCopy(String folder, String... files) throws Exception {
        Path from = sigmahq().resolve("regression_data/rules/windows/registry/registry_set/" + folder);
        Path to = Files.createDirectories(dir.resolve("regression").resolve(folder));
        for (String f : files) {
            Files.copy(from.resolve(f), to.resolve(f));
        }
        return to;
    }

    @Test
    void aTestRunsItsJsonWhenItHasNoEvtxAndSampleChoosesWhichRuns() throws Exception {
        String id = "944e8941-f6f6-4ee8-ac05-1c224e923c0e";
        Path jsonOnly = regressionCopy("registry_set_add_port_monitor", "info.yml", id + ".json");
        String rules = sigmahq().resolve("rules/windows/registry/registry_set").toString();
        Path json = dir.resolve("test.json");

        // by default the .evtx, when there is one: here there is none, the JSON runs and is named
        assertThat(run("sigma", "test", jsonOnly.toString(), "--rules", rules, "--json", json.toString()))
                .as(out.toString()).isEqualTo(VigilCli.OK);
        assertThat(out.toString()).contains("expected 1, matched 1 on " + id + ".json").contains("samples run: 1 json");
        JsonNode report = EcsJson.MAPPER.readTree(json.toFile());
        assertThat(report.at("/tests/0/sample").asText()).isEqualTo("json");
        assertThat(report.at("/samples/json").asInt()).isEqualTo(1);

        // asked for the .evtx, a test without one fails naming the file missing
        out.getBuffer().setLength(0);
        assertThat(run("sigma", "test", jsonOnly.toString(), "--rules", rules, "--sample", "evtx"))
                .isEqualTo(VigilCli.FAILURE);
        assertThat(out.toString()).contains("FAIL Add Port Monitor Persistence in Registry")
                .contains("no sample " + id + ".evtx beside info.yml").contains("samples run: 1 none");

        // asked for the JSON, it runs even beside an .evtx
        Files.copy(sigmahq().resolve("regression_data/rules/windows/registry/registry_set/"
                + "registry_set_add_port_monitor/" + id + ".evtx"), jsonOnly.resolve(id + ".evtx"));
        out.getBuffer().setLength(0);
        assertThat(run("sigma", "test", jsonOnly.toString(), "--rules", rules, "--sample", "json"))
                .as(out.toString()).isEqualTo(VigilCli.OK);
        assertThat(out.toString()).contains("matched 1 on " + id + ".json").contains("samples run: 1 json");

        // by default, beside its JSON, the .evtx runs
        out.getBuffer().setLength(0);
        assertThat(run("sigma", "test", jsonOnly.toString(), "--rules", rules)).as(out.toString()).isEqualTo(VigilCli.OK);
        assertThat(out.toString()).contains("expected 1, matched 1 on " + id + ".evtx").contains("samples run: 1 evtx");

        assertThat(run("sigma", "test", jsonOnly.toString(), "--rules", rules, "--sample", "xml"))
                .isEqualTo(VigilCli.USAGE);
        assertThat(out.toString()).contains("--sample: 'xml' is neither evtx nor json");
    }

    @Test
    void replayWithSigmaWritesAlertsWithTheSigmaMetadata() throws Exception {
        Path sample = sigmahq().resolve("regression_data/rules/windows/registry/registry_set/"
                + "registry_set_disable_administrative_share/c7dcacd0-cc59-4004-b0a4-1d6cdebe6f3e.json");
        Path outDir = dir.resolve("out");
        assertThat(run("replay", "--sigma", sigmahq().resolve("rules/windows/registry").toString(), "--out",
                outDir.toString(), sample.toString())).as(out.toString()).isZero();

        List<JsonNode> alerts = Files.readAllLines(outDir.resolve("alerts.ndjson")).stream().map(l -> {
            try {
                return EcsJson.MAPPER.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(a -> a.at("/rule/id").asText().equals("c7dcacd0-cc59-4004-b0a4-1d6cdebe6f3e")).toList();
        // one alert per matching event: AutoShareServer and AutoShareWks set to 0
        assertThat(alerts).hasSize(2);
        JsonNode a = alerts.get(0);
        assertThat(a.at("/rule/ruleset").asText()).isEqualTo("sigma");
        assertThat(a.at("/rule/name").asText()).isEqualTo("Disable Administrative Share Creation at Startup");
        assertThat(a.at("/rule/license").asText()).isEqualTo("DRL-1.1");
        assertThat(a.at("/rule/author").isArray() && a.at("/rule/author").size() > 0).isTrue();
        assertThat(a.at("/rule/reference").isArray() && a.at("/rule/reference").size() > 0).isTrue();
        assertThat(a.at("/vigil/rule/status").asText()).isNotEmpty();
        assertThat(a.at("/threat/technique/id").toString()).contains("T1070.005");
    }

    /**
     * Sigma correlations through the replay job on OTRF's password spray (GROUND_TRUTH.md of
     * otrf-security-datasets §1: seven 4625 failed logons, seven distinct accounts, one workstation,
     * one second): a value_count fires once at the fifth account; an event_count with {@code lt}
     * is decided when its window closes, at the end of the replay, with all seven.
     */
    @Test
    void replayRunsSigmaCorrelationsOnARealPasswordSpray() throws Exception {
        Path rules = Files.createDirectories(dir.resolve("correlations"));
        Files.writeString(rules.resolve("spray.yml"), """
                title: Failed logon
                id: 0b1c2d3e-0000-4000-8000-000000000001
                name: failed_logon
                logsource: {product: windows, service: security}
                detection: {selection: {EventID: 4625}, condition: selection}
                level: low
                ---
                title: Many accounts fail from one workstation
                id: 0b1c2d3e-0000-4000-8000-000000000002
                correlation:
                  type: value_count
                  rules: [failed_logon]
                  group-by: [WorkstationName]
                  timespan: 5m
                  condition: {field: TargetUserName, gte: 5}
                level: high
                ---
                title: A few failed logons from one workstation
                id: 0b1c2d3e-0000-4000-8000-000000000003
                correlation:
                  type: event_count
                  rules: [failed_logon]
                  group-by: [WorkstationName]
                  timespan: 5m
                  condition: {gte: 2, lt: 10}
                level: medium
                """);
        Path outDir = dir.resolve("spray");
        Path spray = Datasets.root().resolve(
                "otrf-security-datasets/windows/purplesharp_ad_playbook_I_2020-10-22042947.security_system.json");
        assertThat(run("replay", "--sigma", RuleDirs.ownerWritable(rules).toString(), "--out", outDir.toString(), spray.toString()))
                .as(out.toString()).isZero();

        Map<String, List<JsonNode>> byRule = new TreeMap<>();
        for (String line : Files.readAllLines(outDir.resolve("alerts.ndjson"))) {
            JsonNode a = EcsJson.MAPPER.readTree(line);
            byRule.computeIfAbsent(a.at("/rule/id").asText(), k -> new java.util.ArrayList<>()).add(a);
        }
        // the correlated rule raises no alert of its own (generate is false)
        assertThat(byRule).doesNotContainKey("0b1c2d3e-0000-4000-8000-000000000001");
        List<JsonNode> spread = byRule.get("0b1c2d3e-0000-4000-8000-000000000002");
        assertThat(spread).extracting(a -> a.at("/vigil/alert/group_key").asText()).containsOnly("WORKSTATION5");
        assertThat(spread.stream().map(a -> a.at("/event/id").asText()).distinct()).hasSize(1);
        List<JsonNode> few = byRule.get("0b1c2d3e-0000-4000-8000-000000000003");
        assertThat(few).hasSize(1);
        assertThat(few.get(0).at("/vigil/alert/count").asLong()).isEqualTo(7);
    }
}
