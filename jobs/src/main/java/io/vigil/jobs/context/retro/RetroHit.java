package io.vigil.jobs.context.retro;

import io.vigil.context.intel.Indicator;
import io.vigil.model.SecurityEvent;
import java.util.Objects;

/**
 * A past event that carries an indicator: {@code field} is where, {@code atomic} the event's value
 * there (the indicator's value itself, a subdomain of its domain, an address in its network).
 */
public record RetroHit(Indicator indicator, String field, String atomic, SecurityEvent event) {

    public RetroHit {
        Objects.requireNonNull(indicator, "indicator");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(atomic, "atomic");
        Objects.requireNonNull(event, "event");
    }
}
