package io.vigil.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One contributing event of an alert, kept for the incident timeline: when it happened, where it
 * came from, and the value it contributed (the distinct user of a spray, the step of a sequence),
 * if any.
 */
public record KeyEvent(Instant time, Origin origin, String value) {

    public KeyEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(origin, "origin");
    }
}
