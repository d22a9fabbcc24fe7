package io.vigil.cli.triage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.connectors.elasticsearch.IndexTemplates;
import io.vigil.connectors.elasticsearch.PathSegment;
import io.vigil.connectors.webhook.DeliveryAttempt;
import io.vigil.jobs.incident.IncidentDocuments;
import io.vigil.jobs.webhook.DeliveryDocuments;
import io.vigil.jobs.webhook.WebhookRequests;
import io.vigil.model.EcsJson;
import io.vigil.model.Ids;
import io.vigil.model.Incident;
import io.vigil.model.TimelineEntry;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * Analysts' side of incidents in Elasticsearch: find them, read their timelines, and act on them
 * (acknowledge, assign, close). Every action is audited first (the append-only audit log), then
 * updates the incident's analyst fields and is appended to its timeline with who, when and why;
 * the stream never writes those fields.
 */
public final class IncidentTriage {

    /** An action an analyst takes on an incident. */
    public enum Action {
        ACK("ack"), ASSIGN("assign"), CLOSE("close");

        public final String word;

        Action(String word) {
            this.word = word;
        }
    }

    /**
     * Why an action cannot be taken: unknown incident, merged incident, a transition the incident's
     * status does not allow, a missing reason, an actor the cluster did not authenticate.
     */
    public static final class TriageException extends Exception {
        private static final long serialVersionUID = 1L;

        public TriageException(String message) {
            super(message);
        }
    }

    private final RestClient rest;
    private final AuditLog audit;

    public IncidentTriage(RestClient rest) {
        this.rest = rest;
        this.audit = new AuditLog(rest);
    }

    /**
     * Incidents not merged into another, highest risk first, then most recent.
     *
     * @param status only this status, or {@code null}
     * @param severity only this severity, or {@code null}
     * @param since only incidents last seen at or after this time, or {@code null}
     */
    public List<JsonNode> list(String status, String severity, Instant since, int size) throws IOException {
        ObjectNode query = EcsJson.MAPPER.createObjectNode();
        ObjectNode bool = query.putObject("query").putObject("bool");
        ArrayNode filter = bool.putArray("filter");
        if (status != null) {
            filter.addObject().putObject("term").put("vigil.incident.status", status);
        }
        if (severity != null) {
            filter.addObject().putObject("term").put("vigil.incident.severity", severity);
        }
        if (since != null) {
            filter.addObject().putObject("range").putObject("vigil.incident.last_seen").put("gte", since.toString());
        }
        bool.putArray("must_not").addObject().putObject("exists").put("field", "vigil.incident.merged_into");
        ArrayNode sort = query.putArray("sort");
        sort.addObject().put("vigil.incident.risk_score", "desc");
        sort.addObject().put("vigil.incident.last_seen", "desc");
        sort.addObject().put("vigil.incident.id", "asc");
        query.put("size", size);
        return hits(search(IndexTemplates.INCIDENTS, query));
    }

    /**
     * An incident document as read, with the sequence number and primary term Elasticsearch gave
     * it: an update made with them fails if anyone wrote the document since.
     */
    public record Seen(String id, JsonNode source, long seqNo, long primaryTerm) {
        /** The analysts' fields as they were read. */
        public Map<String, String> analystFields() {
            Map<String, String> fields = new LinkedHashMap<>();
            for (String f : IncidentDocuments.ANALYST_FIELDS) {
                fields.put(f, source.at("/vigil/incident/" + f).asText(null));
            }
            return fields;
        }
    }

    /** Tries of an action whose incident only the stream changed meanwhile. */
    static final int MAX_ATTEMPTS = 5;

    /** The incident document ({@code _source}). */
    public JsonNode get(String id) throws IOException, TriageException {
        return read(id).source();
    }

