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

    int slot(FieldSource source) {
        return slots.computeIfAbsent(source, s -> {
            sources.add(s);
            return sources.size() - 1;
        });
    }

    FieldSource source(int slot) {
        return sources.get(slot);
    }

    int size() {
        return sources.size();
    }
}
