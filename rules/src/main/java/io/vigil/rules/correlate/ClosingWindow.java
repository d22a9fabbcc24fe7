package io.vigil.rules.correlate;

import io.vigil.model.Alert;
import io.vigil.rules.Comparison;
import io.vigil.rules.RuleMeta;
import java.util.List;

/**
 * The window of a rule whose condition is decided when the window closes (and of sums, whose
 * running total is also tested at each hit): it opens at the first hit of its key, holds the hits
 * of {@code [start, start + windowMs)}, and keeps aggregates rather than every hit, so its size
 * does not grow with the hits:
 * <ul>
 * <li>{@code THRESHOLD}, {@code VALUE_SUM}, {@code VALUE_AVG}: the count and sum, and as entries the
 * first {@link Alert#MAX_ORIGINS}{@code - 1} hits and the latest one (what an alert reports);</li>
 * <li>{@code DISTINCT}: one entry per distinct value (its first hit), at most
 * {@link #distinctBound} of them;</li>
 * <li>{@code TEMPORAL}: one entry per step (its first hit); {@code TEMPORAL_ORDERED}: the steps
 * matched in their order so far, each the first hit that matched it.</li>
 * </ul>
 */
final class ClosingWindow {

    /** Most distinct values a window decided at its close holds, whatever its condition. */
    static final int MAX_DISTINCT = 10_000;

    private ClosingWindow() {}

    /** Whether a window is open. */
    static boolean open(CorrelationState st) {
        return st.count > 0;
    }

    /** End of the open window (exclusive): a hit at this time is in the next one. */
    static long end(RuleMeta rule, CorrelationState st) {
        return st.windowStart + rule.windowMs();
    }

    /**
     * Whether {@code hit} opens a window. A {@code TEMPORAL_ORDERED} window opens with its first
     * step only: before it, nothing of the sequence has begun.
     */
    static boolean opensWith(RuleMeta rule, WindowEntry entry) {
        return rule.shape() != io.vigil.rules.Shape.TEMPORAL_ORDERED || rule.steps().get(0).equals(entry.value);
    }

    /** Adds a counted hit ({@code number}: its value for sums and averages, else 0). */
    static void add(RuleMeta rule, CorrelationState st, WindowEntry entry, String groupKey, double number) {
        if (!open(st)) {
            st.windowStart = entry.time;
            st.lastTime = entry.time;
            st.groupKey = groupKey;
        }
        st.count++;
        st.sum += number;
        st.lastTime = Math.max(st.lastTime, entry.time);
        List<WindowEntry> w = st.window;
        switch (rule.shape()) {
            case DISTINCT -> {
                if (w.size() < distinctBound(rule) && w.stream().noneMatch(e -> java.util.Objects.equals(e.value, entry.value))) {
                    w.add(entry);
                }
            }
            case TEMPORAL -> {
                if (w.stream().noneMatch(e -> java.util.Objects.equals(e.value, entry.value))) {
                    w.add(entry);
                }
            }
            case TEMPORAL_ORDERED -> {
                if (w.size() < rule.steps().size() && rule.steps().get(w.size()).equals(entry.value)) {
                    w.add(entry);
                }
            }
            default -> {
                // the first hits, then the latest in the last place
                if (w.size() < Alert.MAX_ORIGINS) {
                    w.add(entry);
                } else {
                    w.set(w.size() - 1, entry);
                }
            }
        }
    }

    /** What the condition is tested on: a count, a number of distinct values or steps, a sum, an average. */
    static double measure(RuleMeta rule, CorrelationState st) {
        return switch (rule.shape()) {
            case DISTINCT, TEMPORAL, TEMPORAL_ORDERED -> st.window.size();
            case VALUE_SUM -> st.sum;
            case VALUE_AVG -> st.sum / st.count;
            default -> st.count;
        };
    }

    /** The count an alert reports: distinct values or steps for those shapes, hits otherwise. */
    static long alertCount(RuleMeta rule, CorrelationState st) {
        return switch (rule.shape()) {
            case DISTINCT, TEMPORAL, TEMPORAL_ORDERED -> st.window.size();
            default -> st.count;
        };
    }

    /**
     * Distinct values a window needs to hold: past the largest number of the condition, every
     * comparison gives the same answer, so one more than it is enough (capped at {@link #MAX_DISTINCT}).
     */
    static int distinctBound(RuleMeta rule) {
        double largest = 0;
        for (Comparison c : rule.condition()) {
            largest = Math.max(largest, c.value());
        }
        return (int) Math.min(MAX_DISTINCT, Math.floor(largest) + 1);
    }

    /** Forgets the window. */
    static void clear(CorrelationState st) {
        st.window.clear();
        st.count = 0;
        st.sum = 0;
        st.windowStart = 0;
        st.lastTime = 0;
        st.groupKey = null;
    }
}
