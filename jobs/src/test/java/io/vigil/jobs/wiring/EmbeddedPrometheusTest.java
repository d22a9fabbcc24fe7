package io.vigil.jobs.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.metrics.PrometheusText;
import io.vigil.jobs.metrics.ReporterPorts;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.junit.jupiter.api.Test;

/**
 * `vigil run`'s way: the Flink settings of a configuration with {@code metrics.prometheus.port},
 * given to {@link StreamExecutionEnvironment#getExecutionEnvironment} outside any cluster, start
 * an embedded cluster that serves its metrics at that port (as {@code StreamingMain.run} does;
 * no MiniClusterExtension here, which would give the environment its own cluster).
 */
class EmbeddedPrometheusTest {

    @Test
    void theEmbeddedClusterServesItsMetricsOnThePortOfTheConfiguration() throws Exception {
        ReporterPorts ports = ReporterPorts.pick(); // a range: the reporter binds the first free port of it
        VigilConfig config = VigilConfig.of(Map.of("metrics.prometheus.port", ports.range(),
                "checkpoints.dir", java.nio.file.Files.createTempDirectory("embedded-prometheus").toString()), "test");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkSettings.flinkConfig(config));
        env.setParallelism(1);
        env.fromSource(new NumberSequenceSource(0, Long.MAX_VALUE), WatermarkStrategy.noWatermarks(), "numbers")
                .map(n -> {
                    Thread.sleep(20); // a trickle: the job only has to be running
                    return n;
                }).returns(Types.LONG).name("slow").sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("embedded prometheus");
        try {
            String jobId = job.getJobID().toString();
            long end = System.nanoTime() + 60_000_000_000L;
            PrometheusText scrape = null;
            while (System.nanoTime() < end) {
                PrometheusText s = ports.scrape(jobId); // null: not serving the job yet
                if (s != null) {
                    scrape = s;
                    if (!scrape.of("flink_taskmanager_job_task_operator_numRecordsIn",
                            x -> "slow".equals(x.label("operator_name"))).isEmpty()) {
                        break;
                    }
                }
                Thread.sleep(200);
            }
            assertThat(scrape).as(ports.describe()).isNotNull();
            assertThat(scrape.of("flink_taskmanager_job_task_operator_numRecordsIn",
                    s -> "slow".equals(s.label("operator_name")) && "embedded_prometheus".equals(s.label("job_name"))))
                    .isNotEmpty();
        } finally {
            job.cancel().get();
        }
    }
}
