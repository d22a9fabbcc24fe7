package io.vigil.jobs.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.jobs.config.VigilConfig;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** metrics.prometheus.port becomes Flink's Prometheus reporter of an embedded cluster, or nothing. */
class FlinkSettingsPrometheusTest {

    private static Configuration flink(Map<String, String> keys) {
        return FlinkSettings.flinkConfig(VigilConfig.of(keys, "test"));
    }

    @Test
    void aPortOrRangeTurnsTheReporterOn() {
        Configuration c = flink(Map.of("metrics.prometheus.port", "9249-9259"));
        assertThat(c.toMap()).containsEntry("metrics.reporter.prom.factory.class",
                        "org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
                .containsEntry("metrics.reporter.prom.port", "9249-9259");
    }

    @Test
    void withoutTheKeyThereIsNoReporter() {
        assertThat(flink(Map.of()).toMap().keySet()).noneMatch(k -> k.startsWith("metrics.reporter."));
    }

    @Test
    void aBadPortIsRefused() {
        assertThatThrownBy(() -> FlinkSettings.prometheus(new Configuration(), "92 49"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metrics.prometheus.port");
    }
}
