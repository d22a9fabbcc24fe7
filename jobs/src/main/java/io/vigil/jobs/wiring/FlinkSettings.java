package io.vigil.jobs.wiring;

import io.vigil.jobs.config.StateBackendKind;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.config.VigilOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;

/**
 * The Flink settings a Vigil configuration gives a job: checkpoints, state backend, watermarks, and
 * the Prometheus reporter of an embedded cluster.
 */
public final class FlinkSettings {

    /** The name of the Prometheus reporter in Flink's configuration ({@code metrics.reporter.prom.*}). */
    public static final String PROMETHEUS_REPORTER = "prom";
    /** Flink's Prometheus reporter (flink-metrics-prometheus, on `vigil run`'s class path). */
    public static final String PROMETHEUS_FACTORY = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";

    /** Alerts wait for the watermark: it is emitted every 50 ms rather than Flink's 200 ms. */
    public static final Duration WATERMARK_INTERVAL = Duration.ofMillis(50);

    private FlinkSettings() {}

    /**
     * Flink settings of the job: checkpointing on, retained on cancellation, in the configured
     * directory. Kafka offsets are committed with each checkpoint too, so a job started without
     * a checkpoint continues after the last checkpointed record (but with empty correlation state).
     * The state backend is the configured one; RocksDB with incremental checkpoints and bloom
     * filters, as BENCHMARKS.md measured it.
     */
    public static Configuration flinkConfig(VigilConfig config) {
        return flinkConfig(config, null);
    }

    /** {@link #flinkConfig(VigilConfig)}, restoring from {@code restoreFrom} when it is not {@code null}. */
    public static Configuration flinkConfig(VigilConfig config, String restoreFrom) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, WATERMARK_INTERVAL);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.get(VigilOptions.CHECKPOINT_INTERVAL));
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointUri(config.get(VigilOptions.CHECKPOINT_DIR)));
        StateBackendKind backend = config.get(VigilOptions.STATE_BACKEND);
        conf.set(StateBackendOptions.STATE_BACKEND, backend.toString());
        if (backend == StateBackendKind.ROCKSDB) {
            // a checkpoint uploads only the files written since the last one: RocksDB state is large
            conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
            // each hit first looks its key up, mostly a miss: without bloom filters every miss reads
            // a block of every level
            conf.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        }
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        }
        prometheus(conf, config.get(VigilOptions.METRICS_PROMETHEUS_PORT));
        return conf;
    }

    /**
     * Serves the metrics on {@code ports} (a port or a range; blank: not at all) through Flink's
     * Prometheus reporter. A reporter is a cluster's setting: an embedded cluster ({@code vigil run},
     * tests) takes it from here, a real cluster from its own configuration and
     * ignores it in a submitted job's.
     */
    public static void prometheus(Configuration conf, String ports) {
        if (ports == null || ports.isBlank()) {
            return;
        }
        if (!io.vigil.jobs.config.PrometheusPorts.valid(ports)) {
            throw new IllegalArgumentException(VigilOptions.METRICS_PROMETHEUS_PORT.key() + ": '" + ports
                    + "' is not a port or a range of ports");
        }
        String prefix = "metrics.reporter." + PROMETHEUS_REPORTER + ".";
        conf.setString(prefix + "factory.class", PROMETHEUS_FACTORY);
        conf.setString(prefix + "port", ports.strip());
    }

    static String checkpointUri(String dir) {
        return dir.contains("://") ? dir : Path.of(dir).toAbsolutePath().toUri().toString();
    }
}
