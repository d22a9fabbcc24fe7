package io.vigil.bench;

import io.vigil.bench.peers.Peers;

/**
 * Peers on the same stream and rules, in the same run: the {@code ssh-brute-force} and
 * {@code brute-force-then-success} detections in Vigil (its Flink detection topology with Drools,
 * with the whole packaged pack and with only these two rules), natively in Flink CEP (pattern
 * API, keyed by the group key) and in Esper 9 (EPL {@code match_recognize}, standalone runtime),
 * over the same {@link SyntheticAuth} stream (seed 42). For each engine: events/s (median, min
 * and max of the runs, timed from the first event to the end, net of start-up) and the alerts
 * (rule, group key, time of the triggering event); then the alert sets of each peer against
 * Vigil's, per rule, every difference put down to a checked reason (see
 * {@code io.vigil.bench.peers.AlertComparison}).
 *
 * <p>Run: {@code java --add-opens java.base/java.util=ALL-UNNAMED -cp bench/target/vigil-bench.jar
 * io.vigil.bench.CorrelationPeers [events] [sources] [runs] [--quick] [--check] [--json FILE]}
 * (defaults 1,000,000 events, 10,000 sources, 3 runs; {@code --quick}: 100,000 events, 1,000
 * sources, 1 run; {@code --check}: hand-worked scenarios and a small dense stream through every
 * engine, exit status 1 if an engine does not alert as worked out).
 *
 * <p>Esper is GPL v2: it is a dependency of the bench module only, which is never shipped.
 */
public final class CorrelationPeers {

    private CorrelationPeers() {}

    public static void main(String[] args) throws Exception {
        System.exit(Peers.main(args));
    }
}
