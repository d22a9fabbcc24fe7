package io.vigil.jobs.detect;

import io.vigil.jobs.wiring.FlinkSettings;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.detect.CorrelationKeyLimitTest.Subtask;
import io.vigil.model.Alert;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.StateBackendLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Correlation of 100,000 keys on the job's RocksDB backend (what {@code state.backend: rocksdb} is
 * for) gives the same alerts as on the heap, and the key bound is reached and counted the same way.
 */
class ManyKeysOnRocksDbTest {

    private static final int ADDRESSES = 100_000;
    private static final int MAX_KEYS = 90_000;
    /** Every this many addresses, one fails twice more: three failures, a threshold alert when tracked. */
    private static final int ATTACKER_EVERY = 100;
    private static final int HOSTS = 1_000;

    /** What one run gave: its alerts by id, refused hits, keys held at the peak and at the end. */
    private record Run(List<Alert> alerts, long refused, long keysAtPeak, long keysAtEnd, String backend) {}

    /** The backend the job runs on with {@code state.backend} set to {@code name}. */
    private static StateBackend backend(String name) throws Exception {
        return StateBackendLoader.loadStateBackendFromConfig(FlinkSettings.flinkConfig(
                VigilConfig.of(Map.of("state.backend", name), "test")), ManyKeysOnRocksDbTest.class.getClassLoader(),
                LoggerFactory.getLogger(ManyKeysOnRocksDbTest.class));
    }

    private static Run run(String backend) throws Exception {
        try (Subtask s = new Subtask(MAX_KEYS, 1, 0, null, backend(backend))) {
            // a failed login from each address: a key each, until the bound
            for (int i = 0; i < ADDRESSES; i++) {
                s.push(CorrelationKeyLimitTest.failure(address(i), 1, i));
            }
            for (int i = 0; i < ADDRESSES; i += ATTACKER_EVERY) {
                s.push(CorrelationKeyLimitTest.failure(address(i), 2, ADDRESSES + i));
                s.push(CorrelationKeyLimitTest.failure(address(i), 3, 2L * ADDRESSES + i));
            }
            // then logs cleared on many hosts: new keys past the bound, alerting without suppression
            for (int h = 0; h < HOSTS; h++) {
                s.push(CorrelationKeyLimitTest.cleared("host-" + h, 4, h));
            }
            long peak = s.keys();
            s.watermark(4);
            s.watermark(120);
            List<Alert> alerts = new ArrayList<>(s.alerts());
            alerts.sort(Comparator.comparing(Alert::id));
            return new Run(alerts, s.refused(), peak, s.keys(),
                    s.harness.getOperator().getKeyedStateBackend().getClass().getSimpleName());
        }
    }

    private static String address(int i) {
        return "10." + (i >> 16) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff);
    }

    @Test
    void oneHundredThousandKeysOnRocksDbAlertAsOnTheHeapAndTheBoundIsCounted() throws Exception {
        Run rocks = run("rocksdb");
        Run heap = run("hashmap");

        assertThat(rocks.backend()).startsWith("RocksDB");
        assertThat(heap.backend()).startsWith("Heap");
        // the first 90,000 addresses hold keys; the other 10,000 and every host are refused
        int attackers = ADDRESSES / ATTACKER_EVERY;
        int attackersTracked = MAX_KEYS / ATTACKER_EVERY;
        assertThat(rocks.keysAtPeak()).isEqualTo(MAX_KEYS);
        assertThat(rocks.refused()).isEqualTo((ADDRESSES - MAX_KEYS) + 2L * (attackers - attackersTracked) + HOSTS);
        assertThat(rocks.alerts()).filteredOn(a -> a.ruleId().equals("three-failures")).hasSize(attackersTracked)
                .allSatisfy(a -> assertThat(a.count()).isEqualTo(3));
        assertThat(rocks.alerts()).filteredOn(a -> a.ruleId().equals("log-cleared")).hasSize(HOSTS);
        assertThat(rocks.keysAtEnd()).isZero();

        assertThat(heap.refused()).isEqualTo(rocks.refused());
        assertThat(heap.keysAtPeak()).isEqualTo(rocks.keysAtPeak());
        assertThat(heap.keysAtEnd()).isZero();
        assertThat(heap.alerts()).hasSameSizeAs(rocks.alerts());
        assertThat(heap.alerts().equals(rocks.alerts())).as("the same alerts on both backends").isTrue();
    }
}
