package io.vigil.rules.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of a mapping file: for a Sigma log source, which Vigil events it selects
 * ({@code when}: a list of alternatives, each a map of Vigil field to value(s) in Sigma's own
 * detection syntax), how Sigma field names map to Vigil fields, where an unmapped field is
 * looked for, which fields keywords search, and what alerts group by.
 *
 * @param when the selection, or null when this entry only carries mappings
 * @param fields Sigma field name → the Vigil field sources to read it from, first present wins
 * @param unmapped prefix of the Vigil field for a Sigma field not in {@code fields}, or null
 * @param keywords the Vigil fields keywords are searched in, or null (the product's, else the default)
 * @param groupBy what alerts of its rules group by, or null
 */
record LogSourceMapping(LogSourceKey key, JsonNode when, Map<String, List<FieldSource>> fields, String unmapped,
                        boolean unmappedKnownOnly, List<String> keywords, List<String> groupBy, String file) {

    static LogSourceMapping parse(JsonNode entry, String file) throws SigmaException {
        if (!entry.isObject()) {
            throw SigmaException.problem("a vigil-logsources entry is a map");
        }
        LogSourceKey key = LogSourceKey.of(entry);
        if (key.product() == null && key.category() == null && key.service() == null) {
            throw SigmaException.problem("a vigil-logsources entry names a product, category or service");
        }
        JsonNode when = entry.get("when");
        if (when != null && !when.isArray() && !when.isObject()) {
            throw SigmaException.problem(key + ": 'when' is a map or a list of maps");
        }
        Map<String, List<FieldSource>> fields = new LinkedHashMap<>();
        JsonNode f = entry.get("fields");
        if (f != null) {
            if (!f.isObject()) {
                throw SigmaException.problem(key + ": 'fields' maps Sigma field names to Vigil fields");
            }
            for (var it = f.fields(); it.hasNext(); ) {
                var e = it.next();
                List<FieldSource> to = new ArrayList<>();
                for (String s : texts(e.getValue())) {
                    to.add(FieldSource.parse(s));
                }
                if (to.isEmpty()) {
                    throw SigmaException.problem(key + ": field '" + e.getKey() + "' maps to nothing");
                }
                fields.put(e.getKey(), to);
            }
        }
        JsonNode unmapped = entry.get("unmapped");
        return new LogSourceMapping(key, when == null || when.isNull() ? null : when, fields,
                unmapped == null || unmapped.isNull() ? null : unmapped.asText(),
                entry.path("unmapped-known-only").asBoolean(false), optionalTexts(entry.get("keywords")),
                optionalTexts(entry.get("group-by")), file);
    }

    private static List<String> optionalTexts(JsonNode node) {
        return node == null || node.isNull() ? null : texts(node);
    }

    private static List<String> texts(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else if (!node.isNull()) {
            out.add(node.asText());
        }
        return out;
    }

    /** This entry with {@code over}'s settings on top (a user's file over the packaged one). */
    LogSourceMapping overriddenBy(LogSourceMapping over) {
        Map<String, List<FieldSource>> merged = new LinkedHashMap<>(fields);
        merged.putAll(over.fields);
        return new LogSourceMapping(key, over.when != null ? over.when : when, merged,
                over.unmapped != null ? over.unmapped : unmapped,
                over.unmapped != null ? over.unmappedKnownOnly : unmappedKnownOnly, over.keywords != null ? over.keywords : keywords,
                over.groupBy != null ? over.groupBy : groupBy, over.file);
    }
}
