package io.vigil.rules;

import io.vigil.model.SecurityEvent;
import java.util.Objects;

/**
 * What a rule's consequence inserts: "this event matches me". A rule writes nothing else; the
 * engine adapter collects the signals a rule inserted and turns them into {@link RuleHit}s.
 *
 * <pre>
 * then
 *     insert(new Signal($e));                       // single, threshold
 *     insert(Signal.step($e, Signal.FIRST));        // sequence: the repeated step
 *     insert(Signal.distinct($e, $e.userName()));   // distinct count over a computed value
 *     insert(Signal.keyed($e, $e.userTargetName())); // group key other than @groupBy
 * </pre>
 */
public final class Signal {

    /** Sequence step that must occur {@code @threshold} times first. */
    public static final String FIRST = "first";
    /** Sequence step that completes the sequence. */
    public static final String THEN = "then";

    private final SecurityEvent event;
    private final String step;
    private final String value;
    private final String key;

    private Signal(SecurityEvent event, String step, String value, String key) {
        this.event = Objects.requireNonNull(event, "event");
        this.step = step;
        this.value = value;
        this.key = key;
    }

    public Signal(SecurityEvent event) {
        this(event, null, null, null);
    }

    public static Signal step(SecurityEvent event, String step) {
        if (!FIRST.equals(step) && !THEN.equals(step)) {
            throw new IllegalArgumentException("a sequence step is Signal.FIRST or Signal.THEN, not " + step);
        }
        return new Signal(event, step, null, null);
    }

    public static Signal distinct(SecurityEvent event, String value) {
        return new Signal(event, null, value, null);
    }

    public static Signal keyed(SecurityEvent event, String key) {
        return new Signal(event, null, null, key);
    }

    /** The same signal with a sequence step. */
    public Signal withStep(String newStep) {
        return new Signal(event, step(event, newStep).step, value, key);
    }

    /** The same signal with an explicit group key. */
    public Signal withKey(String newKey) {
        return new Signal(event, step, value, newKey);
    }

    public SecurityEvent event() {
        return event;
    }

    public String step() {
        return step;
    }

    public String value() {
        return value;
    }

    public String key() {
        return key;
    }
}
