package io.vigil.jobs.decode;

import io.vigil.model.DeadLetter;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.util.List;
import java.util.Objects;

/**
 * A raw record decoded where the source emits it: its events (within the {@link EventTimeBounds}),
 * or the one dead letter that stands for it (and no event). Carries the record for the decode
 * counters. Immutable: passed between chained operators without copying.
 *
 * @param record the record as read
 * @param events its events, in order; empty for a dead letter (and possibly for a record that decodes to none)
 * @param deadLetter why the record could not become events, or {@code null}
 */
public record Decoded(RawRecord record, List<SecurityEvent> events, DeadLetter deadLetter) {

    public Decoded {
        Objects.requireNonNull(record, "record");
        events = List.copyOf(events);
        if (deadLetter != null && !events.isEmpty()) {
            throw new IllegalArgumentException("a dead letter stands for the whole record: no events beside it");
        }
    }

    public static Decoded of(RawRecord record, List<SecurityEvent> events) {
        return new Decoded(record, events, null);
    }

    public static Decoded dead(RawRecord record, DeadLetter letter) {
        return new Decoded(record, List.of(), Objects.requireNonNull(letter, "letter"));
    }

    /** The latest event time of the record in epoch milliseconds, {@link Long#MIN_VALUE} without events. */
    public long latestEventTime() {
        long latest = Long.MIN_VALUE;
        for (SecurityEvent e : events) {
            latest = Math.max(latest, e.timestamp().toEpochMilli());
        }
        return latest;
    }
}
