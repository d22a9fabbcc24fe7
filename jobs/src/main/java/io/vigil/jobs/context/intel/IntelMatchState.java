package io.vigil.jobs.context.intel;

import io.vigil.model.Alert;

/**
 * What {@link IntelAlertFunction} keeps per group key (indicator value and host): the alert of the
 * current suppression period and what it suppressed, and how many matches wait for the watermark.
 * A Flink POJO (public fields, no-argument constructor).
 */
public final class IntelMatchState {

    /** The alert whose suppression period runs, or {@code null}. */
    public Alert open;
    /** When that period ends (epoch ms, exclusive). */
    public long until;
    /** Matches in the period after its alert. */
    public long suppressed;
    /** The time of the last of them (epoch ms). */
    public long lastSuppressed;
    /** Matches waiting for the watermark. */
    public int pending;

    public IntelMatchState() {}

    boolean empty() {
        return open == null && pending == 0;
    }
}
