package io.vigil.context.intel;

import java.time.Instant;

/**
 * What an indicator says besides its value: stored once per distinct tuple in an {@link IntelIndex}
 * and referenced by number from each value, so a feed of a million addresses from one provider
 * with one confidence and one validity holds this once.
 */
record IndicatorMeta(String feed, int confidence, Instant validFrom, Instant validUntil, String provider, String id,
                     String description) {

    static IndicatorMeta of(Indicator i) {
        return new IndicatorMeta(i.feed(), i.confidence(), i.validFrom(), i.validUntil(), i.provider(), i.id(),
                i.description());
    }

    boolean validAt(Instant time) {
        return (validFrom == null || !time.isBefore(validFrom)) && (validUntil == null || time.isBefore(validUntil));
    }

    Indicator indicator(Indicator.Type type, String value) {
        return new Indicator(type, value, confidence, validFrom, validUntil, feed, provider, id, description);
    }
}
