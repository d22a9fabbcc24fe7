package io.vigil.cli.triage;

import io.vigil.jobs.stream.StreamingServices;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.formats.Datasets;
import io.vigil.cli.VigilCli;
import io.vigil.model.EcsJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Incidents and timelines from real logs in the real Elasticsearch node, through the command
 * line: {@code vigil replay --es}, then triage with {@code vigil incidents}, then the same replay
 * again, which must keep the analysts' work.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IncidentsElasticsearchTest {

    private static RestClient rest;
    private static String url;

    @TempDir
    static Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void services() throws Exception {
        rest = StreamingServices.REST;
        url = StreamingServices.ES.url();
        // a clean slate: other tests of this JVM may have written incidents
        rest.performRequest(new Request("DELETE", "/vigil-incidents*,vigil-timeline-*?ignore_unavailable=true"));
    }

    private int vigil(String... args) {
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private static List<JsonNode> search(String index, String query) throws Exception {
        rest.performRequest(new Request("POST", "/" + index + "/_refresh"));
        Request r = new Request("GET", "/" + index + "/_search");
        r.setJsonEntity(query);
        List<JsonNode> hits = new ArrayList<>();
        EcsJson.MAPPER.readTree(rest.performRequest(r).getEntity().getContent()).at("/hits/hits")
                .forEach(h -> hits.add(h.get("_source")));
        return hits;
    }

    private static List<JsonNode> sshIncidents() throws Exception {
        return search("vigil-incidents", "{\"size\":100,\"query\":{\"bool\":{\"filter\":[{\"term\":"
                + "{\"vigil.incident.rule_ids\":\"ssh-brute-force\"}}],\"must_not\":[{\"exists\":"
                + "{\"field\":\"vigil.incident.merged_into\"}}]}}}");
    }

    private static JsonNode incidentOf(String ip) throws Exception {
        return sshIncidents().stream().filter(i -> i.at("/source/ip/0").asText().equals(ip)).findFirst().orElseThrow();
    }

    @Test
    @Order(1)
    void openSshYieldsOneIncidentPerAttackingAddressHoldingItsAlerts() throws Exception {
        Path log = Datasets.file("loghub/OpenSSH_2k.log");
        assertThat(vigil("replay", "--quiet", "--es", url, "--out", dir.resolve("ssh").toString(), log.toString()))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("incidents");
        // alerts per source address, as Elasticsearch holds them
        Map<String, Long> alertsByIp = new TreeMap<>();
        for (JsonNode a : search("vigil-alerts-*", "{\"size\":1000,\"query\":{\"term\":{\"rule.ruleset\":\"vigil\"}}}")) {
            if (a.at("/host/name").asText().equals("LabSZ")) {
                alertsByIp.merge(a.at("/source/ip").asText(), 1L, Long::sum);
            }
        }
        List<JsonNode> incidents = sshIncidents();
        assertThat(incidents).hasSize(alertsByIp.size()).hasSizeGreaterThan(5);
        Map<String, Long> incidentAlerts = new TreeMap<>();
        for (JsonNode i : incidents) {
            assertThat(i.at("/source/ip")).as("one attacking address per incident").hasSize(1);
            assertThat(i.at("/vigil/incident/status").asText()).isEqualTo("open");
            incidentAlerts.put(i.at("/source/ip/0").asText(), i.at("/vigil/incident/alert_count").asLong());
        }
        assertThat(incidentAlerts).isEqualTo(alertsByIp);
        JsonNode busiest = incidentOf("183.62.140.253");
        assertThat(busiest.at("/vigil/incident/rule_ids").toString())
                .contains("ssh-brute-force", "password-spray", "ssh-user-enumeration");
        assertThat(busiest.at("/vigil/incident/tactics").toString()).isEqualTo("[\"Credential Access\",\"Discovery\"]");
        // its timeline: its alerts, each with key events, in time order
        String id = busiest.at("/vigil/incident/id").asText();
        List<JsonNode> timeline = search("vigil-timeline-*", "{\"size\":1000,\"query\":{\"term\":"
                + "{\"vigil.timeline.incident_id\":\"" + id + "\"}},\"sort\":[{\"@timestamp\":\"asc\"}]}");
        assertThat(timeline.stream().filter(e -> e.at("/vigil/timeline/kind").asText().equals("alert")))
                .hasSize((int) busiest.at("/vigil/incident/alert_count").asLong());
        assertThat(timeline).anySatisfy(e -> assertThat(e.at("/vigil/timeline/ref/origin").asText())
                .contains("OpenSSH_2k.log:"));
    }

    @Test
    @Order(2)
    void theBackdoorAccountIsOneIncidentOnWorkstation6WithItsTimelineInOrder() throws Exception {
        Path file = Datasets.root().resolve(
                "otrf-security-datasets/windows/empire_wmic_add_user_backdoor_2020-09-14080546.security_system.json");
        assertThat(vigil("replay", "--quiet", "--es", url, "--out", dir.resolve("backdoor").toString(),
                file.toString())).as(err.toString()).isZero();
        List<JsonNode> incidents = search("vigil-incidents", "{\"query\":{\"term\":{\"host.name\":"
                + "\"WORKSTATION6.theshire.local\"}}}");
        assertThat(incidents).hasSize(1);
        JsonNode inc = incidents.get(0);
        assertThat(inc.at("/vigil/incident/rule_ids").toString()).contains("account-created-and-deleted");
        assertThat(inc.at("/user/target/name/0").asText()).isEqualTo("backdoor");
        out.getBuffer().setLength(0);
        assertThat(vigil("incidents", "show", "--es", url, inc.at("/vigil/incident/id").asText())).isZero();
        String shown = out.toString();
        assertThat(shown).contains("account-created-and-deleted on WORKSTATION6.theshire.local");
        // the creation (12:06:03.907), then the deletion and the alert (12:06:03.910)
        int created = shown.indexOf("2020-09-14T12:06:03.907Z");
        int alert = shown.indexOf("2020-09-14T12:06:03.910Z  alert");
        assertThat(created).isPositive();
        assertThat(alert).as(shown).isGreaterThan(created);
    }

    @Test
    @Order(3)
    void triageActionsPersistAppearInTheTimelineAndSurviveAReplay() throws Exception {
        JsonNode before = incidentOf("5.188.10.180");
        String id = before.at("/vigil/incident/id").asText();
        assertThat(vigil("incidents", "ack", "--es", url, "--as", "bob", id)).as(err.toString()).isZero();
        assertThat(vigil("incidents", "assign", "--es", url, "--as", "bob", "--to", "alice", id)).isZero();
        assertThat(vigil("incidents", "close", "--es", url, "--as", "alice", "--reason", "blocked at the firewall", id))
                .isZero();
        assertThat(vigil("incidents", "close", "--es", url, "--as", "alice", id)).isEqualTo(VigilCli.USAGE);
        assertThat(vigil("incidents", "ack", "--es", url, "--as", "bob", "0000")).isEqualTo(VigilCli.FAILURE);
        assertThat(err.toString()).contains("no incident 0000");

        // the same input again: the stream rewrites its fields, never the analysts'
        assertThat(vigil("replay", "--quiet", "--es", url, "--out", dir.resolve("ssh2").toString(),
                Datasets.file("loghub/OpenSSH_2k.log").toString())).isZero();
        JsonNode after = incidentOf("5.188.10.180");
        assertThat(after.at("/vigil/incident/status").asText()).isEqualTo("closed");
        assertThat(after.at("/vigil/incident/assignee").asText()).isEqualTo("alice");
        assertThat(after.at("/vigil/incident/close_reason").asText()).isEqualTo("blocked at the firewall");
        assertThat(after.at("/vigil/incident/alert_count")).isEqualTo(before.at("/vigil/incident/alert_count"));

        List<JsonNode> actions = search("vigil-timeline-*", "{\"size\":100,\"query\":{\"bool\":{\"filter\":["
                + "{\"term\":{\"vigil.timeline.incident_id\":\"" + id + "\"}},{\"term\":{\"vigil.timeline.kind\":\"action\"}}]}},"
                + "\"sort\":[{\"@timestamp\":\"asc\"}]}");
        assertThat(actions).extracting(a -> a.at("/vigil/timeline/action").asText() + " " + a.at("/vigil/timeline/actor").asText())
                .containsExactly("ack bob", "assign bob", "close alice");
        out.getBuffer().setLength(0);
        assertThat(vigil("incidents", "list", "--es", url, "--status", "closed")).isZero();
        assertThat(out.toString()).contains(id).contains("alice").doesNotContain("183.62.140.253");
        out.getBuffer().setLength(0);
        assertThat(vigil("incidents", "show", "--es", url, id)).isZero();
        assertThat(out.toString()).contains("close by alice").contains("blocked at the firewall")
                .contains("assign by bob");
        // no duplicate incidents after the second replay
        assertThat(new TreeSet<>(sshIncidents().stream().map(i -> i.at("/source/ip/0").asText()).toList()))
                .hasSize(sshIncidents().size());
    }
}
