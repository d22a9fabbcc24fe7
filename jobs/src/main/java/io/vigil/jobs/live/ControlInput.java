package io.vigil.jobs.live;

/**
 * One raw record of the rules control topic, before the {@link BundleGate} reads it: where it came
 * from ({@code topic/partition}) and at which offset, and its bytes. A record that is not a
 * {@link ControlRecord} is refused with this origin.
 */
public record ControlInput(String source, long offset, byte[] value) {

    /** A record given directly (tests, backtests): source {@code given}, offset its position. */
    public static ControlInput of(ControlRecord record, long position) {
        return new ControlInput("given", position, record.toJson());
    }
}
