package io.vigil.context.intel;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A STIX 2.1 bundle: its {@code indicator} objects whose {@code pattern_type} is {@code stix} (or
 * absent, as in STIX 2.0), one indicator per supported comparison of the pattern
 * ({@link StixPattern}). {@code revoked} indicators, other pattern types, other objects and patterns
 * that need several observations are skipped; {@code created_by_ref} names the provider (the
 * identity's {@code name} when the bundle holds it, else the reference).
 */
final class StixFeed {

    private StixFeed() {}

    static FeedResult read(byte[] body, String feed) throws IOException {
        JsonNode root = JsonFeeds.tree(body, "stix");
        JsonNode objects;
        if (root.isObject() && "bundle".equals(JsonFeeds.text(root, "type"))) {
            objects = root.path("objects");
        } else if (root.isObject() && "indicator".equals(JsonFeeds.text(root, "type"))) {
            objects = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(root);
        } else {
            throw new IOException("stix feed " + feed + ": not a STIX bundle (an object with \"type\": \"bundle\")");
        }
        if (!objects.isArray()) {
            throw new IOException("stix feed " + feed + ": the bundle has no \"objects\" array");
        }
        Map<String, String> identities = new HashMap<>();
        for (JsonNode o : objects) {
            if ("identity".equals(JsonFeeds.text(o, "type")) && JsonFeeds.text(o, "id") != null
                    && JsonFeeds.text(o, "name") != null) {
                identities.put(JsonFeeds.text(o, "id"), JsonFeeds.text(o, "name"));
            }
        }
        FeedResult.Collector c = new FeedResult.Collector();
        int index = 0;
        for (JsonNode o : objects) {
            index++;
            String type = JsonFeeds.text(o, "type");
            if (!"indicator".equals(type)) {
                if (!"identity".equals(type)) {
                    c.skipped++;
                }
                continue;
            }
            String id = JsonFeeds.text(o, "id");
            String where = "object " + index + (id == null ? "" : " (" + id + ")");
            indicator(o, id, where, feed, identities, c);
        }
        return c.result();
    }

    private static void indicator(JsonNode o, String id, String where, String feed, Map<String, String> identities,
                                  FeedResult.Collector c) {
        String patternType = JsonFeeds.text(o, "pattern_type");
        if (o.path("revoked").asBoolean(false) || patternType != null && !patternType.equals("stix")) {
            c.skipped++;
            return;
        }
        String pattern = JsonFeeds.text(o, "pattern");
        if (pattern == null) {
            c.refuse(where, "no pattern");
            return;
        }
        Instant from;
        Instant until;
        int confidence;
        try {
            from = JsonFeeds.time(o, "valid_from");
            until = JsonFeeds.time(o, "valid_until");
            confidence = confidence(o.get("confidence"));
        } catch (IllegalArgumentException e) {
            c.refuse(where, e.getMessage());
            return;
        }
        StixPattern.Parsed parsed = StixPattern.parse(pattern);
        if (parsed.unsupported() != null) {
            // a condition over several observations (AND, FOLLOWEDBY, qualifiers): not matchable value by value
            c.skipped++;
            return;
        }
        c.skipped += parsed.otherTerms();
        String ref = JsonFeeds.text(o, "created_by_ref");
        String provider = ref == null ? null : identities.getOrDefault(ref, ref);
        String description = JsonFeeds.text(o, "description");
        if (description == null) {
            description = JsonFeeds.text(o, "name");
        }
        for (StixPattern.Term t : parsed.terms()) {
            Indicator.Type type = t.type();
            String raw = t.value();
            if ((type == Indicator.Type.IPV4_ADDR || type == Indicator.Type.IPV6_ADDR) && raw.indexOf('/') >= 0) {
                type = Indicator.Type.CIDR;
            }
            try {
                String value = IndicatorValues.normalize(type, raw);
                if (type == Indicator.Type.CIDR && (IndicatorValues.addressType(value.substring(0, value.indexOf('/')))
                        == Indicator.Type.IPV4_ADDR) != (t.type() == Indicator.Type.IPV4_ADDR)) {
                    throw new IllegalArgumentException("a network of the other address family: " + value);
                }
                c.indicators.add(new Indicator(type, value, confidence, from, until, feed, provider, id, description));
            } catch (IllegalArgumentException e) {
                c.refuse(where, e.getMessage());
            }
        }
    }

    /** STIX confidence: an integer 0–100; 50 when absent. */
    private static int confidence(JsonNode n) {
        if (n == null || n.isNull()) {
            return 50;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.intValue() < 0 || n.intValue() > 100) {
            throw new IllegalArgumentException("confidence is an integer 0 to 100: " + n);
        }
        return n.intValue();
    }
}
