package io.vigil.jobs.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.connectors.elasticsearch.IndexTemplates;
import io.vigil.model.EcsJson;
import io.vigil.model.Ids;
import io.vigil.model.Incident;
import io.vigil.model.TimelineEntry;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * Analysts' side of incidents in Elasticsearch: find them, read their timelines, and act on them
 * (acknowledge, assign, close). Every action updates the incident's analyst fields and is
 * appended to its timeline with who, when and why; the stream never writes those fields.
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

    /** Why an action cannot be taken: unknown incident, merged incident, missing reason. */
    public static final class TriageException extends Exception {
        private static final long serialVersionUID = 1L;

        public TriageException(String message) {
            super(message);
        }
    }

    private final RestClient rest;

    public IncidentTriage(RestClient rest) {
        this.rest = rest;
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

    /** The incident document ({@code _source}). */
    public JsonNode get(String id) throws IOException, TriageException {
        try {
            JsonNode doc = EcsJson.MAPPER.readTree(rest.performRequest(
                    new Request("GET", "/" + IndexTemplates.INCIDENTS + "/_doc/" + id)).getEntity().getContent());
            return doc.get("_source");
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() == 404) {
                throw new TriageException("no incident " + id + " in " + IndexTemplates.INCIDENTS);
            }
            throw e;
        }
    }

    /**
     * The timeline of an incident and of the incidents merged into it, in time order (alerts
     * before their events at the same time).
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
        return hits(search(IndexTemplates.TIMELINE + "-*", query));
    }

    /**
     * Takes {@code action}: updates the incident's analyst fields and appends the action to its
     * timeline. Both writes wait for a refresh, so the next command sees them.
     *
     * @param assignee for {@link Action#ASSIGN}
     * @param reason required for {@link Action#CLOSE}, optional otherwise
     * @return the timeline entry written
     */
    public TimelineEntry act(String id, Action action, String actor, String assignee, String reason, Instant now)
            throws IOException, TriageException {
        JsonNode incident = get(id);
        String mergedInto = incident.at("/vigil/incident/merged_into").asText(null);
        if (mergedInto != null) {
            throw new TriageException("incident " + id + " was merged into " + mergedInto + ": triage that one");
        }
        if (actor == null || actor.isBlank()) {
            throw new TriageException("say who acts (--as USER)");
        }
        ObjectNode fields = EcsJson.MAPPER.createObjectNode();
        ObjectNode inc = fields.putObject("vigil").putObject("incident");
        String summary;
        switch (action) {
            case ACK -> {
                inc.put("status", Incident.ACKNOWLEDGED);
                summary = actor + " acknowledged the incident";
            }
            case ASSIGN -> {
                if (assignee == null || assignee.isBlank()) {
                    throw new TriageException("assign needs --to USER");
                }
                inc.put("assignee", assignee);
                summary = actor + " assigned the incident to " + assignee;
            }
            case CLOSE -> {
                if (reason == null || reason.isBlank()) {
                    throw new TriageException("close needs --reason TEXT (why: resolved, false positive, …)");
                }
                inc.put("status", Incident.CLOSED);
                inc.put("close_reason", reason);
                summary = actor + " closed the incident";
            }
            default -> throw new IllegalStateException(action.toString());
        }
        inc.put("status_changed", now.toString());
        ObjectNode update = EcsJson.MAPPER.createObjectNode();
        update.set("doc", fields);
        Request u = new Request("POST", "/" + IndexTemplates.INCIDENTS + "/_update/" + id);
        u.addParameter("refresh", "wait_for");
        u.setJsonEntity(EcsJson.toJson(update));
        rest.performRequest(u);

        TimelineEntry entry = new TimelineEntry(Ids.of("timeline", "action", id, action.word, now.toString(), actor),
                id, now, TimelineEntry.ACTION, summary + (reason == null || reason.isBlank() ? "" : ": " + reason),
                null, null, null, List.of(), Map.of(), IndexTemplates.INCIDENTS, id, null, action.word, actor, reason);
        Request t = new Request("PUT", "/" + IndexTemplates.dailyIndex(IndexTemplates.TIMELINE, now) + "/_doc/" + entry.id());
        t.addParameter("refresh", "wait_for");
        t.setJsonEntity(IncidentDocuments.write(entry));
        rest.performRequest(t);
        return entry;
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
