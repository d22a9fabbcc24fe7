package io.vigil.rules.correlate;

import io.vigil.model.Origin;
import io.vigil.rules.RuleEvaluator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One instance of the strings correlation state repeats for every tracked entity: entity field
 * names, origin kinds and origin sources (topics, paths). Hits arrive deserialized, each with
 * fresh copies of them; kept as they came, they were about a third of the heap a tracked entity
 * takes. Values (addresses, user names) differ per entity and are kept as they are.
 */
public final class SharedStrings {

    private static final Map<String, String> NAMES = RuleEvaluator.ENTITY_FIELDS.stream()
            .collect(Collectors.toUnmodifiableMap(Function.identity(), Function.identity()));

    /** Most distinct sources shared; beyond it (a misconfiguration), sources are kept as they come. */
    static final int MAX_SOURCES = 4096;

    private static final Map<String, String> SOURCES = new ConcurrentHashMap<>();

    private SharedStrings() {}

    /** The shared instance of an entity field name, or {@code name} itself when it is not a known one. */
    public static String name(String name) {
        return NAMES.getOrDefault(name, name);
    }

    /** The shared instance of an origin kind. */
    public static String kind(String kind) {
        return switch (kind) {
            case Origin.KAFKA -> Origin.KAFKA;
            case Origin.FILE -> Origin.FILE;
            case Origin.WEBHOOK -> Origin.WEBHOOK;
            default -> kind;
        };
    }

    /** The shared instance of an origin source. */
    public static String source(String source) {
        String shared = SOURCES.get(source);
        if (shared != null) {
            return shared;
        }
        if (SOURCES.size() < MAX_SOURCES) {
            shared = SOURCES.putIfAbsent(source, source);
            return shared == null ? source : shared;
        }
        return source;
    }

    /** {@code origin} with shared kind and source ({@code origin} itself when they already are). */
    public static Origin origin(Origin origin) {
        String kind = kind(origin.kind());
        String source = source(origin.source());
        return kind == origin.kind() && source == origin.source()
                ? origin : new Origin(kind, source, origin.partition(), origin.offset());
    }
}
