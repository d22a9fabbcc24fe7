package io.vigil.cli.triage;

import io.vigil.jobs.stream.StreamingJobTest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.incident.IncidentAssembler;
import io.vigil.cli.triage.IncidentTriage;
import io.vigil.model.EcsJson;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.elasticsearch.client.Request;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A closed incident never silently absorbs a returning attacker, on the real broker and node: the
 * streaming job opens an incident, an analyst assigns and closes it with {@link IncidentTriage},
 * the same address attacks again within the incident window, and the job opens a new incident
 * linked to the closed one, says so on both timelines, and leaves the analysts' fields alone.
 */
class IncidentReopenStreamingTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final String IP = "203.0.113.201";
    private static final Instant T0 = Instant.parse("2024-07-03T10:00:00Z");

    @TempDir
    Path dir;

    private final StreamingJobTest helper = new StreamingJobTest();

    @BeforeAll
    static void services() {
        StreamingJobTest.services();
    }

    /** Six failed logins from {@link #IP} at {@code t} (one ssh-brute-force alert), then an event 10 minutes on. */
    private static void attack(String prefix, Instant t) throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(
                StreamingJobTest.bruteForce(prefix + ".syslog", IP, t, 6, false));
        records.add(StreamingJobTest.record(prefix + ".syslog", t.plusSeconds(600), StreamingJobTest.SYSLOG
                .format(t.plusSeconds(600)) + " bastion CRON[9]: pam_unix(cron:session): session closed for user root"));
        StreamingJobTest.produce(records);
    }

    private static List<JsonNode> incidentsOf(String ip) throws Exception {
        StreamingJobTest.rest.performRequest(new Request("POST", "/vigil-incidents/_refresh"));
        Request q = new Request("GET", "/vigil-incidents/_search");
        q.setJsonEntity("{\"size\":10,\"sort\":[{\"vigil.incident.first_seen\":\"asc\"}],"
                + "\"query\":{\"bool\":{\"filter\":[{\"term\":{\"source.ip\":\"" + ip + "\"}},"
                // this test's day: other tests' traffic may use the same documentation address
                + "{\"range\":{\"vigil.incident.first_seen\":{\"gte\":\"" + T0 + "\",\"lt\":\"" + T0.plusSeconds(86_400)
                + "\"}}}]}}}");
        List<JsonNode> out = new ArrayList<>();
        EcsJson.MAPPER.readTree(StreamingJobTest.rest.performRequest(q).getEntity().getContent()).at("/hits/hits")
                .forEach(h -> out.add(h.get("_source")));
        return out;
    }

    /** The reopen entries of the timelines of {@code incidents} (other tests write timelines to the same node). */
    private static List<JsonNode> reopenEntries(List<JsonNode> incidents) throws Exception {
        StreamingJobTest.rest.performRequest(new Request("POST", "/vigil-timeline-*/_refresh"));
        Request q = new Request("GET", "/vigil-timeline-*/_search");
        StringBuilder ids = new StringBuilder();
        incidents.forEach(i -> ids.append(ids.isEmpty() ? "" : ",").append('"')
                .append(i.at("/vigil/incident/id").asText()).append('"'));
        q.setJsonEntity("{\"size\":10,\"query\":{\"bool\":{\"filter\":[{\"term\":{\"vigil.timeline.action\":\""
                + IncidentAssembler.REOPEN + "\"}},{\"terms\":{\"vigil.timeline.incident_id\":[" + ids + "]}}]}}}");
        List<JsonNode> out = new ArrayList<>();
        EcsJson.MAPPER.readTree(StreamingJobTest.rest.performRequest(q).getEntity().getContent()).at("/hits/hits")
                .forEach(h -> out.add(h.get("_source")));
        return out;
    }

    @Test
    void anAlertAfterAnalystsClosedTheIncidentOpensANewLinkedIncidentAndLeavesTheirFieldsAlone() throws Exception {
        String prefix = "reopen";
        StreamingJobTest.kafka.createTopics(1, prefix + ".syslog", prefix + ".windows", prefix + ".dead-letters",
                prefix + ".alerts");
        Map<String, String> m = helper.settings(prefix, dir.resolve("chk").toString());
        m.put("incidents.status.cache-ttl", "200ms");
        VigilConfig config = VigilConfig.of(m, "test");
        IncidentTriage triage = new IncidentTriage(StreamingJobTest.rest);
        attack(prefix, T0);

        JobClient job = helper.start(config);
        try {
            List<JsonNode> found = new ArrayList<>();
            StreamingJobTest.await("the first incident", () -> StreamingJobTest.safely(() -> {
                found.clear();
                found.addAll(incidentsOf(IP));
                return found.size() == 1;
            }));
            String closedId = found.get(0).at("/vigil/incident/id").asText();
            triage.act(closedId, IncidentTriage.Action.ASSIGN, Actor.unverified("bob"), "alice", null,
                    Instant.parse("2024-07-03T12:00:00Z"));
            triage.act(closedId, IncidentTriage.Action.CLOSE, Actor.unverified("alice"), null, "blocked at the firewall",
                    Instant.parse("2024-07-03T12:05:00Z"));

            // the address comes back an hour later: well within the 24-hour incident window
            attack(prefix, T0.plusSeconds(3600));
            StreamingJobTest.await("a second incident", () -> StreamingJobTest.safely(() -> {
                found.clear();
                found.addAll(incidentsOf(IP));
                return found.size() == 2 && reopenEntries(found).size() == 2;
            }));
            JsonNode closed = found.get(0);
            JsonNode continued = found.get(1);
            assertThat(closed.at("/vigil/incident/id").asText()).isEqualTo(closedId);
            assertThat(closed.at("/vigil/incident/status").asText()).isEqualTo("closed");
            assertThat(closed.at("/vigil/incident/assignee").asText()).isEqualTo("alice");
            assertThat(closed.at("/vigil/incident/close_reason").asText()).isEqualTo("blocked at the firewall");
            assertThat(closed.at("/vigil/incident/status_changed").asText()).isEqualTo("2024-07-03T12:05:00Z");
            assertThat(closed.at("/vigil/incident/alert_count").asLong()).isEqualTo(1);
            assertThat(continued.at("/vigil/incident/status").asText()).isEqualTo("open");
            assertThat(continued.at("/vigil/incident/linked_to").toString()).isEqualTo("[\"" + closedId + "\"]");
            assertThat(continued.at("/vigil/incident/alert_count").asLong()).isEqualTo(1);
            String continuedId = continued.at("/vigil/incident/id").asText();

            // both timelines say which alert did it
            List<JsonNode> alerts = StreamingJobTest.alerts("vigil-alerts-2024.07.03", IP);
            String returning = alerts.stream().map(h -> h.get("_source"))
                    .filter(a -> a.at("/@timestamp").asText().compareTo("2024-07-03T11:00:00Z") > 0)
                    .map(a -> a.at("/event/id").asText()).findFirst().orElseThrow();
            List<JsonNode> onClosed = triage.timeline(closedId);
            assertThat(onClosed).anySatisfy(e -> {
                assertThat(e.at("/vigil/timeline/action").asText()).isEqualTo(IncidentAssembler.REOPEN);
                assertThat(e.at("/vigil/timeline/ref/id").asText()).isEqualTo(returning);
                assertThat(e.at("/vigil/timeline/summary").asText()).contains(returning).contains(continuedId);
            });
            assertThat(onClosed).extracting(e -> e.at("/vigil/timeline/action").asText(""))
                    .contains("assign", "close");
            assertThat(triage.timeline(continuedId)).anySatisfy(e -> {
                assertThat(e.at("/vigil/timeline/action").asText()).isEqualTo(IncidentAssembler.REOPEN);
                assertThat(e.at("/vigil/timeline/ref/id").asText()).isEqualTo(closedId);
                assertThat(e.at("/vigil/timeline/summary").asText()).contains(returning);
            });
        } finally {
            StreamingJobTest.cancel(job);
        }
    }
}
