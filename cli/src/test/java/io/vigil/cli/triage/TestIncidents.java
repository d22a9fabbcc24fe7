package io.vigil.cli.triage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.EcsJson;
import io.vigil.model.Incident;
import io.vigil.jobs.incident.IncidentDocuments;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

/** Incidents written into the test node as the stream writes them, and what triage left about them. */
public final class TestIncidents {

    public static final Instant T = Instant.parse("2024-07-04T09:00:00Z");

    private TestIncidents() {}

    /** An open SSH brute-force incident with id {@code id}. */
    public static Incident open(String id) {
        return new Incident(id, "SSH brute force from 198.51.100.61", Incident.OPEN, null, null, T.minusSeconds(60), T,
                List.of("root"), List.of(), List.of("bastion"), List.of("198.51.100.61"), 3,
                List.of("ssh-brute-force"), "medium", 47, List.of("TA0006"), null, 3);
    }

    /**
     * Writes {@code i} as the stream does (its fields, the whole document when new), with the id in
     * the request body: the bulk API, so the id never goes through a path.
     */
    public static void write(RestClient rest, Incident i) throws IOException {
        ObjectNode action = EcsJson.MAPPER.createObjectNode();
        action.putObject("update").put("_index", "vigil-incidents").put("_id", i.id());
        ObjectNode body = EcsJson.MAPPER.createObjectNode();
        body.set("doc", IncidentDocuments.streamFields(i));
        body.set("upsert", IncidentDocuments.created(i));
        Request r = new Request("POST", "/_bulk");
        r.addParameter("refresh", "true");
        r.setJsonEntity(EcsJson.toJson(action) + "\n" + EcsJson.toJson(body) + "\n");
        JsonNode answer = EcsJson.MAPPER.readTree(rest.performRequest(r).getEntity().getContent());
        if (answer.path("errors").asBoolean()) {
            throw new IOException("could not write incident " + i.id() + ": " + answer);
        }
    }

    /** The incident's {@code vigil.incident} fields as stored, found by a search on its id (no path). */
    public static JsonNode stored(RestClient rest, String id) throws IOException {
        List<JsonNode> hits = search(rest, "vigil-incidents", "{\"query\":{\"term\":{\"vigil.incident.id\":"
                + EcsJson.MAPPER.writeValueAsString(id) + "}}}");
        if (hits.size() != 1) {
            throw new IOException(hits.size() + " incidents with id " + id);
        }
        return hits.get(0).at("/vigil/incident");
    }

    /** The audit entries of an incident, intent before outcome, in time order. */
    public static List<JsonNode> audit(RestClient rest, String incidentId) throws IOException {
        return search(rest, "vigil-audit-*", "{\"size\":100,\"query\":{\"term\":{\"vigil.audit.incident_id\":"
                + EcsJson.MAPPER.writeValueAsString(incidentId) + "}},\"sort\":[{\"@timestamp\":\"asc\"},"
                + "{\"vigil.audit.entry\":\"asc\"}]}");
    }

    /** The analyst actions in an incident's timeline, as {@code "action actor"}. */
    public static List<String> actions(RestClient rest, String incidentId) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode e : search(rest, "vigil-timeline-*", "{\"size\":100,\"query\":{\"bool\":{\"filter\":["
                + "{\"term\":{\"vigil.timeline.incident_id\":" + EcsJson.MAPPER.writeValueAsString(incidentId) + "}},"
                + "{\"term\":{\"vigil.timeline.kind\":\"action\"}}]}},\"sort\":[{\"@timestamp\":\"asc\"}]}")) {
            out.add(e.at("/vigil/timeline/action").asText() + " " + e.at("/vigil/timeline/actor").asText());
        }
        return out;
    }

    public static List<JsonNode> search(RestClient rest, String index, String query) throws IOException {
        Request refresh = new Request("POST", "/" + index + "/_refresh");
        refresh.addParameter("ignore_unavailable", "true");
        refresh.addParameter("allow_no_indices", "true");
        rest.performRequest(refresh);
        Request r = new Request("GET", "/" + index + "/_search");
        r.addParameter("ignore_unavailable", "true");
        r.addParameter("allow_no_indices", "true");
        r.setJsonEntity(query);
        List<JsonNode> hits = new ArrayList<>();
        EcsJson.MAPPER.readTree(rest.performRequest(r).getEntity().getContent()).at("/hits/hits")
                .forEach(h -> hits.add(h.get("_source")));
        return hits;
    }
}
