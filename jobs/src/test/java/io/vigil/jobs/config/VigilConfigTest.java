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
    void theKeyBoundAndTheStateBackendAreReadAndValidated() throws Exception {
        VigilConfig defaults = load("parallelism: 1\n");
        assertThat(defaults.get(VigilOptions.MAX_KEYS)).isEqualTo(io.vigil.jobs.detect.Detection.DEFAULT_MAX_KEYS);
        assertThat(defaults.get(VigilOptions.STATE_BACKEND)).isEqualTo(StateBackendKind.HASHMAP);

        VigilConfig c = load("detection:\n  max-keys: 5000000\nstate:\n  backend: rocksdb\n");
        assertThat(c.get(VigilOptions.MAX_KEYS)).isEqualTo(5_000_000);
        assertThat(c.get(VigilOptions.STATE_BACKEND)).isEqualTo(StateBackendKind.ROCKSDB);
        assertThat(c.get(VigilOptions.STATE_BACKEND)).hasToString("rocksdb");

        assertThatThrownBy(() -> load("detection:\n  max-keys: 0\n"))
                .hasMessageContaining("detection.max-keys: must be at least 1: 0");
        assertThatThrownBy(() -> load("detection:\n  max-keys: lots\n")).hasMessageContaining("detection.max-keys");
        assertThatThrownBy(() -> load("state:\n  backend: leveldb\n")).hasMessageContaining("state.backend")
                .hasMessageContaining("rocksdb");
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
