package io.vigil.connectors.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.ExtraFields;
import io.vigil.model.IpFields;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What the templates promise about documents Vigil writes: every field mapped {@code ip} is one
 * the event validates ({@link IpFields}), values that are not IP literals have a keyword home,
 * and the whole catalog of extra fields fits an index's field limit without clashing with a
 * mapped field, so no event is ever refused for its names.
 */
class TemplateMappingPolicyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Elasticsearch's default {@code index.mapping.total_fields.limit}. */
    private static final int DEFAULT_FIELD_LIMIT = 1000;

    @Test
    void everyFieldMappedAsIpIsValidatedWhenTheEventIsBuilt() throws IOException {
        for (String name : IndexTemplates.ALL) {
            mapped(name).forEach((field, type) -> {
                if ("ip".equals(type)) {
                    assertThat(IpFields.MAPPED_AS_IP).as("%s maps %s as ip", name, field).contains(field);
                }
            });
        }
    }

    @Test
    void invalidIpValuesAreKeywordsInTheEventIndex() throws IOException {
        Map<String, String> events = mapped(IndexTemplates.EVENTS);
        assertThat(IpFields.INVALID_NAMES).allSatisfy(n -> assertThat(events).containsEntry(n, "keyword"));
    }

    /**
     * Extra fields are strings: where the events template maps a catalog name itself it must take
     * any string (a keyword or text, or a typed field that ignores a malformed value), and no catalog name may be the parent or child of a mapped leaf (an object where
     * the template has a value, or the reverse, is refused). Only event documents carry extras.
     */
    @Test
    void catalogNamesNeverClashWithTheEventMappings() throws IOException {
        Map<String, String> leaves = mapped(IndexTemplates.EVENTS);
        for (String name : ExtraFields.CATALOG) {
            if (leaves.containsKey(name)) {
                // a typed leaf (the GeoIP part's geo_point and long) must not refuse a document whose
                // value is not of its type: an ecs input may carry any string under a catalog name
                String type = leaves.get(name);
                assertThat(type.equals("keyword") || type.equals("text") || ignoresMalformed(IndexTemplates.EVENTS, name))
                        .as("the events template maps extra field %s as %s without ignore_malformed", name, type)
                        .isTrue();
            }
            for (String leaf : leaves.keySet()) {
                assertThat(leaf.startsWith(name + ".")).as("%s is under extra %s", leaf, name).isFalse();
                assertThat(name.startsWith(leaf + ".")).as("extra %s is under %s", name, leaf).isFalse();
            }
        }
    }

    /**
     * The events index holds at most the template's fields and the catalog's (with their parent
     * objects and multi-fields, as Elasticsearch counts them): within the field limit, so a
     * document is never refused because an index met too many names.
     */
    @Test
    void theWholeCatalogFitsTheEventIndexFieldLimit() throws IOException {
        JsonNode template = JSON.readTree(IndexTemplates.json(IndexTemplates.EVENTS)).path("template");
        Set<String> fields = new TreeSet<>();
        counted("", template.path("mappings").path("properties"), fields);
        for (String name : ExtraFields.CATALOG) {
            for (int dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) {
                fields.add(name.substring(0, dot));
            }
            fields.add(name);
        }
        int limit = template.path("settings").path("index").path("mapping").path("total_fields").path("limit")
                .asInt(DEFAULT_FIELD_LIMIT);
        assertThat(fields.size()).as("fields of the events index at most").isLessThanOrEqualTo(limit);
    }

    // ------------------------------------------------------------------ helpers

    /** Dotted leaf name → type of a template's mappings. */
    private static Map<String, String> mapped(String template) throws IOException {
        Map<String, String> out = new TreeMap<>();
        leaves("", JSON.readTree(IndexTemplates.json(template)).path("template").path("mappings").path("properties"), out);
        return out;
    }

    private static void leaves(String prefix, JsonNode properties, Map<String, String> out) {
        properties.properties().forEach(e -> {
            if (e.getValue().has("properties")) {
                leaves(prefix + e.getKey() + ".", e.getValue().get("properties"), out);
            } else {
                out.put(prefix + e.getKey(), e.getValue().path("type").asText());
            }
        });
    }

    /** Whether the leaf {@code dotted} of a template's mappings has {@code ignore_malformed: true}. */
    private static boolean ignoresMalformed(String template, String dotted) throws IOException {
        JsonNode n = JSON.readTree(IndexTemplates.json(template)).path("template").path("mappings");
        for (String step : dotted.split("\\.")) {
            n = n.path("properties").path(step);
        }
        return n.path("ignore_malformed").asBoolean(false);
    }

    /** Every object, leaf and multi-field of the mappings, as Elasticsearch counts fields. */
    private static void counted(String prefix, JsonNode properties, Set<String> out) {
        properties.properties().forEach(e -> {
            String name = prefix + e.getKey();
            out.add(name);
            if (e.getValue().has("properties")) {
                counted(name + ".", e.getValue().get("properties"), out);
            }
            e.getValue().path("fields").properties().forEach(f -> out.add(name + "." + f.getKey()));
        });
    }
}
