package io.vigil.model.mask;

import java.util.Map;
import java.util.TreeMap;

/** How many values of each kind were masked; not thread-safe (one per operator instance or call). */
public final class MaskCounts {

    private final long[] counts = new long[MaskKind.values().length];

    public void add(MaskKind kind) {
        counts[kind.ordinal()]++;
    }

    public void add(MaskKind kind, long n) {
        counts[kind.ordinal()] += n;
    }

    public long get(MaskKind kind) {
        return counts[kind.ordinal()];
    }

    public long total() {
        long sum = 0;
        for (long c : counts) {
            sum += c;
        }
        return sum;
    }

    /** The counts above zero by {@link MaskKind#key()}. */
    public Map<String, Long> asMap() {
        Map<String, Long> out = new TreeMap<>();
        for (MaskKind k : MaskKind.values()) {
            if (counts[k.ordinal()] > 0) {
                out.put(k.key(), counts[k.ordinal()]);
            }
        }
        return out;
    }

    public void clear() {
        java.util.Arrays.fill(counts, 0);
    }
}
