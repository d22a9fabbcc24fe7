package io.vigil.rules.correlate;

import io.vigil.model.Alert;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Correlation state of one rule and one group key: the events of the current window, and the alert
 * whose suppression period is running. Checkpoints carry it (docs/architecture.md, invariant 3) in
 * the compact form of the streaming job's {@code CorrelationStateSerializer}, which must learn
 * every field added here. It is bounded: {@link #window} never holds more than the rule's threshold
 * (the rule fires and clears it at that point), the steps of a temporal correlation (its partial
 * sequences for an ordered one), or, for a window decided when it closes, the events an alert
 * reports ({@link Correlator} says which).
 */
public class CorrelationState {

    /** Events of the current window, oldest first. */
    public List<WindowEntry> window = new ArrayList<>();

    /** Entity fields of the latest event, reported on alerts. */
    public Map<String, String> entities = new TreeMap<>();

    /** The last alert, while its suppression period runs; {@code null} otherwise. */
    public Alert open;

    /** End of the suppression period (epoch ms, exclusive). */
    public long suppressUntil;

    /** Matching events during the suppression period. */
    public long suppressed;

    /** Time of the last suppressed event (epoch ms). */
    public long lastSuppressed;

    /**
     * Hits counted in the window that opened at {@link #windowStart} (rules decided when their
     * window closes, and sums); 0 when no such window is open.
     */
    public long count;

    /** Start of that window: the time of its first hit (epoch ms). */
    public long windowStart;

    /** Time of its latest hit (epoch ms). */
    public long lastTime;

    /** Sum of the numbers of its hits ({@code VALUE_SUM}, {@code VALUE_AVG}). */
    public double sum;

    /** Group key of its hits: the alert of a window decided by the watermark has no hit to take it from. */
    public String groupKey;

    /** Hits of this key waiting for the watermark (kept by the streaming job, not by the correlator). */
    public int pending;

    /**
     * Version of the rule this state was built by (kept by the streaming job: a live rule pack that
     * changes the rule's version starts its state afresh); 0 when not recorded.
     */
    public int ruleVersion;

    public CorrelationState() {}

    public boolean isEmpty() {
        return window.isEmpty() && count == 0 && open == null && pending == 0;
    }
}
