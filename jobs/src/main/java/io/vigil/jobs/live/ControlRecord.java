package io.vigil.jobs.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;

/**
 * One record of the rules control topic ({@code rules.control-topic}): a bundle made live or shadow
 * ({@code push}, {@code promote}, {@code rollback}), or the shadow slot emptied ({@code clear}).
 * Every record that activates carries the whole signed bundle, so the job needs nothing but the
 * topic, and the topic is the history: who pushed what, when. The topic is compacted (never
 * deleted by age) and keyed by {@link #id()}, unique per record.
 *
 * @param id the record's key: {@code <slot>-<version>-<kind>-<at epoch ms>}
 * @param kind {@code push}, {@code promote}, {@code rollback} or {@code clear}
 * @param slot {@code live} or {@code shadow}
 * @param version the bundle's manifest version (for {@code clear}, the version it empties)
 * @param actor who wrote the record (the operating-system user of {@code vigil rules})
 * @param at when it was written (the command's clock)
 * @param effectiveAt the event time from which the bundle applies: every subtask switches at this
 *     point, so alerts are a function of the input and this history
 * @param bundle the signed bundle archive, null for {@code clear}
 */
public record ControlRecord(String id, String kind, String slot, String version, String actor, Instant at,
                            Instant effectiveAt, byte[] bundle) {

    public static final String LIVE = "live";
    public static final String SHADOW = "shadow";
    public static final Set<String> KINDS = Set.of("push", "promote", "rollback", "clear");
    private static final ObjectMapper JSON = new ObjectMapper();

    public ControlRecord {
        Objects.requireNonNull(id, "id");
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("kind must be one of " + KINDS + ": " + kind);
        }
        if (!LIVE.equals(slot) && !SHADOW.equals(slot)) {
            throw new IllegalArgumentException("slot must be live or shadow: " + slot);
        }
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(effectiveAt, "effectiveAt");
        if ("clear".equals(kind) != (bundle == null)) {
            throw new IllegalArgumentException("a clear record carries no bundle, every other record one");
        }
        actor = actor == null ? "unknown" : actor;
    }

    /** A record of {@code kind} for {@code slot}, keyed by slot, version, kind and time. */
    public static ControlRecord of(String kind, String slot, String version, String actor, Instant at,
                                   Instant effectiveAt, byte[] bundle) {
        return new ControlRecord(slot + "-" + version + "-" + kind + "-" + at.toEpochMilli(), kind, slot, version,
                actor, at, effectiveAt, bundle);
    }

    public boolean shadow() {
        return SHADOW.equals(slot);
    }

    /** The record as the topic holds it (JSON, the bundle in base64). */
    public byte[] toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        n.put("kind", kind);
        n.put("slot", slot);
        n.put("version", version);
        n.put("actor", actor);
        n.put("at", at.toString());
        n.put("effective_at", effectiveAt.toString());
        if (bundle != null) {
            n.put("bundle", Base64.getEncoder().encodeToString(bundle));
        }
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a record of the topic; the message says what is wrong with one that is not. */
    public static ControlRecord fromJson(byte[] json) throws IOException {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (IOException e) {
            throw new IOException("not a rules control record (JSON written by vigil rules): " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IOException("not a rules control record (a JSON object written by vigil rules)");
        }
        try {
            JsonNode b = n.get("bundle");
            return new ControlRecord(text(n, "id"), text(n, "kind"), text(n, "slot"), text(n, "version"),
                    n.path("actor").asText(null), Instant.parse(text(n, "at")), Instant.parse(text(n, "effective_at")),
                    b == null || b.isNull() ? null : Base64.getDecoder().decode(b.asText()));
        } catch (RuntimeException e) {
            throw new IOException("not a valid rules control record: " + e.getMessage());
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
