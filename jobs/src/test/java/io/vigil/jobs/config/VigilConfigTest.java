package io.vigil.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VigilConfigTest {

    @TempDir
    Path dir;

    private VigilConfig load(String yaml) throws Exception {
        Path f = dir.resolve("vigil.yaml");
        Files.writeString(f, yaml);
        return VigilConfig.load(f);
    }

    @Test
    void readsTypedOptionsWithDefaults() throws Exception {
        VigilConfig c = load("""
                kafka:
                  bootstrap-servers: broker-1:9092,broker-2:9092
                  topics:
                    auth.raw: syslog
                    winlogbeat: windows
                elasticsearch:
                  urls: [https://es-1:9200, https://es-2:9200]
                  username-env: ES_USER
                detection:
                  out-of-orderness: 30s
                checkpoints:
                  dir: s3://bucket/vigil
                """);
        assertThat(c.require(VigilOptions.KAFKA_BOOTSTRAP)).isEqualTo("broker-1:9092,broker-2:9092");
        assertThat(c.get(VigilOptions.KAFKA_TOPICS)).isEqualTo(Map.of("auth.raw", "syslog", "winlogbeat", "windows"));
        assertThat(c.get(VigilOptions.ES_URLS)).isEqualTo(List.of("https://es-1:9200", "https://es-2:9200"));
        assertThat(c.get(VigilOptions.OUT_OF_ORDERNESS)).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.get(VigilOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.get(VigilOptions.ES_PASSWORD_ENV)).isEqualTo("VIGIL_ES_PASSWORD");
        assertThat(c.get(VigilOptions.ES_WRITE_EVENTS)).isFalse();
    }

    @Test
    void unknownKeysAndBadValuesAreNamed() {
        assertThatThrownBy(() -> load("kafka:\n  bootstrap: x:9092\n"))
                .hasMessageContaining("unknown key 'kafka.bootstrap'");
        assertThatThrownBy(() -> load("detection:\n  out-of-orderness: soon\n"))
                .hasMessageContaining("detection.out-of-orderness");
        assertThatThrownBy(() -> load("elasticsearch:\n  password: hunter2\n"))
                .hasMessageContaining("unknown key 'elasticsearch.password'");
    }

    @Test
    void theExampleDeployConfigurationIsValid() throws Exception {
        VigilConfig c = VigilConfig.load(io.vigil.formats.Datasets.checkoutRoot().resolve("deploy/vigil.yaml"));
        assertThat(c.get(VigilOptions.KAFKA_TOPICS)).containsEntry("vigil.raw.syslog", "syslog").hasSize(6);
        assertThat(c.require(VigilOptions.ES_URLS)).containsExactly("http://localhost:9200");
    }

    @Test
    void requiredKeysSayWhatTheyAre() throws Exception {
        VigilConfig c = load("parallelism: 2\n");
        assertThatThrownBy(() -> c.require(VigilOptions.ES_URLS))
                .hasMessageContaining("'elasticsearch.urls' is required");
    }

    @Test
    void elasticsearchRetryCountsHaveDefaultsAndMustNotBeNegative() throws Exception {
        VigilConfig defaults = load("parallelism: 1\n");
        assertThat(defaults.get(VigilOptions.ES_REFUSED_REQUEST_RETRIES)).isEqualTo(3);
        assertThat(defaults.get(VigilOptions.ES_RETRY_ON_CONFLICT)).isEqualTo(3);
        VigilConfig set = load("elasticsearch:\n  refused-request-retries: 0\n  retry-on-conflict: 5\n");
        assertThat(set.get(VigilOptions.ES_REFUSED_REQUEST_RETRIES)).isZero();
        assertThat(set.get(VigilOptions.ES_RETRY_ON_CONFLICT)).isEqualTo(5);
        assertThatThrownBy(() -> load("elasticsearch:\n  refused-request-retries: -1\n"))
                .hasMessageContaining("elasticsearch.refused-request-retries: must be 0 or more, got -1");
        assertThatThrownBy(() -> load("elasticsearch:\n  retry-on-conflict: -2\n"))
                .hasMessageContaining("elasticsearch.retry-on-conflict: must be 0 or more, got -2");
    }
}
