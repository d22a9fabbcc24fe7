package io.vigil.rules.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a {@code detection} section (search identifiers and condition) into one matcher tree,
 * once; nothing of the YAML is looked at per event.
 */
final class DetectionCompiler {

    private DetectionCompiler() {}

    static Matcher compile(JsonNode detection, ValueCompiler values) throws SigmaException {
        if (detection == null || !detection.isObject()) {
            throw SigmaException.problem("detection is missing or not a map");
        }
        JsonNode condition = detection.get("condition");
        if (condition == null || condition.isNull()) {
            throw SigmaException.problem("detection has no condition");
        }
        Map<String, Matcher> identifiers = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = detection.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("condition") || e.getKey().equals("timeframe")) {
                continue;
            }
            try {
                identifiers.put(e.getKey(), search(e.getValue(), values));
            } catch (SigmaException ex) {
                throw ex.isUnsupported() ? ex : SigmaException.problem(e.getKey() + ": " + ex.getMessage());
            }
        }
        if (condition.isArray()) {
            // several conditions (Sigma 1 style): any of them
            List<Matcher> any = new ArrayList<>();
            for (JsonNode c : condition) {
                any.add(ConditionParser.parse(c.asText(), identifiers));
            }
            if (any.isEmpty()) {
                throw SigmaException.problem("the condition list is empty");
            }
            return Matchers.or(any);
        }
        return ConditionParser.parse(condition.asText(), identifiers);
    }

    /** One search identifier: a map (AND of its entries), a list (OR; keywords when scalars), or a keyword. */
    private static Matcher search(JsonNode def, ValueCompiler values) throws SigmaException {
        if (def == null || def.isNull()) {
            throw SigmaException.problem("empty search identifier");
        }
        if (def.isObject()) {
            List<Matcher> all = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = def.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                all.add(values.entry(e.getKey(), e.getValue()));
            }
            if (all.isEmpty()) {
                throw SigmaException.problem("empty map");
            }
            return Matchers.and(all);
        }
        if (def.isArray()) {
            List<Matcher> any = new ArrayList<>();
            List<JsonNode> keywords = new ArrayList<>();
            for (JsonNode item : def) {
                if (item.isObject()) {
                    any.add(search(item, values));
                } else if (item.isArray()) {
                    throw SigmaException.problem("a list inside a list");
                } else {
                    keywords.add(item);
                }
            }
            if (!keywords.isEmpty()) {
                any.add(values.keywords(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode()
                        .addAll(keywords), java.util.Set.of()));
            }
            if (any.isEmpty()) {
                throw SigmaException.problem("empty list");
            }
            return Matchers.or(any);
        }
        return values.keywords(def, java.util.Set.of());
    }
}
