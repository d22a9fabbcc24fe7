package io.vigil.cli.replay;

import io.vigil.jobs.replay.ReplayJobTest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.formats.Datasets;
import io.vigil.cli.VigilCli;
import io.vigil.model.EcsJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil replay} end to end on the real shared datasets: the figures of each
 * GROUND_TRUTH.md come out of the command's own outputs.
 */
class ReplayDatasetTest {

    @TempDir
    Path out;

    private final StringWriter printed = new StringWriter();

    /** Runs the command line with its output captured (tests stay quiet). */
    private int vigil(String... args) {
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(printed, true));
        cl.setErr(new PrintWriter(printed, true));
        return cl.execute(args);
    }

    @Test
    void withoutEventsTheSameAlertsAndCountsAreWrittenAndNoEventsFile() throws Exception {
        Path log = Datasets.file("loghub/OpenSSH_2k.log");
        Path all = out.resolve("all");
        Path lean = out.resolve("lean");
        Files.createDirectories(lean);
        Files.writeString(lean.resolve("events.ndjson"), "{\"left\":\"by an earlier run\"}\n");
        assertThat(vigil("replay", "--quiet", "--year", "2024", "--out", all.toString(), log.toString())).isZero();
        assertThat(vigil("replay", "--quiet", "--no-events", "--year", "2024", "--out", lean.toString(), log.toString()))
                .isZero();

        assertThat(lean.resolve("events.ndjson")).doesNotExist();
        JsonNode summary = EcsJson.MAPPER.readTree(lean.resolve("summary.json").toFile());
        JsonNode full = EcsJson.MAPPER.readTree(all.resolve("summary.json").toFile());
        assertThat(summary.get("outputs").has("events")).isFalse();
        assertThat(full.get("outputs").has("events")).isTrue();
        for (String count : List.of("records", "events", "deadLetters", "alerts", "incidents")) {
            assertThat(summary.get(count)).as(count).isEqualTo(full.get(count));
        }
        assertThat(summary.get("alerts").asLong()).isPositive();
        assertThat(Files.readAllLines(lean.resolve("alerts.ndjson")))
                .containsExactlyElementsOf(Files.readAllLines(all.resolve("alerts.ndjson")));
    }

    @Test
    void openSshLogAsInItsGroundTruth() throws Exception {
        Path log = Datasets.file("loghub/OpenSSH_2k.log");
        assertThat(vigil("replay", "--quiet", "--year", "2024", "--out", out.toString(), log.toString()))
                .isZero();
        JsonNode summary = EcsJson.MAPPER.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("records").asLong()).isEqualTo(2000);
        assertThat(summary.get("deadLetters").asLong()).isZero();
        assertThat(summary.at("/byFormat/syslog").asLong()).isEqualTo(2000);
        assertThat(summary.at("/byAction/ssh_invalid_user").asLong()).isEqualTo(113);
        assertThat(summary.at("/byAction/ssh_login").asLong()).isEqualTo(529);
        assertThat(summary.at("/byActionOutcome/ssh_login~1failure").asLong()).isEqualTo(528);
        assertThat(summary.at("/byActionOutcome/ssh_login~1success").asLong()).isEqualTo(1);
        // ssh-brute-force: exactly the 11 source IPs of the addendum in loghub/GROUND_TRUTH.md
        List<JsonNode> alerts = ReplayJobTest.read(out.resolve("alerts.ndjson"));
        assertThat(alerts.stream().filter(a -> "ssh-brute-force".equals(a.at("/rule/id").asText()))
                .map(a -> a.at("/source/ip").asText()).distinct().sorted())
                .containsExactly("103.99.0.122", "106.5.5.195", "112.95.230.3", "119.4.203.64", "123.235.32.19",
                        "183.62.140.253", "185.190.58.151", "187.141.143.180", "5.188.10.180", "5.36.59.76",
                        "60.2.12.12");
        assertThat(summary.get("alerts").asLong()).isEqualTo(alerts.size());
        assertThat(alerts).extracting(a -> a.at("/event/id").asText()).doesNotHaveDuplicates();
        assertThat(printed.toString()).containsPattern("ssh_login/failure +528")
                .containsPattern("ssh_invalid_user +113").containsPattern("dead letters +0");

        List<JsonNode> events = ReplayJobTest.read(out.resolve("events.ndjson"));
        assertThat(summary.get("events").asLong()).isEqualTo(events.size());
        Map<String, Long> logins = events.stream()
                .filter(e -> "ssh_login".equals(e.at("/event/action").asText()))
                .collect(Collectors.groupingBy(e -> e.at("/event/outcome").asText(), Collectors.counting()));
        assertThat(logins).containsEntry("failure", 528L).containsEntry("success", 1L);
        JsonNode accepted = events.stream()
                .filter(e -> "success".equals(e.at("/event/outcome").asText())
                        && "ssh_login".equals(e.at("/event/action").asText()))
                .findFirst().orElseThrow();
        assertThat(accepted.at("/user/name").asText()).isEqualTo("fztu");
        assertThat(accepted.at("/source/ip").asText()).isEqualTo("119.137.62.142");
        assertThat(accepted.at("/@timestamp").asText()).isEqualTo("2024-12-10T09:32:20Z");
        assertThat(accepted.at("/vigil/origin/offset").asLong()).isEqualTo(956);
        assertThat(accepted.at("/event/original").asText())
                .isEqualTo("Dec 10 09:32:20 LabSZ sshd[24680]: Accepted password for fztu from 119.137.62.142 port 49116 ssh2");
    }

    @Test
    void everyOtrfFileDecodesWithoutDeadLetters() throws Exception {
        Path otrf = Datasets.root().resolve("otrf-security-datasets");
        assertThat(vigil("replay", "--quiet", "--timezone", "America/New_York", "--out", out.toString(),
                otrf.resolve("windows").toString(), otrf.resolve("aws").toString(), otrf.resolve("zeek").toString()))
                .isZero();
        JsonNode summary = EcsJson.MAPPER.readTree(out.resolve("summary.json").toFile());
        // windows 308 + 286 + 6140 + 2846 + 5489, aws 103, zeek 261 data rows (GROUND_TRUTH.md)
        assertThat(summary.at("/byFormat/windows").asLong()).isEqualTo(15069);
        assertThat(summary.at("/byFormat/cloudtrail").asLong()).isEqualTo(103);
        assertThat(summary.at("/byFormat/zeek").asLong()).isEqualTo(261);
        assertThat(summary.get("records").asLong()).isEqualTo(15069 + 103 + 261);
        assertThat(summary.get("deadLetters").asLong()).isZero();
        assertThat(summary.get("files").size()).isEqualTo(5 + 1 + 12);
        assertThat(summary.at("/byAction/logon-failed").asLong()).isEqualTo(7 + 1);
        assertThat(summary.at("/byAction/audit-log-cleared").asLong()).isEqualTo(1);
        assertThat(summary.at("/byAction/changed-audit-config").asLong()).isEqualTo(63);

        // every file read in one run, in parallel: the alerts of the files replayed one by one
        Map<String, Long> byRule = new java.util.TreeMap<>();
        summary.get("byRule").fields().forEachRemaining(e -> byRule.put(e.getKey(), e.getValue().asLong()));
        assertThat(byRule).containsExactlyInAnyOrderEntriesOf(Map.of(
                "password-spray", 1L,            // purplesharp: 7 users from WORKSTATION5
                "kerberoasting", 1L,             // purplesharp: pgustavo, RC4 tickets for 5 services
                "account-created-and-deleted", 1L, // empire_wmic: backdoor on WORKSTATION6
                "audit-policy-disabled", 1L,     // auditpol: 63 x 4719, one alert with suppressed count
                "security-log-cleared", 2L,      // auditpol System 104; cmd_psexec 1102 + 104
                "service-installed", 1L,         // cmd_psexec: PSEXESVC (7045 + 4697)
                "lsass-memory-access", 1L,       // rdp_interactive: taskmgr reads lsass, lsass.DMP
                "cloud-credential-exfiltration", 1L, // aws: instance-role session used by aws-cli
                // the windows recordings are one lab (theshire.local) on 2020-09-14, -09-22 and -10-22: the
                // first learns, the later ones are past the 7-day learning and within the 30-day retention
                "first-admin-logon-on-host", 4L,  // pgustavo privileged on WORKSTATION5, MORDORDC, 6 and 7
                "new-parent-process-for-host", 5L)); // WORKSTATION5: winlogon, atbroker, explorer, cmd, SearchIndexer
        List<JsonNode> alerts = ReplayJobTest.read(out.resolve("alerts.ndjson"));
        JsonNode backdoor = alerts.stream()
                .filter(a -> "account-created-and-deleted".equals(a.at("/rule/id").asText())).findFirst().orElseThrow();
        assertThat(backdoor.at("/host/name").asText()).isEqualTo("WORKSTATION6.theshire.local");
        assertThat(backdoor.at("/user/target/name").asText()).isEqualTo("backdoor");
        assertThat(backdoor.at("/threat/technique/id").toString()).contains("T1136");
    }
}
