package io.vigil.jobs.mask;

import java.util.List;

/**
 * Names of the masking counters: one accumulator per masking operator (two operators chained in
 * one task may not share an accumulator name), each counting masked values per kind.
 */
public final class MaskCounters {

    /** The metric group of the per-kind counters. */
    public static final String METRIC_GROUP = "masking";
    public static final String EVENTS = "vigil.masked.events";
    public static final String ALERTS = "vigil.masked.alerts";
    public static final String SHADOW_ALERTS = "vigil.masked.shadow_alerts";
    public static final String DEAD_LETTERS = "vigil.masked.dead_letters";

    /** Every accumulator, for a run's total. */
    public static final List<String> ALL = List.of(EVENTS, ALERTS, SHADOW_ALERTS, DEAD_LETTERS);

    private MaskCounters() {}
}
