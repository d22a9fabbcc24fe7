package io.vigil.connectors.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * Retention of Vigil's daily indices as index lifecycle (ILM) policies: each index kind is deleted
 * a fixed time after its index was created (a daily index holds one day, so that is the age of
 * its data). The policies reach the indices through a component template per kind
 * ({@code vigil-events-lifecycle}: only {@code index.lifecycle.name}), which the index templates
 * name with {@code ignore_missing_component_templates}: on a cluster without ILM the component
 * templates are never installed and the index templates work as before.
 *
 * <p>{@code vigil-incidents} and {@code vigil-rules} are single indices (one document per incident,
 * per rule): deleting them by age would delete every incident, so they have no policy.
 */
public final class LifecyclePolicies {

    /** Days after creation each daily index kind is deleted. */
    public static final Map<String, Integer> DELETE_AFTER_DAYS = deleteAfter();

    private static final ObjectMapper JSON = new ObjectMapper();

    private LifecyclePolicies() {}

    private static Map<String, Integer> deleteAfter() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put(IndexTemplates.EVENTS, 30);
        m.put(IndexTemplates.DEAD_LETTERS, 30);
        m.put(IndexTemplates.DELIVERIES, 90);
        m.put(IndexTemplates.SHADOW_ALERTS, 90);
        m.put(IndexTemplates.ALERTS, 365);
        m.put(IndexTemplates.TIMELINE, 365);
        m.put(IndexTemplates.AUDIT, 3 * 365);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The policy name of an index kind (the template's name). */
    public static String policy(String template) {
        return template;
    }

    /** The component template that attaches the policy of {@code template} to its indices. */
    public static String component(String template) {
        return template + "-lifecycle";
    }

    /** The body of the policy of {@code template}: kept in hot, deleted {@code days} after creation. */
    public static String policyJson(String template, int days) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode policy = root.putObject("policy");
        policy.putObject("_meta").put("managed_by", "vigil").put("version", IndexTemplates.VERSION);
        ObjectNode phases = policy.putObject("phases");
        phases.putObject("hot").put("min_age", "0ms").putObject("actions");
        ObjectNode delete = phases.putObject("delete");
        delete.put("min_age", days + "d");
        delete.putObject("actions").putObject("delete");
        return root.toString();
    }

    /** The body of the component template of {@code template}. */
    public static String componentJson(String template) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("template").putObject("settings").put("index.lifecycle.name", policy(template));
        root.putObject("_meta").put("managed_by", "vigil").put("version", IndexTemplates.VERSION);
        return root.toString();
    }

    /**
     * What {@link #install} did: the policies installed, or why none was ({@code skipped}).
     */
    public record Outcome(List<String> installed, String skipped) {
        public Outcome {
            installed = List.copyOf(installed);
        }
    }

    /**
     * Installs (or updates) every policy and its component template, and attaches the policy to the
     * kind's existing indices, where the cluster has ILM ({@code GET _ilm/status} answers); otherwise
     * installs nothing and says why. Idempotent.
     *
     * @throws IOException when the cluster has ILM but refuses a policy
     */
    public static Outcome install(RestClient client) throws IOException {
        String skipped = unsupported(client);
        if (skipped != null) {
            return new Outcome(List.of(), skipped);
        }
        List<String> installed = new ArrayList<>();
        for (Map.Entry<String, Integer> e : DELETE_AFTER_DAYS.entrySet()) {
            String template = e.getKey();
            put(client, "/_ilm/policy/" + policy(template), policyJson(template, e.getValue()));
            put(client, "/_component_template/" + component(template), componentJson(template));
            Request existing = new Request("PUT", "/" + template + "-*/_settings");
            existing.addParameter("allow_no_indices", "true");
            existing.addParameter("expand_wildcards", "open,closed");
            existing.setEntity(new StringEntity("{\"index.lifecycle.name\":\"" + policy(template) + "\"}",
                    ContentType.APPLICATION_JSON));
            client.performRequest(existing);
            installed.add(template + " (deleted " + e.getValue() + "d after creation)");
        }
        return new Outcome(installed, null);
    }

    /** Why the cluster cannot take lifecycle policies, or {@code null} when it can. */
    static String unsupported(RestClient client) throws IOException {
        try {
            Response r = client.performRequest(new Request("GET", "/_ilm/status"));
            try (InputStream in = r.getEntity().getContent()) {
                JsonNode status = JSON.readTree(in);
                if (status == null || !status.has("operation_mode")) {
                    return "GET _ilm/status did not answer an ILM status";
                }
            }
            return null;
        } catch (ResponseException e) {
            int code = e.getResponse().getStatusLine().getStatusCode();
            if (code == 401 || code == 403) {
                return "not allowed to read the ILM status (HTTP " + code + "; the user needs the cluster privilege "
                        + "manage_ilm)";
            }
            if (code == 400 || code == 404 || code == 405) {
                return "the cluster has no index lifecycle management (GET _ilm/status answered HTTP " + code
                        + "; e.g. a distribution without x-pack)";
            }
            throw e;
        }
    }

    private static void put(RestClient client, String path, String body) throws IOException {
        Request r = new Request("PUT", path);
        r.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        client.performRequest(r);
    }

    /**
     * {@code templateJson} naming the lifecycle component of its kind, when it has one, as optional
     * ({@code ignore_missing_component_templates}): the index template installs and works on a
     * cluster where the component was never installed.
     */
    static byte[] withLifecycle(String name, String templateJson) throws IOException {
        if (!DELETE_AFTER_DAYS.containsKey(name)) {
            return templateJson.getBytes(StandardCharsets.UTF_8);
        }
        ObjectNode t = (ObjectNode) JSON.readTree(templateJson);
        t.putArray("composed_of").add(component(name));
        t.putArray("ignore_missing_component_templates").add(component(name));
        return JSON.writeValueAsBytes(t);
    }
}
