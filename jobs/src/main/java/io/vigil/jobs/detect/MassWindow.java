package io.vigil.jobs.detect;

import io.vigil.model.Alert;
import io.vigil.model.KeyEvent;
import io.vigil.model.Origin;
import java.util.ArrayList;
import java.util.List;

/**
 * One rule's alerts within one mass-activity window, as {@link MassActivityFunction} counts them:
 * how many new keys were let through, and what was aggregated beyond them. A POJO for Flink
 * state; every list is bounded.
 */
public class MassWindow {
    /** Start of the window, event time in ms. */
    public long start;
    /** Whether its mass-activity alert was emitted (the window ended). */
    public boolean closed;
    /** Distinct group keys whose alerts went through one by one (at most the limit). */
    public long admittedKeys;
    /** Alerts aggregated, exact. */
    public long alerts;
    /** Distinct group keys among them, exact. */
    public long keys;
    /** Events of the aggregated alerts. */
    public long events;
    /** Suppressed events of the aggregated alerts, from their copies emitted again. */
    public long suppressed;
    /** Whether {@link #suppressed} grew since the last copy emitted. */
    public boolean suppressedChanged;
    public long firstEvent = Long.MAX_VALUE;
    /** The last event of the aggregated alerts' first copies: what the aggregate's first copy says. */
    public long lastEvent = Long.MIN_VALUE;
    /** The last suppressed event of their later copies. */
    public long suppressedLastEvent = Long.MIN_VALUE;
    public long originsTotal;
    /** The first aggregated alert: the rule's name, severity and ATT&CK mapping for the aggregate. */
    public Alert first;
    /** The first keys aggregated, at most {@code MassActivity.MAX_SAMPLE_KEYS}. */
    public List<String> sample = new ArrayList<>();
    /** The first origin of each of the first aggregated alerts, at most {@code Alert.MAX_ORIGINS}. */
    public List<Origin> origins = new ArrayList<>();
    /** One key event of each of the first aggregated alerts, at most {@code Alert.MAX_KEY_EVENTS}. */
    public List<KeyEvent> keyEvents = new ArrayList<>();

    public MassWindow() {}
}
