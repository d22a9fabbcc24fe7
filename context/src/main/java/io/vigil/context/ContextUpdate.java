package io.vigil.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;

/**
 * One record of the context control topic ({@code enrich.control-topic}): a whole table of one
 * kind and name, as its file would hold it. A later record of the same kind and name replaces the
 * table; the topic is compacted and keyed by {@link #key()}, so it holds the latest of each.
 *
 * @param kind {@code intel}, {@code assets} or {@code identities}
 * @param name the table's name (a feed's name: {@code abuse-ch}); letters, digits, {@code .-_}
 * @param format how {@code body} is written: {@code stix}, {@code misp}, {@code csv} or {@code json}
 * @param actor who wrote the record
 * @param at when it was written (the writer's clock)
 * @param body the table, as its file holds it
 */
public record ContextUpdate(String kind, String name, String format, String actor, Instant at, byte[] body) {

    public static final String INTEL = "intel";
    public static final String ASSETS = "assets";
    public static final String IDENTITIES = "identities";
    public static final Set<String> KINDS = Set.of(INTEL, ASSETS, IDENTITIES);
    public static final Set<String> FORMATS = Set.of("stix", "misp", "csv", "json");
    /** A table larger than this is refused where it is written and where it is read. */
    public static final int MAX_BODY_BYTES = 256 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    public ContextUpdate {
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("kind must be one of " + KINDS + ": " + kind);
        }
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > 100 || !name.chars().allMatch(c -> c < 128
                && (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_'))) {
            throw new IllegalArgumentException("a table name is 1 to 100 letters, digits, '.', '-' or '_': " + name);
        }
        if (!FORMATS.contains(format)) {
            throw new IllegalArgumentException("format must be one of " + FORMATS + ": " + format);
        }
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(body, "body");
        if (body.length > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("a table is at most " + MAX_BODY_BYTES + " bytes, got " + body.length);
        }
        actor = actor == null ? "unknown" : actor;
    }

    /** The topic key: one table per kind and name. */
    public String key() {
        return kind + "/" + name;
    }

    /** The record as the topic holds it (JSON, the body in base64). */
    public byte[] toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", kind);
        n.put("name", name);
        n.put("format", format);
        n.put("actor", actor);
        n.put("at", at.toString());
        n.put("body", Base64.getEncoder().encodeToString(body));
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a record of the topic; the message says what is wrong with one that is not. */
    public static ContextUpdate fromJson(byte[] json) throws IOException {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (IOException e) {
            throw new IOException("not a context control record (JSON written by vigil intel push): " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IOException("not a context control record (a JSON object written by vigil intel push)");
        }
        try {
            return new ContextUpdate(text(n, "kind"), text(n, "name"), text(n, "format"), n.path("actor").asText(null),
                    Instant.parse(text(n, "at")), Base64.getDecoder().decode(text(n, "body")));
        } catch (RuntimeException e) {
            throw new IOException("not a valid context control record: " + e.getMessage());
        }
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing " + key);
        }
        return v.asText();
    }
}
