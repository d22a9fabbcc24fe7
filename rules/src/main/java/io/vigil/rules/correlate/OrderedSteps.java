package io.vigil.rules.correlate;

import java.util.ArrayList;
import java.util.List;

/**
 * The partial sequences of a {@code TEMPORAL_ORDERED} correlation decided as hits come: for each
 * position {@code i} of the rule's steps, the one sequence of steps {@code 0..i}, in order, whose
 * first hit is the latest. Only that one matters: any later step that extends a sequence within
 * the window also extends the one that started later, and nothing else about them differs. So
 * the window holds at most {@code n(n+1)/2} entries for {@code n} steps, whatever the hits; each
 * entry's {@link WindowEntry#slot} is the position of its sequence's last step.
 */
final class OrderedSteps {

    private OrderedSteps() {}

    /** The entries of the sequence ending at position {@code slot}, in step order; empty when there is none. */
    static List<WindowEntry> sequence(List<WindowEntry> window, int slot) {
        List<WindowEntry> out = new ArrayList<>();
        for (WindowEntry e : window) {
            if (e.slot == slot) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Extends the sequences with a hit of {@code step} ({@code entry}, its value the step name).
     * Positions are visited from the last down, so one hit never extends a sequence it was just
     * added to (a step listed twice needs two hits).
     */
    static void add(List<String> steps, List<WindowEntry> window, WindowEntry entry) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (!steps.get(i).equals(entry.value)) {
                continue;
            }
            List<WindowEntry> candidate;
            if (i == 0) {
                candidate = new ArrayList<>(1);
            } else {
                candidate = sequence(window, i - 1);
                // a hit before the previous step's (only a late one) does not follow it
                if (candidate.isEmpty() || candidate.get(candidate.size() - 1).time > entry.time) {
                    continue;
                }
            }
            candidate.add(entry);
            List<WindowEntry> current = sequence(window, i);
            long start = candidate.get(0).time;
            if (current.isEmpty() || start >= current.get(0).time) {
                final int slot = i;
                window.removeIf(e -> e.slot == slot);
                for (WindowEntry e : candidate) {
                    window.add(new WindowEntry(e.time, e.origin, e.value, slot));
                }
            }
        }
    }

    /** The number of steps of the longest sequence held: the count a condition tests. */
    static int longest(List<WindowEntry> window) {
        int most = 0;
        for (WindowEntry e : window) {
            most = Math.max(most, e.slot + 1);
        }
        return most;
    }

    /** Drops every sequence whose first hit no longer shares a window with time {@code t}. */
    static void prune(List<WindowEntry> window, long windowMs, long t) {
        List<Integer> expired = new ArrayList<>();
        for (WindowEntry e : window) {
            if (t - e.time >= windowMs && !expired.contains(e.slot)) {
                expired.add(e.slot);
            }
        }
        if (!expired.isEmpty()) {
            window.removeIf(e -> expired.contains(e.slot));
        }
    }
}
