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
 * (the rule fires and clears it at that point).
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

    /** Hits of this key waiting for the watermark (kept by the streaming job, not by the correlator). */
    public int pending;

    public CorrelationState() {}

    public boolean isEmpty() {
        return window.isEmpty() && open == null && pending == 0;
    }
}
