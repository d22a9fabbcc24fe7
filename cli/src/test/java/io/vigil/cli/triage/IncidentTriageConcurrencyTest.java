package io.vigil.cli.triage;

import io.vigil.jobs.stream.StreamingServices;

import io.vigil.jobs.wiring.Connections;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.jobs.incident.IncidentDocuments;
import io.vigil.cli.triage.IncidentTriage;
import io.vigil.model.EcsJson;
import io.vigil.model.Incident;
import java.time.Instant;
import java.util.List;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Triage with optimistic concurrency on the real node: an action is applied to the incident as the
 * analyst saw it. Another analyst's change in between makes it fail, writing nothing; the stream's
 * own update in between (new alerts) makes it try again on the new version.
 */
class IncidentTriageConcurrencyTest {

    private static final Instant T = Instant.parse("2024-07-04T09:00:00Z");

    private static RestClient rest;
    private static IncidentTriage triage;

    @BeforeAll
    static void services() throws Exception {
        rest = StreamingServices.REST;
        triage = new IncidentTriage(rest);
        Connections.installTemplates(io.vigil.connectors.elasticsearch.ElasticsearchConnection.of(
                StreamingServices.ES.url()));
    }

    private static Incident incident(String id, long alerts) {
        return new Incident(id, "SSH brute force from 198.51.100.61", Incident.OPEN, null, null, T.minusSeconds(60), T,
                List.of("root"), List.of(), List.of("bastion"), List.of("198.51.100.61"), alerts,
                List.of("ssh-brute-force"), "medium", 47, List.of("TA0006"), null, alerts);
    }

    /** Writes {@code i} as the stream does: the partial document of its fields, the whole one when new. */
    private static void streamWrites(Incident i) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode body = EcsJson.MAPPER.createObjectNode();
        body.set("doc", IncidentDocuments.streamFields(i));
        body.set("upsert", IncidentDocuments.created(i));
        Request r = new Request("POST", "/vigil-incidents/_update/" + i.id());
        r.addParameter("refresh", "true");
        r.setJsonEntity(EcsJson.toJson(body));
        rest.performRequest(r);
    }

    private static List<String> actionsOn(String id) throws Exception {
        return triage.timeline(id).stream().map(e -> e.at("/vigil/timeline/action").asText("") + " "
                + e.at("/vigil/timeline/actor").asText("")).toList();
    }

    @Test
    void anActionOnWhatAnotherAnalystChangedMeanwhileFailsAndWritesNothing() throws Exception {
        String id = "occ-analysts";
        streamWrites(incident(id, 3));
        IncidentTriage.Seen seenByBob = triage.read(id);
        triage.act(id, IncidentTriage.Action.CLOSE, Actor.unverified("alice"), null, "false positive", T.plusSeconds(60));

        assertThatThrownBy(() -> triage.act(seenByBob, IncidentTriage.Action.ASSIGN, Actor.unverified("bob"), "bob",
                null, T.plusSeconds(61)))
                .isInstanceOf(IncidentTriage.TriageException.class)
                .hasMessageContaining("changed by someone else")
                .hasMessageContaining("status: open -> closed")
                .hasMessageContaining("nothing was changed");
        JsonNode now = triage.get(id);
        assertThat(now.at("/vigil/incident/status").asText()).isEqualTo("closed");
        assertThat(now.at("/vigil/incident/assignee").isMissingNode()).isTrue();
        assertThat(actionsOn(id)).containsExactly("close alice");
    }

    @Test
    void anActionOnWhatOnlyTheStreamChangedMeanwhileIsAppliedToTheNewVersion() throws Exception {
        String id = "occ-stream";
        streamWrites(incident(id, 3));
        IncidentTriage.Seen seen = triage.read(id);
        streamWrites(incident(id, 4));

        triage.act(seen, IncidentTriage.Action.ACK, Actor.unverified("bob"), null, null, T.plusSeconds(60));
        JsonNode now = triage.get(id);
        assertThat(now.at("/vigil/incident/status").asText()).isEqualTo("acknowledged");
        assertThat(now.at("/vigil/incident/alert_count").asLong()).isEqualTo(4);
        assertThat(triage.read(id).seqNo()).isGreaterThan(seen.seqNo() + 1);
        assertThat(actionsOn(id)).containsExactly("ack bob");
    }
}
