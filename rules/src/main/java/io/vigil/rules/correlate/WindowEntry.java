package io.vigil.rules.correlate;

import io.vigil.model.Origin;

/**
 * One event in a correlation window: its time, where it came from, and the distinct value it
 * carries (distinct-count rules; the step name for temporal ones). A POJO for Flink state.
 */
public class WindowEntry {

    public long time;
    public Origin origin;
    public String value;

    /**
     * {@code TEMPORAL_ORDERED}: the partial sequence the entry belongs to, by the index of its
     * last step; 0 otherwise.
     */
    public int slot;

    public WindowEntry() {}

    public WindowEntry(long time, Origin origin, String value) {
        this.time = time;
        this.origin = origin;
        this.value = value;
    }

    public WindowEntry(long time, Origin origin, String value, int slot) {
        this(time, origin, value);
        this.slot = slot;
    }
}
