package io.vigil.jobs.stream;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.connectors.elasticsearch.ElasticsearchConnection;
import io.vigil.connectors.elasticsearch.IndexTemplates;
import io.vigil.jobs.detect.AlertDocuments;
import io.vigil.jobs.webhook.WebhookFormat;
import io.vigil.jobs.wiring.Documents;
import io.vigil.model.Alert;
import io.vigil.model.EcsJson;
import io.vigil.model.KeyEvent;
import io.vigil.model.Origin;
import io.vigil.model.RuleProvenance;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The provenance of a Sigma rule (ruleset, authors, licence, references, status) reaches every
 * output of an alert: the Elasticsearch document (a real node, the alerts template mapping every
 * field), the Kafka alert record's value, and each webhook format.
 */
class AlertProvenanceOutputsTest {

    private static final Instant T = Instant.parse("2024-08-01T09:30:00Z");
    private static final RuleProvenance SIGMA = new RuleProvenance("sigma",
            List.of("Florian Roth (Nextron Systems)", "oscd.community"), "DRL-1.1",
            List.of("https://attack.mitre.org/techniques/T1033/", "https://example.org/whoami"), "test");

    private static RestClient rest;

    @BeforeAll
    static void templates() throws Exception {
        rest = StreamingServices.REST;
        try (ElasticsearchClient client = ElasticsearchConnection.of(StreamingServices.ES.url()).client()) {
            IndexTemplates.installAll(client);
        }
    }

    private static Alert alert(String id, RuleProvenance provenance) {
        Origin o = Origin.file("security.json", 3);
        return new Alert(id, T, "5f1a0c3e-1111-4a2b-9c3d-000000000001", 1, "Whoami execution", "Runs whoami",
                "high", 73, List.of("TA0007"), List.of("T1033"), List.of("attack.discovery"), "host.name", "ws-7",
                Map.of("host.name", "ws-7", "user.name", "alice"), 1, 0, T, T, List.of(o), 1,
                List.of(new KeyEvent(T, o, null)), null, provenance);
    }

    @Test
    void theElasticsearchDocumentHoldsTheProvenanceAtItsEcsNamesAllMapped() throws Exception {
        Alert a = alert("prov-sigma-1", SIGMA);
        Documents.Alerts mapper = new Documents.Alerts();
        Request put = new Request("PUT", "/" + mapper.index(a) + "/_doc/" + mapper.id(a));
        put.addParameter("refresh", "true");
        put.setEntity(new NStringEntity(new String(mapper.source(a), StandardCharsets.UTF_8), ContentType.APPLICATION_JSON));
        rest.performRequest(put);

        JsonNode doc = read(rest.performRequest(new Request("GET", "/" + mapper.index(a) + "/_doc/" + a.id())))
                .path("_source");
        assertThat(doc.at("/rule/ruleset").asText()).isEqualTo("sigma");
        assertThat(texts(doc.at("/rule/author"))).containsExactly("Florian Roth (Nextron Systems)", "oscd.community");
        assertThat(doc.at("/rule/license").asText()).isEqualTo("DRL-1.1");
        assertThat(texts(doc.at("/rule/reference"))).containsExactlyElementsOf(SIGMA.references());
        assertThat(doc.at("/vigil/rule/status").asText()).isEqualTo("test");

        // mapped by the template as keywords, so they can be searched and aggregated exactly
        JsonNode mapping = read(rest.performRequest(new Request("GET",
                "/" + mapper.index(a) + "/_mapping/field/rule.author,rule.license,rule.reference,rule.ruleset,"
                        + "vigil.rule.status")));
        JsonNode fields = mapping.path(mapper.index(a)).path("mappings");
        for (String f : List.of("rule.author", "rule.license", "rule.reference", "rule.ruleset", "vigil.rule.status")) {
            assertThat(fields.path(f).path("mapping").elements().next().path("type").asText()).as(f)
                    .isEqualTo("keyword");
        }
        Request search = new Request("GET", "/" + mapper.index(a) + "/_search");
        search.setJsonEntity("{\"query\":{\"term\":{\"rule.author\":\"oscd.community\"}}}");
        assertThat(read(rest.performRequest(search)).at("/hits/hits/0/_id").asText()).isEqualTo(a.id());
    }

    @Test
    void theKafkaAlertRecordCarriesTheSameProvenance() throws Exception {
        // the alert topic's value serializer (StreamingTopology: VigilKafka.alertSink(..., AlertDocuments::write))
        JsonNode record = EcsJson.MAPPER.readTree(AlertDocuments.write(alert("prov-sigma-2", SIGMA)));
        assertThat(record.at("/rule/ruleset").asText()).isEqualTo("sigma");
        assertThat(texts(record.at("/rule/author"))).containsExactlyElementsOf(SIGMA.authors());
        assertThat(record.at("/rule/license").asText()).isEqualTo("DRL-1.1");
        assertThat(texts(record.at("/rule/reference"))).containsExactlyElementsOf(SIGMA.references());
        assertThat(record.at("/vigil/rule/status").asText()).isEqualTo("test");
    }

    @Test
    void everyWebhookFormatCarriesIt() throws Exception {
        Alert a = alert("prov-sigma-3", SIGMA);
        JsonNode generic = EcsJson.MAPPER.readTree(WebhookFormat.GENERIC.render(a));
        assertThat(generic.at("/rule/ruleset").asText()).isEqualTo("sigma");
        assertThat(texts(generic.at("/rule/authors"))).containsExactlyElementsOf(SIGMA.authors());
        assertThat(generic.at("/rule/license").asText()).isEqualTo("DRL-1.1");
        assertThat(texts(generic.at("/rule/references"))).containsExactlyElementsOf(SIGMA.references());
        assertThat(generic.at("/rule/status").asText()).isEqualTo("test");

        JsonNode ecs = EcsJson.MAPPER.readTree(WebhookFormat.ECS.render(a));
        assertThat(texts(ecs.at("/rule/author"))).containsExactlyElementsOf(SIGMA.authors());
        assertThat(ecs.at("/rule/license").asText()).isEqualTo("DRL-1.1");

        String slack = EcsJson.MAPPER.readTree(WebhookFormat.SLACK.render(a)).path("text").asText();
        assertThat(slack).contains("Whoami execution (sigma rule by Florian Roth (Nextron Systems), oscd.community, "
                + "DRL-1.1)");
    }

    @Test
    void aVigilAlertWithoutAuthorOrLicenceLeavesThoseFieldsOut() throws Exception {
        RuleProvenance own = new RuleProvenance("vigil", List.of(), null, List.of(), null);
        JsonNode doc = EcsJson.MAPPER.readTree(AlertDocuments.write(alert("prov-vigil-1", own)));
        assertThat(doc.at("/rule/ruleset").asText()).isEqualTo("vigil");
        assertThat(doc.path("rule").has("author")).isFalse();
        assertThat(doc.path("rule").has("license")).isFalse();
        assertThat(doc.path("vigil").has("rule")).isFalse();
        String slack = EcsJson.MAPPER.readTree(WebhookFormat.SLACK.render(alert("prov-vigil-1", own))).path("text")
                .asText();
        assertThat(slack).contains("Whoami execution: host.name ws-7");
    }

    private static JsonNode read(org.elasticsearch.client.Response r) throws Exception {
        return EcsJson.MAPPER.readTree(r.getEntity().getContent());
    }

    private static List<String> texts(JsonNode array) {
        assertThat(array.isArray()).as("an array: " + array).isTrue();
        List<String> out = new java.util.ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
