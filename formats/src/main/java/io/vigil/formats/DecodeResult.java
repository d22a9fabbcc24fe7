package io.vigil.formats;

import io.vigil.model.SecurityEvent;
import java.util.List;
import java.util.Objects;

/** The outcome of decoding one record: one or more events, or the reason there are none. */
public final class DecodeResult {

    private final List<SecurityEvent> events;
    private final String error;

    private DecodeResult(List<SecurityEvent> events, String error) {
        this.events = events;
        this.error = error;
    }

    public static DecodeResult of(SecurityEvent event) {
        return new DecodeResult(List.of(event), null);
    }

    public static DecodeResult of(List<SecurityEvent> events) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a decoded record yields at least one event");
        }
        return new DecodeResult(List.copyOf(events), null);
    }

    public static DecodeResult failure(String reason) {
        return new DecodeResult(List.of(), Objects.requireNonNull(reason, "reason"));
    }

    public boolean ok() {
        return error == null;
    }

    /** The events; empty when decoding failed. */
    public List<SecurityEvent> events() {
        return events;
    }

    /** Why decoding failed; {@code null} when it succeeded. */
    public String error() {
        return error;
    }

    @Override
    public String toString() {
        return ok() ? "DecodeResult" + events : "DecodeResult[failure: " + error + "]";
    }
}
