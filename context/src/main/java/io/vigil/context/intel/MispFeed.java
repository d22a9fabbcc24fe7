package io.vigil.context.intel;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * MISP event JSON: {@code {"Event": {...}}} or a search answer {@code {"response": [{"Event":
 * {...}}, ...]}}. Every {@code Attribute} of the event and of its {@code Object}s with
 * {@code to_ids} true and a type Vigil matches is one indicator; the others are skipped.
 *
 * <p>Confidence: a {@code misp:confidence-level} or
 * {@code estimative-language:confidence-in-analytic-judgment} tag on the attribute, else on the
 * event, else the event's {@code threat_level_id} (1 high: 85, 2 medium: 50, 3 low: 20,
 * 4 undefined: 50). Provider: {@code Event.Orgc.name}. Description: the attribute's
 * {@code comment}, else the event's {@code info}. MISP gives no validity: the indicators hold
 * until the feed is replaced.
 */
final class MispFeed {

    private MispFeed() {}

    static FeedResult read(byte[] body, String feed) throws IOException {
        JsonNode root = JsonFeeds.tree(body, "misp");
        FeedResult.Collector c = new FeedResult.Collector();
        if (root.has("Event")) {
            event(root.get("Event"), "Event", feed, c);
        } else if (root.path("response").isArray()) {
            int i = 0;
            for (JsonNode r : root.get("response")) {
                event(r.path("Event"), "response[" + i++ + "].Event", feed, c);
            }
        } else {
            throw new IOException("misp feed " + feed + ": neither {\"Event\": ...} nor {\"response\": [...]}");
        }
        return c.result();
    }

    private static void event(JsonNode event, String where, String feed, FeedResult.Collector c) {
        if (!event.isObject()) {
            c.refuse(where, "not an object");
            return;
        }
        String provider = JsonFeeds.text(event.path("Orgc"), "name");
        String info = JsonFeeds.text(event, "info");
        Integer eventConfidence = tagConfidence(event.path("Tag"));
        int confidence = eventConfidence != null ? eventConfidence : threatLevel(JsonFeeds.text(event, "threat_level_id"));
        int i = 0;
        for (JsonNode a : event.path("Attribute")) {
            attribute(a, where + ".Attribute[" + i++ + "]", feed, provider, info, confidence, c);
        }
        int o = 0;
        for (JsonNode object : event.path("Object")) {
            int j = 0;
            for (JsonNode a : object.path("Attribute")) {
                attribute(a, where + ".Object[" + o + "].Attribute[" + j++ + "]", feed, provider, info, confidence, c);
            }
            o++;
        }
    }

    private static void attribute(JsonNode a, String where, String feed, String provider, String info,
                                  int eventConfidence, FeedResult.Collector c) {
        String type = JsonFeeds.text(a, "type");
        String raw = JsonFeeds.text(a, "value");
        if (type == null || raw == null) {
            c.refuse(where, "no type or value");
            return;
        }
        if (!toIds(a.get("to_ids")) || a.path("deleted").asBoolean(false)) {
            c.skipped++;
            return;
        }
        String value = raw;
        Indicator.Type t;
        switch (type) {
            case "ip-src", "ip-dst", "ip-src|port", "ip-dst|port" -> {
                value = type.endsWith("|port") ? before(raw) : raw;
                t = IndicatorValues.addressType(value);
                if (t == null) {
                    c.refuse(where, "not an IP address or CIDR: " + IndicatorValues.shorten(value));
                    return;
                }
            }
            case "domain", "hostname", "domain|ip" -> {
                value = type.equals("domain|ip") ? before(raw) : raw;
                t = Indicator.Type.DOMAIN_NAME;
            }
            case "url" -> t = Indicator.Type.URL;
            case "md5", "filename|md5" -> {
                value = type.startsWith("filename|") ? after(raw) : raw;
                t = Indicator.Type.MD5;
            }
            case "sha1", "filename|sha1" -> {
                value = type.startsWith("filename|") ? after(raw) : raw;
                t = Indicator.Type.SHA1;
            }
            case "sha256", "filename|sha256" -> {
                value = type.startsWith("filename|") ? after(raw) : raw;
                t = Indicator.Type.SHA256;
            }
            default -> {
                c.skipped++;
                return;
            }
        }
        Integer own = tagConfidence(a.path("Tag"));
        String comment = JsonFeeds.text(a, "comment");
        try {
            c.indicators.add(new Indicator(t, IndicatorValues.normalize(t, value), own != null ? own : eventConfidence,
                    null, null, feed, provider, JsonFeeds.text(a, "uuid"), comment != null ? comment : info));
        } catch (IllegalArgumentException e) {
            c.refuse(where, e.getMessage());
        }
    }

    private static boolean toIds(JsonNode n) {
        if (n == null || n.isNull()) {
            return true;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        String s = n.asText();
        return s.equals("1") || s.equalsIgnoreCase("true");
    }

    private static String before(String v) {
        int bar = v.indexOf('|');
        return bar < 0 ? v : v.substring(0, bar);
    }

    private static String after(String v) {
        int bar = v.lastIndexOf('|');
        return bar < 0 ? v : v.substring(bar + 1);
    }

    /** The confidence a tag list states, or {@code null}. */
    static Integer tagConfidence(JsonNode tags) {
        for (JsonNode tag : tags) {
            String name = JsonFeeds.text(tag, "name");
            if (name == null) {
                continue;
            }
            Integer c = switch (name) {
                case "misp:confidence-level=\"completely-confident\"" -> 100;
                case "misp:confidence-level=\"usually-confident\"" -> 75;
                case "misp:confidence-level=\"fairly-confident\"" -> 50;
                case "misp:confidence-level=\"rarely-confident\"" -> 25;
                case "misp:confidence-level=\"unconfident\"" -> 0;
                case "misp:confidence-level=\"confidence-cannot-be-evaluated\"" -> 50;
                case "estimative-language:confidence-in-analytic-judgment=\"high\"" -> 90;
                case "estimative-language:confidence-in-analytic-judgment=\"moderate\"" -> 60;
                case "estimative-language:confidence-in-analytic-judgment=\"low\"" -> 20;
                default -> null;
            };
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    /** MISP threat level: 1 high, 2 medium, 3 low, 4 undefined. */
    static int threatLevel(String id) {
        return switch (id == null ? "" : id) {
            case "1" -> 85;
            case "3" -> 20;
            default -> 50;
        };
    }
}
