package io.vigil.rules.sigma;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.EcsJson;
import io.vigil.model.SecurityEvent;
import java.util.Arrays;
import java.util.Locale;

/**
 * The values one event gives the compiled rules, each computed (and lower-cased) at most once
 * per event whatever the number of rules reading it. Reused from event to event; not
 * thread-safe.
 */
final class EventFields {

    /** Deepest JSON a lookup parses: field text is event data, its nesting is the sender's choice. */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build());

    private final FieldTable table;
    private final String[] values;
    private final String[] lowers;
    private final int[] valueAt;
    private final int[] lowerAt;
    private int stamp;
    private SecurityEvent event;
    private String jsonField;
    private JsonNode jsonTree;

    EventFields(FieldTable table) {
        this.table = table;
        int n = table.size();
        values = new String[n];
        lowers = new String[n];
        valueAt = new int[n];
        lowerAt = new int[n];
    }

    /** Starts on a new event: every cached value is stale. */
    void reset(SecurityEvent e) {
        event = e;
        jsonField = null;
        jsonTree = null;
        if (++stamp == Integer.MAX_VALUE) {
            Arrays.fill(valueAt, 0);
            Arrays.fill(lowerAt, 0);
            stamp = 1;
        }
    }

    SecurityEvent event() {
        return event;
    }

    /** The value of slot {@code slot}, or null when the event does not have it. */
    String value(int slot) {
        if (valueAt[slot] != stamp) {
            values[slot] = read(table.source(slot).field(), table.path(slot));
            valueAt[slot] = stamp;
        }
        return values[slot];
    }

    /** The value of slot {@code slot} lower-cased, or null. */
    String lower(int slot) {
        if (lowerAt[slot] != stamp) {
            String v = value(slot);
            lowers[slot] = v == null ? null : v.toLowerCase(Locale.ROOT);
            lowerAt[slot] = stamp;
        }
        return lowers[slot];
    }

    private String read(String field, String[] path) {
        String text = EcsJson.value(event, field);
        if (text == null || path == null) {
            return text;
        }
        JsonNode node = tree(field, text);
        for (String key : path) {
            if (node == null) {
                return null;
            }
            node = node.get(key);
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    /** The field's text read as JSON (once per event and field); null when it is not JSON. */
    private JsonNode tree(String field, String text) {
        if (!field.equals(jsonField)) {
            jsonField = field;
            try {
                jsonTree = JSON.readTree(text);
            } catch (java.io.IOException e) {
                jsonTree = null; // not JSON (or too deep): the lookup finds nothing
            }
        }
        return jsonTree;
    }
}
