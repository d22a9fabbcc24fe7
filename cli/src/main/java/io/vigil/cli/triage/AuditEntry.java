package io.vigil.cli.triage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.connectors.elasticsearch.IndexTemplates;
import io.vigil.model.EcsJson;
import io.vigil.model.Ids;
import java.time.Instant;

/**
 * One entry of the audit log ({@code vigil-audit-YYYY.MM.DD}). An action leaves two: its
 * <em>intent</em>, written before the incident is touched (who, what, on which incident, from
 * which status to which), and its <em>outcome</em> (applied, refused or failed), written after and
 * pointing at the intent. An intent without an outcome is an action whose end nobody saw (the
 * command was killed, the cluster went away): whether it was applied is then in the incident.
 *
 * @param id the entry's document id
 * @param entry {@link #INTENT} or {@link #OUTCOME}
 * @param intentId for an outcome, the id of its intent; {@code null} for an intent
 * @param outcome for an outcome: {@link #APPLIED}, {@link #REFUSED} or {@link #FAILED}
 * @param detail for an outcome: why it was refused or failed
 * @param seqNo for an applied outcome: the incident's sequence number after the change
 * @param primaryTerm for an applied outcome: the incident's primary term after the change
 */
public record AuditEntry(String id, String entry, String intentId, Instant timestamp, String incidentId,
                         IncidentTriage.Action action, Actor actor, String statusBefore, String statusAfter,
                         String assignee, String reason, String outcome, String detail, Long seqNo,
                         Long primaryTerm) {

    public static final String INTENT = "intent";
    public static final String OUTCOME = "outcome";
    /** The incident was changed. */
    public static final String APPLIED = "applied";
    /** Elasticsearch or the triage rules refused the change (someone else changed the incident, a merge). */
    public static final String REFUSED = "refused";
    /** The change could not be made (the cluster failed or could not be reached): see the incident. */
    public static final String FAILED = "failed";

    /** What an analyst is about to do: written before the incident is changed. */
    public static AuditEntry intent(String incidentId, IncidentTriage.Action action, Actor actor, String statusBefore,
                                    String statusAfter, String assignee, String reason, Instant at) {
        String id = Ids.of("audit", incidentId, action.word, at.toString(), actor.name());
        return new AuditEntry(id, INTENT, null, at, incidentId, action, actor, statusBefore, statusAfter, assignee,
                reason, null, null, null, null);
    }

    /** How this intent ended. */
    public AuditEntry outcome(String outcome, String detail, Long seqNo, Long primaryTerm) {
        return new AuditEntry(Ids.of("audit-outcome", id), OUTCOME, id, timestamp, incidentId, action, actor,
                statusBefore, statusAfter, assignee, reason, outcome, detail, seqNo, primaryTerm);
    }

    /** The daily index the entry goes to. */
    public String index() {
        return IndexTemplates.dailyIndex(IndexTemplates.AUDIT, timestamp);
    }

    /** The entry as its document: ECS {@code event.*} and {@code user.name}, the rest under {@code vigil.audit}. */
    public ObjectNode document() {
        ObjectNode doc = EcsJson.MAPPER.createObjectNode();
        doc.put("@timestamp", timestamp.toString());
        ObjectNode event = doc.putObject("event");
        event.put("kind", "event");
        event.put("category", "configuration");
        event.put("type", "change");
        event.put("action", "incident-" + action.word);
        event.put("outcome", outcome == null ? "unknown" : APPLIED.equals(outcome) ? "success" : "failure");
        doc.putObject("user").put("name", actor.name());
        ObjectNode audit = doc.putObject("vigil").putObject("audit");
        audit.put("id", id);
        audit.put("entry", entry);
        putIfSet(audit, "intent_id", intentId);
        audit.put("incident_id", incidentId);
        audit.put("action", action.word);
        audit.put("actor", actor.name());
        audit.put("unverified", !actor.verified());
        putIfSet(audit, "authentication", actor.authentication());
        audit.put("status_before", statusBefore);
        audit.put("status_after", statusAfter);
        putIfSet(audit, "assignee", assignee);
        putIfSet(audit, "reason", reason);
        putIfSet(audit, "outcome", outcome);
        putIfSet(audit, "detail", detail);
        if (seqNo != null) {
            audit.put("seq_no", seqNo);
            audit.put("primary_term", primaryTerm);
        }
        return doc;
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null && !value.isBlank()) {
            node.put(field, value);
        }
    }
}
