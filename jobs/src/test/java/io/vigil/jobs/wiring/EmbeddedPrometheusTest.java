package io.vigil.jobs.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.metrics.PrometheusText;
import java.io.IOException;
import java.net.ServerSocket;
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
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        VigilConfig config = VigilConfig.of(Map.of("metrics.prometheus.port", Integer.toString(port),
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
            String url = "http://127.0.0.1:" + port + "/metrics";
            long end = System.nanoTime() + 60_000_000_000L;
            PrometheusText scrape = null;
            while (System.nanoTime() < end) {
                try {
                    scrape = PrometheusText.scrape(url);
                    if (!scrape.of("flink_taskmanager_job_task_operator_numRecordsIn",
                            s -> "slow".equals(s.label("operator_name"))).isEmpty()) {
                        break;
                    }
                } catch (IOException e) {
                    // not serving yet
                }
                Thread.sleep(200);
            }
            assertThat(scrape).as(url).isNotNull();
            assertThat(scrape.of("flink_taskmanager_job_task_operator_numRecordsIn",
                    s -> "slow".equals(s.label("operator_name")) && "embedded_prometheus".equals(s.label("job_name"))))
                    .isNotEmpty();
        } finally {
            job.cancel().get();
        }
    }
}
