package io.vigil.jobs.context;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.connectors.elasticsearch.IndexTemplates;
import io.vigil.context.assets.AssetFields;
import io.vigil.model.EcsJson;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The events, alerts and shadow alerts templates map every field of the assets part as a keyword, so a
 * {@code true}/{@code false} or a criticality is searched and aggregated as written, whatever the
 * first document of a daily index holds.
 */
class AssetsTemplateTest {

    private static final List<String> FIELDS = List.of(AssetFields.HOST_CRITICALITY, AssetFields.HOST_OWNER,
            AssetFields.HOST_ENVIRONMENT, AssetFields.HOST_ZONE, AssetFields.USER_CRITICALITY, AssetFields.PRIVILEGED,
            AssetFields.SERVICE_ACCOUNT, AssetFields.DEPARTMENT, AssetFields.TARGET_CRITICALITY,
            AssetFields.TARGET_PRIVILEGED, AssetFields.TARGET_SERVICE_ACCOUNT, AssetFields.TARGET_DEPARTMENT);

    @Test
    void eventsAlertsAndShadowAlertsMapTheAssetFieldsAsKeywords() throws IOException {
        // shadow alerts are alerts of the same shape (rules pushed with --shadow): the same context fields
        for (String template : List.of(IndexTemplates.EVENTS, IndexTemplates.ALERTS, IndexTemplates.SHADOW_ALERTS)) {
            Map<String, String> leaves = leaves(template);
            for (String field : FIELDS) {
                assertThat(leaves).as("%s maps %s", template, field).containsEntry(field, "keyword");
            }
        }
    }

    private static Map<String, String> leaves(String template) throws IOException {
        JsonNode props = EcsJson.MAPPER.readTree(IndexTemplates.json(template)).at("/template/mappings/properties");
        Map<String, String> out = new TreeMap<>();
        collect("", props, out);
        return out;
    }

    private static void collect(String prefix, JsonNode props, Map<String, String> out) {
        props.fields().forEachRemaining(e -> {
            String name = prefix + e.getKey();
            if (e.getValue().has("properties")) {
                collect(name + ".", e.getValue().get("properties"), out);
            } else {
                out.put(name, e.getValue().path("type").asText());
            }
        });
    }
}
