package io.vigil.rules.exceptions;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.model.EcsJson;
import io.vigil.model.ExtraFields;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A list of {@link RuleException}s, as an exceptions file ({@code --exceptions FILE},
 * {@code detection.exceptions}) or a bundle's {@code exceptions.yml} gives them. Immutable;
 * shipped to the tasks with the rules.
 *
 * <p>The document is a list of entries, or a map whose only key {@code exceptions} holds the list.
 * Each entry has {@code rule} (an id or {@code *}), {@code field} (an ECS field Vigil knows: a
 * typo is an error, never an entry that silently matches nothing), {@code values} and/or
 * {@code cidr}, {@code reason}, {@code author}, and optionally {@code id} (default
 * {@code <file>#<n>}, n from 1) and {@code expires} (an ISO date, meaning the start of that day UTC,
 * or an instant).
 *
 * <p>Matching cost per hit is bounded: values are looked up in a hash map per rule and field, and
 * the event's address is compared with each range of that rule and field (at most
 * {@link #MAX_RANGES} ranges in all).
 */
public final class RuleExceptions implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Most {@code cidr} ranges of all entries together: each is one comparison per hit of its rule. */
    public static final int MAX_RANGES = 1_000;

    /** The {@code rule} of an entry that covers every rule. */
    public static final String ANY_RULE = "*";

    public static final RuleExceptions NONE = new RuleExceptions(List.of());

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));
    private static final Set<String> KEYS = Set.of("id", "rule", "field", "values", "cidr", "reason", "author",
            "expires");

    private final List<RuleException> entries;
    /** Rule id (or {@code *}) → field → what entries of that rule and field match; rebuilt on deserialization. */
    private final transient Map<String, Map<String, FieldIndex>> index;

    private RuleExceptions(List<RuleException> entries) {
        this.entries = List.copyOf(entries);
        this.index = index(this.entries);
    }

    /**
     * Reads an exceptions document ({@code file} names it in errors). Throws
     * {@link IllegalArgumentException} naming the entry and key to fix.
     */
    public static RuleExceptions parse(String file, String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(file + ": not a YAML document: " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return NONE; // an empty file excepts nothing
        }
        if (root.isObject()) {
            Iterator<String> names = root.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!"exceptions".equals(name)) {
                    throw new IllegalArgumentException(file + ": unknown key '" + name
                            + "' (the document is a list of entries, or 'exceptions:' holding one)");
                }
            }
            root = root.get("exceptions");
            if (root == null || root.isNull()) {
                return NONE;
            }
        }
        if (!root.isArray()) {
            throw new IllegalArgumentException(file + ": expected a list of exception entries");
        }
        List<RuleException> entries = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            RuleException entry = entry(file, i + 1, root.get(i));
            if (!ids.add(entry.id())) {
                throw new IllegalArgumentException(file + ": entry " + (i + 1) + ": key 'id': '" + entry.id()
                        + "' is the id of an earlier entry (counts are kept per id)");
            }
            entries.add(entry);
        }
        return new RuleExceptions(entries);
    }

    private static RuleException entry(String file, int n, JsonNode node) {
        String where = file + ": entry " + n;
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": expected a map of id, rule, field, values/cidr, reason, "
                    + "author, expires");
        }
        String id = text(node, "id", where, false);
        if (id == null) {
            id = file + "#" + n;
        }
        where = where + " (" + id + ")";
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!KEYS.contains(name)) {
                throw new IllegalArgumentException(where + ": unknown key '" + name + "' (keys: id, rule, field, "
                        + "values, cidr, reason, author, expires)");
            }
        }
        String rule = text(node, "rule", where, true);
        String field = text(node, "field", where, true);
        if (!EcsJson.isModelled(field) && !ExtraFields.isAllowed(field)) {
            throw new IllegalArgumentException(where + ": key 'field': '" + field + "' is not an ECS field Vigil "
                    + "reads (the fields of docs/formats.md and its extra-field catalog)");
        }
        List<String> values = list(node, "values", where);
        List<String> cidr = list(node, "cidr", where);
        if (values.isEmpty() && cidr.isEmpty()) {
            throw new IllegalArgumentException(where + ": give 'values' or 'cidr' (at least one value)");
        }
        for (String c : cidr) {
            if (AddressRange.parse(c) == null) {
                throw new IllegalArgumentException(where + ": key 'cidr': '" + c + "' is not an IPv4 or IPv6 "
                        + "network (address/prefix, or one address)");
            }
        }
        String reason = text(node, "reason", where, true);
        String author = text(node, "author", where, true);
        String expires = text(node, "expires", where, false);
        return new RuleException(id, rule, field, values, cidr, reason, author,
                expires == null ? null : instant(expires, where));
    }

    /** A date is the start of that day UTC; otherwise an instant with Z or an offset. */
    private static Instant instant(String text, String where) {
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(where + ": key 'expires': '" + text + "' is not an ISO date "
                    + "(2027-01-31) or instant (2027-01-31T12:00:00Z)");
        }
    }

    private static String text(JsonNode node, String key, String where, boolean required) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(where + ": key '" + key + "' is required");
            }
            return null;
        }
        if (!v.isValueNode() || v.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": key '" + key + "': expected non-empty text");
        }
        return v.asText().strip();
    }

    private static List<String> list(JsonNode node, String key, String where) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException(where + ": key '" + key + "': expected a list");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isValueNode() || item.isNull() || item.asText().isEmpty()) {
                throw new IllegalArgumentException(where + ": key '" + key + "': expected a list of non-empty "
                        + "values, got " + item.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            out.add(item.asText());
        }
        return out;
    }

    /** Reads an exceptions file. */
    public static RuleExceptions load(Path file) throws IOException {
        return parse(file.toString(), java.nio.file.Files.readString(file));
    }

    /** These entries and then {@code other}'s. */
    public RuleExceptions plus(RuleExceptions other) {
        List<RuleException> all = new ArrayList<>(entries);
        all.addAll(other.entries);
        return new RuleExceptions(all);
    }

    public List<RuleException> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * The first entry that covers a hit of {@code ruleId} on {@code event} at the event's time, or
     * null when the hit stands.
     */
    public RuleException covering(String ruleId, SecurityEvent event) {
        if (entries.isEmpty()) {
            return null;
        }
        long at = event.timestamp() == null ? Long.MIN_VALUE : event.timestamp().toEpochMilli();
        int first = Math.min(first(index.get(ruleId), event, at), first(index.get(ANY_RULE), event, at));
        return first == Integer.MAX_VALUE ? null : entries.get(first);
    }

    /** The position of the first entry of {@code byField} that covers {@code event} at {@code at}, or MAX_VALUE. */
    private int first(Map<String, FieldIndex> byField, SecurityEvent event, long at) {
        if (byField == null) {
            return Integer.MAX_VALUE;
        }
        int first = Integer.MAX_VALUE;
        for (Map.Entry<String, FieldIndex> f : byField.entrySet()) {
            String value = EcsJson.value(event, f.getKey());
            if (value != null) {
                first = Math.min(first, f.getValue().first(value, at, this));
            }
        }
        return first;
    }

    private boolean liveAt(int entry, long at) {
        Instant expires = entries.get(entry).expires();
        return expires == null || expires.toEpochMilli() > at;
    }

    private static Map<String, Map<String, FieldIndex>> index(List<RuleException> entries) {
        Map<String, Map<String, FieldIndex>> index = new HashMap<>();
        int ranges = 0;
        for (int i = 0; i < entries.size(); i++) {
            RuleException e = entries.get(i);
            FieldIndex f = index.computeIfAbsent(e.rule(), r -> new LinkedHashMap<>())
                    .computeIfAbsent(e.field(), x -> new FieldIndex());
            for (String v : e.values()) {
                f.byValue.computeIfAbsent(v, x -> new ArrayList<>()).add(i);
            }
            for (String c : e.cidr()) {
                AddressRange range = AddressRange.parse(c);
                if (range == null) {
                    throw new IllegalArgumentException("entry " + e.id() + ": '" + c + "' is not a network");
                }
                f.ranges.add(range);
                f.rangeEntries.add(i);
                ranges++;
            }
        }
        if (ranges > MAX_RANGES) {
            throw new IllegalArgumentException("at most " + MAX_RANGES + " cidr ranges in all, got " + ranges);
        }
        return index;
    }

    /** The entries of one rule and field: positions by exact value, and ranges in entry order. */
    private static final class FieldIndex {
        final Map<String, List<Integer>> byValue = new HashMap<>();
        final List<AddressRange> ranges = new ArrayList<>();
        final List<Integer> rangeEntries = new ArrayList<>();

        int first(String value, long at, RuleExceptions owner) {
            int first = Integer.MAX_VALUE;
            List<Integer> exact = byValue.get(value);
            if (exact != null) {
                for (int entry : exact) { // ascending: the first live one is the answer here
                    if (owner.liveAt(entry, at)) {
                        first = entry;
                        break;
                    }
                }
            }
            if (!ranges.isEmpty()) {
                byte[] address = AddressRange.address(value);
                if (address != null) {
                    for (int r = 0; r < ranges.size() && rangeEntries.get(r) < first; r++) {
                        if (ranges.get(r).contains(address) && owner.liveAt(rangeEntries.get(r), at)) {
                            first = rangeEntries.get(r);
                        }
                    }
                }
            }
            return first;
        }
    }

    /** The index is derived from the entries: a deserialized copy builds its own. */
    private Object readResolve() throws ObjectStreamException {
        return new RuleExceptions(entries);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RuleExceptions other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.size() + " exception(s)";
    }
}
