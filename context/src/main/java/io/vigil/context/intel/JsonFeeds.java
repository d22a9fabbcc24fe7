package io.vigil.context.intel;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** What the JSON feeds (STIX, MISP) share: reading the body, and their values. */
final class JsonFeeds {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonFeeds() {}

    static JsonNode tree(byte[] body, String format) throws IOException {
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isContainerNode()) {
                throw new IOException(format + " feed: not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new IOException(format + " feed: not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Whether a JSON body's top-level object has MISP's {@code Event} or {@code response}, read without a tree. */
    static boolean isMisp(byte[] body) {
        try (JsonParser p = JSON.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (name.equals("Event") || name.equals("response")) {
                    return true;
                }
                if (name.equals("type") || name.equals("objects")) {
                    return false;
                }
                p.nextToken();
                p.skipChildren();
            }
            return false;
        } catch (IOException e) {
            return false; // the STIX reader names what is wrong
        }
    }

    /** A text member, or {@code null} when absent, null or empty. */
    static String text(JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        String s = v.asText();
        return s.isEmpty() ? null : s;
    }

    /** A timestamp member, or {@code null} when absent. */
    static Instant time(JsonNode n, String name) {
        String s = text(n, name);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " is not an RFC 3339 timestamp: " + IndicatorValues.shorten(s));
        }
    }
}
