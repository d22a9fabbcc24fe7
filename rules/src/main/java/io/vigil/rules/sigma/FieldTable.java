package io.vigil.rules.sigma;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The numbered field sources every compiled rule reads: each distinct source gets one slot, so
 * an event's value of it is computed once however many rules read it ({@link EventFields}).
 * Filled while compiling, read-only afterwards.
 */
final class FieldTable {

    private final Map<FieldSource, Integer> slots = new HashMap<>();
    private final List<FieldSource> sources = new ArrayList<>();
    /** Per slot, the JSON path split into keys once, not per event; null for a plain field. */
    private final List<String[]> paths = new ArrayList<>();

    int slot(FieldSource source) {
        return slots.computeIfAbsent(source, s -> {
            sources.add(s);
            paths.add(s.jsonPath() == null ? null : s.jsonPath().split("\\."));
            return sources.size() - 1;
        });
    }

    /** The keys of slot {@code slot}'s JSON path, or null when the slot is a plain field. */
    String[] path(int slot) {
        return paths.get(slot);
    }

    FieldSource source(int slot) {
        return sources.get(slot);
    }

    int size() {
        return sources.size();
    }
}
