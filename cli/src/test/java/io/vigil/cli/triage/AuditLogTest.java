package io.vigil.cli.triage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.connectors.elasticsearch.ElasticsearchConnection;
import io.vigil.jobs.stream.StreamingServices;
import io.vigil.jobs.wiring.Connections;
import io.vigil.model.EcsJson;
import java.time.Instant;
import java.util.List;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit log on the real node: an entry is created once and never overwritten, every action
 * leaves its intent and its outcome, a refused change included.
 */
class AuditLogTest {

    private static final Instant T = TestIncidents.T;

    private static RestClient rest;
    private static IncidentTriage triage;

    @BeforeAll
    static void services() throws Exception {
        rest = StreamingServices.REST;
        triage = new IncidentTriage(rest);
        Connections.installTemplates(ElasticsearchConnection.of(StreamingServices.ES.url()));
    }

    @Test
    void anEntryIsNeverOverwritten() throws Exception {
        AuditLog log = new AuditLog(rest);
        AuditEntry first = AuditEntry.intent("audit-once", IncidentTriage.Action.CLOSE, Actor.unverified("alice"), "open",
                "closed", null, "resolved", T);
        log.append(first);
        // the same action id with other content: refused, the first entry stays as it was
        AuditEntry forged = new AuditEntry(first.id(), AuditEntry.INTENT, null, T, "audit-once",
                IncidentTriage.Action.CLOSE, Actor.unverified("mallory"), "open", "closed", null, "nothing happened",
                null, null, null, null);
        assertThatThrownBy(() -> log.append(forged)).isInstanceOf(IncidentTriage.TriageException.class)
                .hasMessageContaining("the audit log already holds entry " + first.id())
                .hasMessageContaining("never overwritten");
        JsonNode stored = EcsJson.MAPPER.readTree(rest.performRequest(new Request("GET",
                "/" + first.index() + "/_doc/" + first.id())).getEntity().getContent());
        assertThat(stored.at("/_source/vigil/audit/actor").asText()).isEqualTo("alice");
        assertThat(stored.at("/_source/vigil/audit/reason").asText()).isEqualTo("resolved");
        assertThat(stored.path("_version").asLong()).isEqualTo(1);
    }

    @Test
    void aChangeRefusedForAnotherAnalystsIsAuditedWithItsOutcome() throws Exception {
        String id = "audit-refused";
        TestIncidents.write(rest, TestIncidents.open(id));
        IncidentTriage.Seen seenByBob = triage.read(id);
        triage.act(id, IncidentTriage.Action.CLOSE, Actor.unverified("alice"), null, "false positive", T.plusSeconds(60));
        assertThatThrownBy(() -> triage.act(seenByBob, IncidentTriage.Action.ASSIGN, Actor.unverified("bob"), "bob",
                null, T.plusSeconds(61))).isInstanceOf(IncidentTriage.TriageException.class);

        List<JsonNode> audit = TestIncidents.audit(rest, id);
        assertThat(audit).extracting(a -> a.at("/vigil/audit/entry").asText() + " " + a.at("/vigil/audit/action").asText()
                        + " " + a.at("/vigil/audit/actor").asText() + " " + a.at("/vigil/audit/outcome").asText("-")
                        + " " + a.at("/event/outcome").asText())
                .containsExactly("intent close alice - unknown", "outcome close alice applied success",
                        "intent assign bob - unknown", "outcome assign bob refused failure");
        assertThat(audit.get(3).at("/vigil/audit/detail").asText()).contains("changed by someone else")
                .contains("status: open -> closed");
        assertThat(audit.get(3).at("/vigil/audit/intent_id").asText()).isEqualTo(audit.get(2).at("/vigil/audit/id").asText());
        assertThat(TestIncidents.actions(rest, id)).containsExactly("close alice");
    }
}
