package io.vigil.context.assets;

import java.util.Locale;

/**
 * How much a host or an identity matters, lowest first. Tables may also use Elastic's asset
 * criticality names ({@code low_impact} … {@code extreme_impact}), so an export from Elastic
 * Security reads as it is; Vigil always writes its own four names.
 */
public enum Criticality {
    LOW("low", "low_impact"),
    MEDIUM("medium", "medium_impact"),
    HIGH("high", "high_impact"),
    CRITICAL("critical", "extreme_impact");

    /** What a table may say, for error messages. */
    public static final String ACCEPTED = "low, medium, high, critical (or low_impact, medium_impact, high_impact, "
            + "extreme_impact)";

    private final String value;
    private final String elastic;

    Criticality(String value, String elastic) {
        this.value = value;
        this.elastic = elastic;
    }

    /** The name Vigil writes ({@code host.asset.criticality}). */
    public String value() {
        return value;
    }

    /** The criticality {@code text} names (either spelling, any case), or {@code null} when it names none. */
    public static Criticality parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (Criticality c : values()) {
            if (c.value.equals(t) || c.elastic.equals(t)) {
                return c;
            }
        }
        return null;
    }
}