    /** The incident document with its sequence number and primary term. */
    public Seen read(String id) throws IOException, TriageException {
        if (id == null || id.isEmpty()) {
            throw new TriageException("give an incident id");
        }
        try {
            // the id is typed by an analyst or pasted from a document: one encoded path segment
            JsonNode doc = EcsJson.MAPPER.readTree(rest.performRequest(new Request("GET",
                    "/" + IndexTemplates.INCIDENTS + "/_doc/" + PathSegment.encode(id))).getEntity().getContent());
            return new Seen(id, doc.get("_source"), doc.path("_seq_no").asLong(), doc.path("_primary_term").asLong());
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() == 404) {
                throw new TriageException("no incident " + id + " in " + IndexTemplates.INCIDENTS);
            }
            throw e;
        }
    }

    /**
     * The timeline of an incident and of the incidents merged into it, in time order (alerts
     * before their events at the same time), with the webhook delivery attempts of those incidents
     * and of their alerts as entries of kind {@link TimelineEntry#DELIVERY}.
     *
     * <p>Entries are ordered as Elasticsearch sorts the timeline: by {@code @timestamp} (to the
     * millisecond, the resolution of the {@code date} field), then kind, then id.
     */
    public List<JsonNode> timeline(String id) throws IOException {
        List<String> ids = new ArrayList<>(List.of(id));
        ObjectNode merged = EcsJson.MAPPER.createObjectNode();
        merged.putObject("query").putObject("term").put("vigil.incident.merged_into", id);
        merged.put("size", 1000);
        for (JsonNode m : hits(search(IndexTemplates.INCIDENTS, merged))) {
            ids.add(m.at("/vigil/incident/id").asText());
        }
        ObjectNode query = EcsJson.MAPPER.createObjectNode();
        ArrayNode terms = query.putObject("query").putObject("terms").putArray("vigil.timeline.incident_id");
        ids.forEach(terms::add);
        ArrayNode sort = query.putArray("sort");
        sort.addObject().put("@timestamp", "asc");
        sort.addObject().put("vigil.timeline.kind", "asc");
        sort.addObject().put("vigil.timeline.id", "asc");
        query.put("size", 10_000);
        List<Sorted> entries = new ArrayList<>();
        for (JsonNode hit : search(IndexTemplates.TIMELINE + "-*", query).at("/hits/hits")) {
            JsonNode key = hit.path("sort");
            entries.add(new Sorted(key.path(0).asLong(), key.path(1).asText(), key.path(2).asText(), hit.get("_source")));
        }
        entries.addAll(deliveries(id, ids, entries));
        // stable, and the order Elasticsearch gave the timeline entries
        entries.sort(Sorted.ORDER);
        List<JsonNode> timeline = new ArrayList<>(entries.size());
        entries.forEach(e -> timeline.add(e.doc()));
        return timeline;
    }

    /** A timeline document and the keys the timeline is sorted on. */
    private record Sorted(long millis, String kind, String id, JsonNode doc) {
        static final Comparator<Sorted> ORDER = Comparator.comparingLong(Sorted::millis)
                .thenComparing(Sorted::kind).thenComparing(Sorted::id);
    }

    /**
     * The delivery attempts of the incidents {@code ids} and of the alerts their timeline
     * {@code entries} hold, as timeline documents.
     */
    private List<Sorted> deliveries(String id, List<String> ids, List<Sorted> entries) throws IOException {
        // each alert under the incident whose timeline holds it (this one, when a merge holds it twice)
        Map<String, JsonNode> alerts = new LinkedHashMap<>();
        for (Sorted e : entries) {
            JsonNode t = e.doc().at("/vigil/timeline");
            String alertId = t.at("/ref/id").asText(null);
            if (TimelineEntry.ALERT.equals(t.path("kind").asText()) && alertId != null
                    && (!alerts.containsKey(alertId) || id.equals(t.path("incident_id").asText()))) {
                alerts.put(alertId, e.doc());
            }
        }
        ObjectNode query = EcsJson.MAPPER.createObjectNode();
        ArrayNode should = query.putObject("query").putObject("bool").put("minimum_should_match", 1).putArray("should");
        subjects(should, WebhookRequests.INCIDENT, ids);
        subjects(should, WebhookRequests.ALERT, alerts.keySet());
        ArrayNode sort = query.putArray("sort");
        sort.addObject().put("@timestamp", "asc");
        sort.addObject().put("vigil.delivery.endpoint", "asc");
        sort.addObject().put("vigil.delivery.idempotency_key", "asc");
        sort.addObject().put("vigil.delivery.attempt", "asc");
        query.put("size", 10_000);
        List<Sorted> out = new ArrayList<>();
        for (JsonNode hit : search(IndexTemplates.DELIVERIES + "-*", query).at("/hits/hits")) {
            JsonNode source = hit.get("_source");
            DeliveryAttempt a = DeliveryDocuments.fromTree(source);
            JsonNode alert = WebhookRequests.ALERT.equals(a.subjectKind()) ? alerts.get(a.subjectId()) : null;
            String incidentId = alert == null ? a.subjectId() : alert.at("/vigil/timeline/incident_id").asText();
            String ruleId = alert == null ? null : alert.at("/rule/id").asText(null);
            String ruleName = alert == null ? null : alert.at("/rule/name").asText(null);
            // the entry's id is the delivery document's: ref.index and the id find it
            TimelineEntry entry = new TimelineEntry(hit.path("_id").asText(), incidentId,
                    Instant.parse(source.path("@timestamp").asText()), TimelineEntry.DELIVERY,
                    DeliveryDocuments.summary(a), ruleId, ruleName, null, List.of(), Map.of(), hit.path("_index").asText(),
                    a.subjectId(), null, null, null, null);
            ObjectNode doc = IncidentDocuments.timeline(entry);
            ((ObjectNode) doc.get("vigil")).set("delivery", source.at("/vigil/delivery").deepCopy());
            for (String field : List.of("http", "error")) {
                if (source.has(field)) {
                    doc.set(field, source.get(field).deepCopy());
                }
            }
            out.add(new Sorted(hit.path("sort").path(0).asLong(), entry.kind(), entry.id(), doc));
        }
        return out;
    }

    private static void subjects(ArrayNode should, String kind, Collection<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        ArrayNode filter = should.addObject().putObject("bool").putArray("filter");
        filter.addObject().putObject("term").put("vigil.delivery.subject.kind", kind);
        ArrayNode terms = filter.addObject().putObject("terms").putArray("vigil.delivery.subject.id");
        ids.forEach(terms::add);
    }

    /**
     * Takes {@code action} on the incident as it is now: see {@link #act(Seen, Action, Actor, String, String, Instant)}.
     */
    public TimelineEntry act(String id, Action action, Actor actor, String assignee, String reason, Instant now)
            throws IOException, TriageException {
        return act(read(id), action, actor, assignee, reason, now);
    }

    /**
     * Takes {@code action} on the incident as the analyst saw it, audited first.
     *
     * <ol>
     *   <li>The action must be allowed in the incident's status ({@link IncidentTransitions}) and
     *       have what it needs (an assignee, a close reason); otherwise nothing is written.
     *   <li>Its intent goes to the audit log, create-only ({@link AuditLog}). If that fails,
     *       nothing else is written: no action is ever taken unaudited.
     *   <li>The incident's analyst fields are updated, conditional on the document being as
     *       {@code seen} (its sequence number and primary term). When it is not, the incident is
     *       read again: if someone changed its analyst fields meanwhile, the action is refused
     *       saying what changed (the analyst decides again); if only the stream updated it (new
     *       alerts), the action is tried again on the new version, at most {@link #MAX_ATTEMPTS}
     *       times.
     *   <li>The outcome (applied, refused, failed) goes to the audit log, pointing at the intent;
     *       then the action is appended to the incident's timeline.
     * </ol>
     *
     * @param assignee for {@link Action#ASSIGN}
     * @param reason required for {@link Action#CLOSE}, optional otherwise
     * @return the timeline entry written
     */
    public TimelineEntry act(Seen seen, Action action, Actor actor, String assignee, String reason, Instant now)
            throws IOException, TriageException {
        String id = seen.id();
        String mergedInto = seen.source().at("/vigil/incident/merged_into").asText(null);
        if (mergedInto != null) {
            throw new TriageException("incident " + id + " was merged into " + mergedInto + ": triage that one");
        }
        String status = seen.source().at("/vigil/incident/status").asText(null);
        String after = IncidentTransitions.after(action, status, id);
        ObjectNode fields = EcsJson.MAPPER.createObjectNode();
        ObjectNode inc = fields.putObject("vigil").putObject("incident");
        String summary;
        switch (action) {
            case ACK -> {
                inc.put("status", after);
                summary = actor.name() + " acknowledged the incident";
            }
            case ASSIGN -> {
                if (assignee == null || assignee.isBlank()) {
                    throw new TriageException("assign needs --to USER");
                }
                inc.put("assignee", assignee);
                summary = actor.name() + " assigned the incident to " + assignee;
            }
            case CLOSE -> {
                if (reason == null || reason.isBlank()) {
                    throw new TriageException("close needs --reason TEXT (why: resolved, false positive, …)");
                }
                inc.put("status", after);
                inc.put("close_reason", reason);
                summary = actor.name() + " closed the incident";
            }
            default -> throw new IllegalStateException(action.toString());
        }
        inc.put("status_changed", now.toString());

        AuditEntry intent = AuditEntry.intent(id, action, actor, status, after, assignee, reason, now);
        audit.append(intent);
        Seen applied;
        try {
            applied = update(seen, fields);
        } catch (TriageException refused) {
            recordFailure(intent.outcome(AuditEntry.REFUSED, refused.getMessage(), null, null), refused);
            throw refused;
        } catch (IOException | RuntimeException failed) {
            recordFailure(intent.outcome(AuditEntry.FAILED, String.valueOf(failed.getMessage()), null, null), failed);
            throw failed;
        }
        IOException unrecorded = null;
        try {
            audit.append(intent.outcome(AuditEntry.APPLIED, null, applied.seqNo(), applied.primaryTerm()));
        } catch (IOException e) {
            unrecorded = e;
        }

        TimelineEntry entry = new TimelineEntry(Ids.of("timeline", "action", id, action.word, now.toString(), actor.name()),
                id, now, TimelineEntry.ACTION, summary + (reason == null || reason.isBlank() ? "" : ": " + reason),
                null, null, null, List.of(), Map.of(), IndexTemplates.INCIDENTS, id, null, action.word, actor.name(),
                reason);
        // create-only as well: an action's entry is never rewritten
        Request t = new Request("PUT", "/" + IndexTemplates.dailyIndex(IndexTemplates.TIMELINE, now) + "/_create/"
                + PathSegment.encode(entry.id()));
        t.addParameter("refresh", "wait_for");
        t.setJsonEntity(IncidentDocuments.write(entry));
        rest.performRequest(t);
        if (unrecorded != null) {
            throw new IOException("incident " + id + ": " + action.word + " was applied and its intent is in the audit "
                    + "log (entry " + intent.id() + "), but its outcome could not be recorded: " + unrecorded.getMessage(),
                    unrecorded);
        }
        return entry;
    }

    /**
     * Updates the incident's analyst fields with optimistic concurrency, from {@code seen} on.
     *
     * @return the incident's id with the sequence number and primary term the update gave it
     * @throws TriageException when someone else changed the analyst fields, the incident was
     *     merged, or it kept changing
     */
    private Seen update(Seen seen, ObjectNode fields) throws IOException, TriageException {
        String id = seen.id();
        ObjectNode update = EcsJson.MAPPER.createObjectNode();
        update.set("doc", fields);
        Seen current = seen;
        for (int attempt = 1; ; attempt++) {
            Request u = new Request("POST", "/" + IndexTemplates.INCIDENTS + "/_update/" + PathSegment.encode(id));
            u.addParameter("refresh", "wait_for");
            u.addParameter("if_seq_no", Long.toString(current.seqNo()));
            u.addParameter("if_primary_term", Long.toString(current.primaryTerm()));
            u.setJsonEntity(EcsJson.toJson(update));
            try {
                JsonNode done = EcsJson.MAPPER.readTree(rest.performRequest(u).getEntity().getContent());
                return new Seen(id, null, done.path("_seq_no").asLong(), done.path("_primary_term").asLong());
            } catch (ResponseException e) {
                if (e.getResponse().getStatusLine().getStatusCode() != 409) {
                    throw e;
                }
            }
            Seen reread = read(id);
            if (!reread.analystFields().equals(current.analystFields())) {
                throw new TriageException("incident " + id + " was changed by someone else while you acted on it ("
                        + changes(current.analystFields(), reread.analystFields()) + "): nothing was changed; look at "
                        + "it again and decide");
            }
            if (reread.source().at("/vigil/incident/merged_into").isTextual()) {
                throw new TriageException("incident " + id + " was merged into "
                        + reread.source().at("/vigil/incident/merged_into").asText() + " while you acted: triage that one");
            }
            if (attempt == MAX_ATTEMPTS) {
                throw new TriageException("incident " + id + " kept changing while you acted on it (new alerts): "
                        + "nothing was changed; try again");
            }
            current = reread;
        }
    }

    /**
     * Records how an action failed; a failure to record it is attached to {@code cause} (the
     * intent stays in the log either way, so the action is not unaudited).
     */
    private void recordFailure(AuditEntry outcome, Exception cause) {
        try {
            audit.append(outcome);
        } catch (IOException | TriageException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** What differs between two versions of the analysts' fields, as {@code field: before -> after}. */
    private static String changes(Map<String, String> before, Map<String, String> after) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : after.entrySet()) {
            String was = before.get(e.getKey());
            if (!java.util.Objects.equals(was, e.getValue())) {
                out.add(e.getKey() + ": " + (was == null ? "none" : was) + " -> "
                        + (e.getValue() == null ? "none" : e.getValue()));
            }
        }
        return String.join(", ", out);
    }

    private JsonNode search(String index, ObjectNode query) throws IOException {
        Request r = new Request("GET", "/" + index + "/_search");
        r.addParameter("ignore_unavailable", "true");
        r.addParameter("allow_no_indices", "true");
        r.setJsonEntity(EcsJson.toJson(query));
        return EcsJson.MAPPER.readTree(rest.performRequest(r).getEntity().getContent());
    }

    private static List<JsonNode> hits(JsonNode body) {
        List<JsonNode> out = new ArrayList<>();
        body.at("/hits/hits").forEach(h -> out.add(h.get("_source")));
        return out;
    }
}
