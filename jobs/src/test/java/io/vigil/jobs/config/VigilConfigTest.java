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
    void theMassActivityLimitHasADefaultAndCannotBeNegative() throws Exception {
        assertThat(load("parallelism: 1\n").get(VigilOptions.MASS_ACTIVITY_MAX_NEW_KEYS)).isEqualTo(100);
        assertThat(load("detection:\n  mass-activity:\n    max-new-keys-per-minute: 0\n")
                .get(VigilOptions.MASS_ACTIVITY_MAX_NEW_KEYS)).isZero();
        assertThatThrownBy(() -> load("detection:\n  mass-activity:\n    max-new-keys-per-minute: -1\n"))
                .hasMessageContaining("detection.mass-activity.max-new-keys-per-minute: must be 0 (off) or more");
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
}
