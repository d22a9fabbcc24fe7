package io.vigil.rules.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.re2j.Pattern;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;

/**
 * The manifest of a rule bundle ({@value RuleBundle#MANIFEST}): what it is, who made it, when.
 *
 * @param version the bundle's version, unique per pushed bundle ({@code 2026.12.07-1}); letters,
 *     digits and {@code . _ + -}, at most 64 characters, because it names documents and is typed
 *     on the command line ({@code vigil rules rollback VERSION})
 * @param author who made the bundle
 * @param created when it was made
 * @param description what changed, for the people who review it
 */
public record BundleManifest(String version, String author, Instant created, String description)
        implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
    private static final Set<String> KEYS = Set.of("version", "author", "created", "description");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public BundleManifest {
        Objects.requireNonNull(version, "version");
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("version '" + version + "': use letters, digits and . _ + - "
                    + "(at most 64 characters, starting with a letter or digit)");
        }
        if (author == null || author.isBlank()) {
            throw new IllegalArgumentException("author is required: who made the bundle");
        }
        Objects.requireNonNull(created, "created");
        description = description == null ? "" : description;
    }

    /** Reads a manifest; every error names the key to fix. */
    public static BundleManifest parse(byte[] yaml) throws BundleException {
        JsonNode node;
        try {
            node = YAML.readTree(new String(yaml, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new BundleException("manifest", RuleBundle.MANIFEST + " is not YAML: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new BundleException("manifest", RuleBundle.MANIFEST + " must be a mapping with version, author, "
                    + "created and description");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new BundleException("manifest", RuleBundle.MANIFEST + ": unknown key '" + key
                        + "' (known: version, author, created, description)");
            }
        }
        String version = text(node, "version");
        String author = text(node, "author");
        String created = text(node, "created");
        if (version == null || author == null || created == null) {
            throw new BundleException("manifest", RuleBundle.MANIFEST + " needs version, author and created "
                    + "(an ISO-8601 instant such as 2026-12-07T14:00:00Z)");
        }
        try {
            return new BundleManifest(version, author, Instant.parse(created), text(node, "description"));
        } catch (DateTimeParseException e) {
            throw new BundleException("manifest", RuleBundle.MANIFEST + ": created '" + created
                    + "' is not an ISO-8601 instant such as 2026-12-07T14:00:00Z");
        } catch (IllegalArgumentException e) {
            throw new BundleException("manifest", RuleBundle.MANIFEST + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The manifest as YAML, as a bundle holds it. */
    public byte[] toYaml() {
        ObjectNode node = YAML.createObjectNode();
        node.put("version", version);
        node.put("author", author);
        node.put("created", created.toString());
        node.put("description", description);
        try {
            return YAML.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
