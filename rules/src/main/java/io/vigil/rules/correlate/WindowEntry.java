package io.vigil.rules.correlate;

import io.vigil.model.Origin;

/**
 * One event in a correlation window: its time, where it came from, and the distinct value it
 * carries (distinct-count rules). A POJO for Flink state.
 */
public class WindowEntry {

    public long time;
    public Origin origin;
    public String value;

    public WindowEntry() {}

    public WindowEntry(long time, Origin origin, String value) {
        this.time = time;
        this.origin = origin;
        this.value = value;
    }
}
