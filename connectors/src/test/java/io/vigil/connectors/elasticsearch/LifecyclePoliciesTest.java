package io.vigil.connectors.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.apache.http.HttpHost;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;

/**
 * The install path of the lifecycle policies against a loopback server answering as an
 * Elasticsearch cluster with ILM does (the minimal test node has none: the skip path is tested on it
 * in the cli's SetupRetentionTest), checking each request.
 */
class LifecyclePoliciesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Seen(String method, String path, String query, String body) {}

    /** Runs {@code test} against a server answering {@code status} (code, body) to GET /_ilm/status and 200 to the rest. */
    static List<Seen> against(int statusCode, String statusBody, Function<RestClient, Object> test) throws Exception {
        List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getPath(), ex.getRequestURI().getQuery(), body));
            boolean status = ex.getRequestURI().getPath().equals("/_ilm/status");
            byte[] answer = (status ? statusBody : "{\"acknowledged\":true}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.getResponseHeaders().add("X-elastic-product", "Elasticsearch");
            ex.sendResponseHeaders(status ? statusCode : 200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        server.start();
        try (RestClient client = RestClient.builder(new HttpHost("127.0.0.1", server.getAddress().getPort())).build()) {
            test.apply(client);
        } finally {
            server.stop(0);
        }
        return seen;
    }

    @Test
    void whereTheClusterHasIlmEachKindGetsItsPolicyComponentTemplateAndExistingIndices() throws Exception {
        LifecyclePolicies.Outcome[] outcome = new LifecyclePolicies.Outcome[1];
        List<Seen> seen = against(200, "{\"operation_mode\":\"RUNNING\"}", c -> {
            try {
                return outcome[0] = LifecyclePolicies.install(c);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(outcome[0].skipped()).isNull();
        assertThat(outcome[0].installed()).hasSize(LifecyclePolicies.DELETE_AFTER_DAYS.size())
                .contains("vigil-events (deleted 30d after creation)", "vigil-audit (deleted 1095d after creation)");
        assertThat(seen.get(0).path()).isEqualTo("/_ilm/status");
        assertThat(seen).extracting(s -> s.method() + " " + s.path()).contains(
                "PUT /_ilm/policy/vigil-events", "PUT /_component_template/vigil-events-lifecycle",
                "PUT /vigil-events-*/_settings", "PUT /_ilm/policy/vigil-alerts")
                .doesNotContain("PUT /_ilm/policy/vigil-incidents", "PUT /_ilm/policy/vigil-rules");

        JsonNode policy = body(seen, "/_ilm/policy/vigil-alerts");
        assertThat(policy.at("/policy/phases/delete/min_age").asText()).isEqualTo("365d");
        assertThat(policy.at("/policy/phases/delete/actions/delete").isObject()).isTrue();
        JsonNode component = body(seen, "/_component_template/vigil-events-lifecycle");
        assertThat(component.at("/template/settings").get("index.lifecycle.name").asText()).isEqualTo("vigil-events");
        JsonNode settings = body(seen, "/vigil-events-*/_settings");
        assertThat(settings.get("index.lifecycle.name").asText()).isEqualTo("vigil-events");
        assertThat(seen.stream().filter(s -> s.path().equals("/vigil-events-*/_settings")).findFirst().orElseThrow()
                .query()).contains("allow_no_indices=true");
    }

    @Test
    void aClusterWithoutIlmOrWithoutThePrivilegeIsSkippedWithTheReasonAndNothingElseIsSent() throws Exception {
        LifecyclePolicies.Outcome[] outcome = new LifecyclePolicies.Outcome[1];
        List<Seen> seen = against(403, "{\"error\":{\"type\":\"security_exception\"}}", c -> {
            try {
                return outcome[0] = LifecyclePolicies.install(c);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(outcome[0].installed()).isEmpty();
        assertThat(outcome[0].skipped()).contains("manage_ilm");
        assertThat(seen).hasSize(1);

        assertThatThrownBy(() -> against(500, "{\"error\":\"boom\"}", c -> {
            try {
                return LifecyclePolicies.install(c);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })).hasCauseInstanceOf(ResponseException.class);
    }

    @Test
    void indexTemplatesNameTheirLifecycleComponentAsOptional() throws Exception {
        JsonNode events = JSON.readTree(LifecyclePolicies.withLifecycle(IndexTemplates.EVENTS,
                IndexTemplates.json(IndexTemplates.EVENTS)));
        assertThat(events.get("composed_of").toString()).isEqualTo("[\"vigil-events-lifecycle\"]");
        assertThat(events.get("ignore_missing_component_templates").toString()).isEqualTo("[\"vigil-events-lifecycle\"]");
        assertThat(events.at("/template/settings/index").has("lifecycle")).as("never in the template itself").isFalse();
        JsonNode incidents = JSON.readTree(LifecyclePolicies.withLifecycle(IndexTemplates.INCIDENTS,
                IndexTemplates.json(IndexTemplates.INCIDENTS)));
        assertThat(incidents.has("composed_of")).isFalse();
    }

    private static JsonNode body(List<Seen> seen, String path) throws Exception {
        return JSON.readTree(seen.stream().filter(s -> s.path().equals(path)).findFirst().orElseThrow().body());
    }
}
