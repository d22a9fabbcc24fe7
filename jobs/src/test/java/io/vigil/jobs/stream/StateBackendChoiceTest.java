package io.vigil.jobs.stream;

import io.vigil.jobs.wiring.FlinkSettings;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.jobs.config.VigilConfig;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.StateBackendLoader;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@code state.backend} in {@code vigil.yaml} becomes the backend Flink loads for the job. */
class StateBackendChoiceTest {

    private static StateBackend loaded(Configuration conf) throws Exception {
        // what a task does with the job's configuration
        return StateBackendLoader.loadStateBackendFromConfig(conf, StateBackendChoiceTest.class.getClassLoader(),
                LoggerFactory.getLogger(StateBackendChoiceTest.class));
    }

    @Test
    void rocksdbIsLoadedWithIncrementalCheckpointsAndBloomFilters() throws Exception {
        Configuration conf = FlinkSettings.flinkConfig(VigilConfig.of(Map.of("state.backend", "rocksdb"), "test"));

        StateBackend backend = loaded(conf);
        assertThat(backend).isInstanceOf(EmbeddedRocksDBStateBackend.class);
        assertThat(((EmbeddedRocksDBStateBackend) backend).isIncrementalCheckpointsEnabled()).isTrue();
        assertThat(conf.get(RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isTrue();
    }

    @Test
    void theHeapIsTheDefault() throws Exception {
        Configuration conf = FlinkSettings.flinkConfig(VigilConfig.of(Map.of(), "test"));

        assertThat(loaded(conf)).isInstanceOf(HashMapStateBackend.class);
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isFalse();
    }
}
