package io.vigil.jobs.context;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.formats.DecoderOptions;
import io.vigil.formats.Formats;
import io.vigil.jobs.replay.ReplayOptions;
import io.vigil.jobs.replay.ReplayRunner;
import io.vigil.model.EcsJson;
import io.vigil.rules.verify.RuleSet;
import io.vigil.rules.RuleSource;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay with hosts and identities tables ({@code --assets}, {@code --identities} through
 * {@link ReplayOptions#context()}): events and alerts carry what the tables know, and an alert on
 * a critical host has a higher risk score than the same rule's on an unknown host, and so has its
 * incident.
 */
class AssetsReplayTest {

    private static final String DRL = """
            package test.assets;
            import io.vigil.model.SecurityEvent;
            import io.vigil.rules.Signal;

            rule "ssh-failure"
                @name("SSH failure") @description("a failed SSH sign-in") @severity("medium") @riskScore(47)
                @tactics("TA0006") @techniques("T1110") @shape("single") @groupBy("host.name")
            when
                $e : SecurityEvent(eventAction == "ssh_login", eventOutcome == "failure")
            then
                insert(new Signal($e));
            end
            """;

    @TempDir
    Path dir;

    @Test
    void alertsOnACriticalHostCarryItsCriticalityAndAHigherRiskScore() throws Exception {
        Files.createDirectories(dir.resolve("in"));
        Path log = Files.writeString(dir.resolve("in/auth.log"), String.join("\n",
                "Dec 10 06:55:48 dc01 sshd[24200]: Failed password for root from 173.234.31.186 port 38926 ssh2",
                "Dec 10 06:56:48 kiosk sshd[24201]: Failed password for root from 173.234.31.186 port 38927 ssh2",
                "Dec 10 06:57:48 kiosk sshd[24202]: Accepted password for fztu from 119.137.62.142 port 49116 ssh2",
                ""));
        Path hosts = Files.writeString(dir.resolve("hosts.csv"), """
                name,criticality,owner,environment,zone
                dc01.corp.example,critical,Identity Team,prod,internal
                """);
        Path identities = Files.writeString(dir.resolve("identities.csv"), """
                user,privileged,service_account,department
                root,true,false,IT
                """);
        ContextConfig context = ContextConfig.DEFAULTS.withFiles(List.of(), List.of(), hosts, identities);
        Path out = dir.resolve("out");
        ReplayOptions options = new ReplayOptions(List.of(log), Formats.SYSLOG, out,
                DecoderOptions.defaults().withYear(2024).withZone(ZoneId.of("UTC")), 1, 0,
                RuleSet.verified(List.of(new RuleSource("test/assets.drl", DRL))), Duration.ofMinutes(30), null, null,
                true, io.vigil.rules.exceptions.RuleExceptions.NONE, context);
        new ReplayRunner(new PrintStream(OutputStream.nullOutputStream())).run(options);

        Map<String, JsonNode> alerts = byHost(read(out.resolve(ReplayRunner.ALERTS_FILE)));
        assertThat(alerts).containsOnlyKeys("dc01", "kiosk");
        JsonNode dc = alerts.get("dc01");
        // 47 × 1.5 (critical host) × 1.25 (privileged root) = 88.1
        assertThat(dc.at("/event/risk_score").asInt()).isEqualTo(88);
        assertThat(dc.at("/host/asset/criticality").asText()).isEqualTo("critical");
        assertThat(dc.at("/host/asset/owner").asText()).isEqualTo("Identity Team");
        assertThat(dc.at("/vigil/identity/privileged").asText()).isEqualTo("true");
        JsonNode kiosk = alerts.get("kiosk");
        // an unknown host: only the privileged account counts
        assertThat(kiosk.at("/event/risk_score").asInt()).isEqualTo(59);
        assertThat(kiosk.at("/host/asset").isMissingNode()).isTrue();

        List<JsonNode> events = read(out.resolve(ReplayRunner.EVENTS_FILE));
        assertThat(events).hasSize(3);
        assertThat(events).filteredOn(e -> "dc01".equals(e.at("/host/name").asText()))
                .singleElement().satisfies(e -> {
                    assertThat(e.at("/host/asset/zone").asText()).isEqualTo("internal");
                    assertThat(e.at("/vigil/identity/department").asText()).isEqualTo("IT");
                });
        assertThat(events).filteredOn(e -> "fztu".equals(e.at("/user/name").asText()))
                .singleElement().satisfies(e -> assertThat(e.at("/vigil/identity").isMissingNode()).isTrue());

        // the incident's risk follows its alerts' (IncidentAssembler takes the highest alert risk)
        List<JsonNode> incidents = read(out.resolve(ReplayRunner.INCIDENTS_FILE));
        assertThat(incidents).isNotEmpty();
        assertThat(incidents.stream().mapToInt(i -> i.at("/vigil/incident/risk_score").asInt()).max().orElseThrow())
                .isGreaterThanOrEqualTo(88);
    }

    private static Map<String, JsonNode> byHost(List<JsonNode> alerts) {
        Map<String, JsonNode> m = new TreeMap<>();
        for (JsonNode a : alerts) {
            m.put(a.at("/host/name").asText(), a);
        }
        return m;
    }

    private static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                docs.add(EcsJson.MAPPER.readTree(line));
            }
        }
        return docs;
    }
}
