package io.vigil.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What a mass-activity alert stands for: the alerts one rule raised within one event-time window
 * for group keys beyond its limit of new keys per window, aggregated into that one alert instead
 * of reaching incidents and responders one by one.
 *
 * @param windowStart start of the window (inclusive)
 * @param windowEnd end of the window (exclusive); also the mass-activity alert's time
 * @param groupBy the group-by fields of the aggregated alerts ({@code source.ip})
 * @param alerts how many alerts were aggregated (exact)
 * @param keys how many distinct group keys they had (exact)
 * @param sampleKeys the first of those keys, in time order, at most {@link #MAX_SAMPLE_KEYS}
 * @param maxNewKeys the limit: new keys per window that still alert one by one
 */
public record MassActivity(
        Instant windowStart,
        Instant windowEnd,
        String groupBy,
        long alerts,
        long keys,
        List<String> sampleKeys,
        int maxNewKeys) {

    /** Keys a mass-activity alert names. */
    public static final int MAX_SAMPLE_KEYS = 20;

    /** The tag of mass-activity alerts. */
    public static final String TAG = "mass-activity";

    /** The group-by of a mass-activity alert: its rule and its window, so one incident per rule and window. */
    public static final String GROUP_BY = "rule.id,vigil.alert.mass_activity.window_start";

    public MassActivity {
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(windowEnd, "windowEnd");
        sampleKeys = sampleKeys == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(sampleKeys));
    }
}
