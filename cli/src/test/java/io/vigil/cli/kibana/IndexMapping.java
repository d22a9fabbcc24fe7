package io.vigil.cli.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.connectors.elasticsearch.IndexTemplates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The explicit fields of one Vigil index template: dotted path to Elasticsearch type, multi-fields included. */
record IndexMapping(String template, List<String> indexPatterns, Map<String, String> fieldTypes) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every Vigil index template. */
    static List<IndexMapping> all() {
        List<IndexMapping> mappings = new ArrayList<>();
        for (String name : IndexTemplates.ALL) {
            mappings.add(of(name, IndexTemplates.json(name)));
        }
        return mappings;
    }

    static IndexMapping of(String name, String templateJson) {
        try {
            JsonNode template = JSON.readTree(templateJson);
            List<String> patterns = new ArrayList<>();
            template.path("index_patterns").forEach(p -> patterns.add(p.asText()));
            Map<String, String> types = new TreeMap<>();
            collect("", template.path("template").path("mappings").path("properties"), types);
            return new IndexMapping(name, List.copyOf(patterns), types);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The type of {@code field}, empty when the template does not map it. */
    Optional<String> type(String field) {
        return Optional.ofNullable(fieldTypes.get(field));
    }

    private static void collect(String prefix, JsonNode properties, Map<String, String> types) {
        properties.fields().forEachRemaining(entry -> {
            String path = prefix + entry.getKey();
            JsonNode field = entry.getValue();
            if (field.has("type")) {
                types.put(path, field.get("type").asText());
                field.path("fields").fields().forEachRemaining(sub ->
                        types.put(path + "." + sub.getKey(), sub.getValue().path("type").asText()));
            }
            if (field.has("properties")) {
                collect(path + ".", field.get("properties"), types);
            }
        });
    }
}
