package io.vigil.context.intel;

import java.util.Map;
import java.util.TreeMap;

/**
 * The ECS fields that say an event matched an indicator: {@code threat.indicator.*},
 * {@code threat.feed.name} and {@code threat.enrichments.matched.*} (names of Vigil's catalog). The
 * intel part writes them on the event; the intel alert and retro-hunt copy them onto the alert.
 */
public final class IntelFields {

    public static final String TYPE = "threat.indicator.type";
    public static final String NAME = "threat.indicator.name";
    public static final String CONFIDENCE = "threat.indicator.confidence";
    public static final String PROVIDER = "threat.indicator.provider";
    public static final String DESCRIPTION = "threat.indicator.description";
    public static final String REFERENCE = "threat.indicator.reference";
    public static final String VALID_UNTIL = "threat.indicator.valid_until";
    public static final String FEED = "threat.feed.name";
    public static final String MATCHED_ATOMIC = "threat.enrichments.matched.atomic";
    public static final String MATCHED_FIELD = "threat.enrichments.matched.field";
    public static final String MATCHED_TYPE = "threat.enrichments.matched.type";

    /** Every name above. */
    public static final java.util.List<String> ALL = java.util.List.of(TYPE, NAME, CONFIDENCE, PROVIDER, DESCRIPTION,
            REFERENCE, VALID_UNTIL, FEED, MATCHED_ATOMIC, MATCHED_FIELD, MATCHED_TYPE);

    private IntelFields() {}

    /**
     * The fields of a match of {@code indicator} on event field {@code field}, whose value there was
     * {@code atomic}; {@code matchedType} is {@code indicator_match_rule} for a live match, or
     * {@code indicator_retro_hunt} for a match found by hunting the past.
     */
    public static Map<String, String> of(Indicator indicator, String field, String atomic, String matchedType) {
        Map<String, String> f = new TreeMap<>();
        f.put(TYPE, indicator.type().ecs());
        f.put(NAME, indicator.value());
        f.put(CONFIDENCE, label(indicator.confidence()));
        f.put(FEED, indicator.feed());
        if (indicator.provider() != null) {
            f.put(PROVIDER, indicator.provider());
        }
        if (indicator.description() != null) {
            f.put(DESCRIPTION, indicator.description());
        }
        if (indicator.id() != null) {
            f.put(REFERENCE, indicator.id());
        }
        if (indicator.validUntil() != null) {
            f.put(VALID_UNTIL, indicator.validUntil().toString());
        }
        f.put(MATCHED_ATOMIC, atomic);
        f.put(MATCHED_FIELD, field);
        f.put(MATCHED_TYPE, matchedType);
        return f;
    }

    /** ECS {@code threat.indicator.confidence} is a label: None, Low, Medium, High (STIX 2.1's scale: 0, 1–29, 30–69, 70–100). */
    public static String label(int confidence) {
        if (confidence == 0) {
            return "None";
        }
        return confidence < 30 ? "Low" : confidence < 70 ? "Medium" : "High";
    }
}
