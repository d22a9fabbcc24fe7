package io.vigil.bench.peers;

import java.util.List;

/**
 * One timed run of one engine: events per second (net of start-up), the alerts of the compared
 * rules (sorted), and how many other alerts it emitted (other rules of the pack, or Vigil's
 * second emission of an alert when its suppression period ends).
 */
public record EngineRun(long events, long nanos, List<PeerAlert> alerts, long otherAlerts) {

    public EngineRun {
        alerts = alerts.stream().sorted().toList();
    }

    public double eventsPerSecond() {
        return events / (nanos / 1e9);
    }
}
