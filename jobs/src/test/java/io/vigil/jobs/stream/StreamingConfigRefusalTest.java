package io.vigil.jobs.stream;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.jobs.config.VigilConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The streaming job refuses what {@code vigil config --check} refuses, before it reaches any
 * service: the services named here do not exist, so getting as far as them would fail otherwise.
 */
class StreamingConfigRefusalTest {

    private static Map<String, String> services() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kafka.bootstrap-servers", "127.0.0.1:1");
        m.put("elasticsearch.urls", "http://127.0.0.1:1");
        return m;
    }

    @Test
    void aTopicOfAFormatVigilCannotDecodeStopsTheJobBeforeItStarts() {
        Map<String, String> m = services();
        m.put("kafka.topics.auth", "sysl0g");
        assertThatThrownBy(() -> StreamingMain.run(VigilConfig.of(m, "test"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafka.topics.auth: unknown format 'sysl0g'");
    }

    @Test
    void aWebhookFilterOnARuleThePackDoesNotHaveStopsTheJobBeforeItStarts() {
        Map<String, String> m = services();
        m.put("webhooks.endpoints.soar.url", "https://soar.example/hooks/vigil");
        m.put("webhooks.endpoints.soar.secret-env", "VIGIL_TEST_UNSET_SECRET");
        m.put("webhooks.endpoints.soar.rules", "ssh-brute-force-then-success");
        assertThatThrownBy(() -> StreamingMain.run(VigilConfig.of(m, "test"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("webhooks.endpoints.soar.rules: no rule 'ssh-brute-force-then-success'");
    }
}
