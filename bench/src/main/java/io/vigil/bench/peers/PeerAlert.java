package io.vigil.bench.peers;

import io.vigil.model.Alert;
import java.io.Serializable;
import java.time.Instant;
import java.util.Comparator;

/**
 * What the comparison looks at in an alert: the rule, the group key and the time of the event
 * that triggered it (the threshold-th failure, or the success that completed the sequence).
 */
public record PeerAlert(String rule, String key, long time) implements Comparable<PeerAlert>, Serializable {

    private static final Comparator<PeerAlert> ORDER = Comparator.comparing(PeerAlert::rule)
            .thenComparing(PeerAlert::key).thenComparingLong(PeerAlert::time);

    /** What the comparison looks at in one of Vigil's alerts. */
    static PeerAlert of(Alert a) {
        return new PeerAlert(a.ruleId(), a.groupKey(), a.timestamp().toEpochMilli());
    }

    @Override
    public int compareTo(PeerAlert o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return rule + " " + key + " @ " + Instant.ofEpochMilli(time);
    }
}
