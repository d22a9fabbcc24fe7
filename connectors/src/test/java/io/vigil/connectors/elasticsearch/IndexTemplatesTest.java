package io.vigil.connectors.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.DeadLetter;
import io.vigil.model.EcsJson;
import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IndexTemplatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ElasticsearchClient client;
    private static RestClient rest;

    @BeforeAll
    static void start() throws IOException {
        client = ElasticsearchTestNode.client();
        rest = ElasticsearchTestNode.connection().restClient();
        IndexTemplates.installAll(client);
    }

    @AfterAll
    static void stop() throws IOException {
        client.close();
        rest.close();
    }

    @Test
    void installsTwiceWithTheirVersion() throws IOException {
        IndexTemplates.installAll(client);
        IndexTemplates.installAll(client);
        for (String name : IndexTemplates.ALL) {
            JsonNode t = get("/_index_template/" + name).path("index_templates").path(0).path("index_template");
            assertThat(t.path("version").asInt()).as(name).isEqualTo(IndexTemplates.VERSION);
            assertThat(t.path("_meta").path("managed_by").asText()).isEqualTo("vigil");
            assertThat(t.path("index_patterns").path(0).asText()).isIn(name + "-*", name + "*");
        }
    }

    @Test
    void dailyIndexNames() {
        assertThat(IndexTemplates.dailyIndex(IndexTemplates.ALERTS, Instant.parse("2024-03-09T23:59:59Z")))
                .isEqualTo("vigil-alerts-2024.03.09");
    }

    @Test
    void alertIndexMapsEcsTypes() throws IOException {
        String index = "vigil-alerts-2000.01.01";
        index(index, "a1", alertDocument());
        Map<String, String> types = fieldTypes(index);
        assertThat(types).containsEntry("@timestamp", "date")
                .containsEntry("source.ip", "ip")
                .containsEntry("destination.ip", "ip")
                .containsEntry("user.name", "keyword")
                .containsEntry("rule.id", "keyword")
                .containsEntry("rule.description", "text")
                .containsEntry("rule.author", "keyword")
                .containsEntry("rule.license", "keyword")
                .containsEntry("rule.reference", "keyword")
                .containsEntry("vigil.rule.status", "keyword")
                .containsEntry("event.severity", "long")
                .containsEntry("event.start", "date")
                .containsEntry("threat.tactic.id", "keyword")
                .containsEntry("vigil.alert.count", "long")
                .containsEntry("vigil.alert.origins.offset", "long");
        // every field of the alert document is mapped by the template, none added dynamically
        assertThat(leafPaths(alertDocument())).allSatisfy(p -> assertThat(templateFields("vigil-alerts")).containsKey(p));
        assertThat(types).isEqualTo(templateFields("vigil-alerts"));
    }

    @Test
    void deadLetterIndexCoversEveryDeadLetterField() throws IOException {
        String index = "vigil-dead-letters-2000.01.01";
        RawRecord raw = RawRecord.of("garbage".getBytes(StandardCharsets.UTF_8), Origin.kafka("raw.zeek", 3, 42), "zeek");
        String doc = addTimestamp(EcsJson.write(DeadLetter.of(raw, "no tab separator")));
        index(index, "d1", doc);
        String fileDoc = addTimestamp(EcsJson.write(new DeadLetter("x", DeadLetter.UTF_8, 1,
                Origin.file("logs/auth.log", 7), "syslog", "bad")));
        index(index, "d2", fileDoc);
        Map<String, String> types = fieldTypes(index);
        assertThat(types).containsEntry("raw.value", "text")
                .containsEntry("raw.bytes", "long")
                .containsEntry("reason", "text")
                .containsEntry("vigil.origin.offset", "long")
                .containsEntry("vigil.origin.partition", "integer")
                .containsEntry("log.file.path", "keyword");
        assertThat(types).isEqualTo(templateFields("vigil-dead-letters"));
    }

    @Test
    void eventIndexCoversEveryModelledEcsField() throws IOException {
        String index = "vigil-events-2000.01.01";
        JsonNode doc = JSON.readTree(EcsJson.write(fullEvent()));
        index(index, "e1", JSON.writeValueAsString(doc));
        Map<String, String> template = templateFields("vigil-events");
        assertThat(leafPaths(JSON.writeValueAsString(doc))).allSatisfy(p -> assertThat(template).containsKey(p));
        Map<String, String> types = fieldTypes(index);
        assertThat(types).containsEntry("source.ip", "ip").containsEntry("source.port", "integer")
                .containsEntry("related.ip", "ip").containsEntry("event.sequence", "long")
                .containsEntry("http.response.status_code", "integer");
    }

    // ------------------------------------------------------------------ documents

    static String alertDocument() {
        return """
                {"@timestamp":"2000-01-01T00:00:10Z",
                 "event":{"kind":"alert","id":"a1","severity":73,"risk_score":70,
                          "start":"2000-01-01T00:00:00Z","end":"2000-01-01T00:00:10Z"},
                 "rule":{"id":"ssh-brute-force","name":"SSH brute force","version":"1","description":"many failures",
                         "ruleset":"sigma","author":["Florian Roth (Nextron Systems)","oscd.community"],
                         "license":"DRL-1.1","reference":["https://attack.mitre.org/techniques/T1110/"]},
                 "threat":{"framework":"MITRE ATT&CK","tactic":{"id":["TA0006"],"name":["Credential Access"]},
                           "technique":{"id":["T1110.001"],"name":["Password Guessing"]}},
                 "tags":["ssh"],
                 "source":{"ip":"10.0.0.1"},"destination":{"ip":"10.0.0.2","port":22},"user":{"name":"root"},
                 "host":{"name":"web-1"},
                 "vigil":{"alert":{"severity":"high","group_by":"source.ip","group_key":"10.0.0.1","count":5,
                          "suppressed_count":0,"origins_total":5,
                          "origins":[{"kind":"kafka","source":"raw.auth","partition":0,"offset":17},
                                     {"kind":"file","source":"auth.log","offset":3}]},
                          "rule":{"status":"test"}}}
                """;
    }

    private static SecurityEvent fullEvent() {
        return SecurityEvent.builder()
                .timestamp(Instant.parse("2000-01-01T00:00:00Z"))
                .origin(Origin.file("logs/access.log", 12))
                .message("GET /").tag("t").eventKind("event").addEventCategory("web").addEventType("access")
                .eventAction("get").eventOutcome("success").eventCode("200").eventProvider("nginx")
                .eventDataset("nginx.access").eventModule("nginx").eventSequence(5L).eventOriginal("raw line")
                .sourceIp("10.0.0.1").sourcePort(5555).sourceDomain("a.example")
                .destinationIp("10.0.0.2").destinationPort(80).destinationDomain("b.example")
                .userName("alice").userDomain("corp").userId("1000").userTargetName("bob")
                .hostName("web-1").hostHostname("web-1.corp")
                .processName("sshd").processPid(42L).processCommandLine("sshd -D").processExecutable("/usr/sbin/sshd")
                .processParentExecutable("/sbin/init")
                .urlOriginal("http://b.example/?q=1").urlPath("/").urlQuery("q=1").urlDomain("b.example")
                .httpRequestMethod("GET").httpRequestReferrer("-").httpResponseStatusCode(200)
                .httpResponseBodyBytes(123L).httpVersion("1.1").userAgentOriginal("curl/8")
                .cloudProvider("aws").cloudRegion("eu-west-1").cloudAccountId("123")
                .relatedIp("10.0.0.1").relatedUser("alice")
                .build();
    }

    // ------------------------------------------------------------------ helpers

    private static String addTimestamp(String json) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(json);
        o.put("@timestamp", "2000-01-01T00:00:00Z");
        return JSON.writeValueAsString(o);
    }

    private static void index(String index, String id, String json) throws IOException {
        client.index(i -> i.index(index).id(id).withJson(new StringReader(json)).refresh(
                co.elastic.clients.elasticsearch._types.Refresh.True));
    }

    private static JsonNode get(String path) throws IOException {
        return JSON.readTree(rest.performRequest(new Request("GET", path)).getEntity().getContent());
    }

    /** Dotted field name → type, from the index's mapping (multi-fields left out). */
    private static Map<String, String> fieldTypes(String index) throws IOException {
        Map<String, String> out = new TreeMap<>();
        collect("", get("/" + index + "/_mapping").path(index).path("mappings").path("properties"), out);
        return out;
    }

    private static Map<String, String> templateFields(String name) throws IOException {
        Map<String, String> out = new TreeMap<>();
        collect("", JSON.readTree(IndexTemplates.json(name)).path("template").path("mappings").path("properties"), out);
        return out;
    }

    private static void collect(String prefix, JsonNode properties, Map<String, String> out) {
        for (Map.Entry<String, JsonNode> e : properties.properties()) {
            String name = prefix + e.getKey();
            if (e.getValue().has("properties")) {
                collect(name + ".", e.getValue().get("properties"), out);
            } else {
                out.put(name, e.getValue().path("type").asText());
            }
        }
    }

    private static java.util.Set<String> leafPaths(String json) throws IOException {
        java.util.Set<String> out = new java.util.TreeSet<>();
        leaves("", JSON.readTree(json), out);
        return out;
    }

    private static void leaves(String prefix, JsonNode node, java.util.Set<String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> leaves(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                    e.getValue(), out));
        } else if (node.isArray() && node.size() > 0 && node.get(0).isObject()) {
            node.forEach(n -> leaves(prefix, n, out));
        } else {
            out.add(prefix);
        }
    }
}
