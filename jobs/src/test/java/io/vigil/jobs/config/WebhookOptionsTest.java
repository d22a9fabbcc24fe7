package io.vigil.jobs.config;

import io.vigil.jobs.webhook.WebhookFormat;
import io.vigil.jobs.webhook.WebhookFilter;
import io.vigil.jobs.webhook.WebhookRoute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookOptionsTest {

    @TempDir
    Path dir;

    @Test
    void endpointsAreReadFromYamlWithTheirDefaults() throws Exception {
        Path yaml = dir.resolve("vigil.yaml");
        Files.writeString(yaml, """
                kafka:
                  bootstrap-servers: localhost:9092
                elasticsearch:
                  urls: [http://localhost:9200]
                webhooks:
                  endpoints:
                    soar:
                      url: https://soar.example/hooks/vigil
                      secret-env: VIGIL_WEBHOOK_SOAR_SECRET
                      key-id: soar-2026-11
                      send: [alerts, incidents]
                      min-severity: high
                      rules: [ssh-brute-force-then-success, account-backdoor]
                      headers:
                        X-Team: secops
                      header-env:
                        Authorization: SOAR_TOKEN
                      timeout: 3s
                      max-attempts: 6
                      rate-limit: 5
                      max-pending: 500
                      urgent-reserve: 0.25
                    chat:
                      url-env: CHAT_WEBHOOK_URL
                      secret-env: CHAT_SECRET
                      format: slack
                      tags: [credential-access]
                """);

        List<WebhookRoute> routes = VigilConfig.load(yaml).webhooks();

        assertThat(routes).extracting(WebhookRoute::name).containsExactly("chat", "soar");
        WebhookRoute soar = routes.get(1);
        assertThat(soar.target().url()).isEqualTo("https://soar.example/hooks/vigil");
        assertThat(soar.target().keyId()).isEqualTo("soar-2026-11");
        assertThat(soar.target().headers()).containsExactly(Map.entry("X-Team", "secops"));
        assertThat(soar.target().headerEnv()).containsExactly(Map.entry("Authorization", "SOAR_TOKEN"));
        assertThat(soar.target().timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(soar.target().maxAttempts()).isEqualTo(6);
        assertThat(soar.target().ratePerSecond()).isEqualTo(5.0);
        assertThat(soar.target().maxPending()).isEqualTo(500);
        assertThat(soar.target().urgentReserve()).isEqualTo(0.25);
        assertThat(soar.target().reservedForUrgent()).isEqualTo(125);
        assertThat(soar.format()).isEqualTo(WebhookFormat.GENERIC);
        assertThat(soar.filter()).isEqualTo(new WebhookFilter(true, true, "high",
                Set.of("ssh-brute-force-then-success", "account-backdoor"), Set.of()));
        WebhookRoute chat = routes.get(0);
        assertThat(chat.target().url()).isNull();
        assertThat(chat.target().urlEnv()).isEqualTo("CHAT_WEBHOOK_URL");
        assertThat(chat.format()).isEqualTo(WebhookFormat.SLACK);
        assertThat(chat.filter()).isEqualTo(new WebhookFilter(true, false, "low", Set.of(), Set.of("credential-access")));
        assertThat(chat.target().maxInFlight()).isEqualTo(io.vigil.connectors.webhook.WebhookTarget.DEFAULT_MAX_IN_FLIGHT);
        assertThat(chat.target().urgentReserve()).isEqualTo(io.vigil.connectors.webhook.WebhookTarget.DEFAULT_URGENT_RESERVE);
        assertThat(chat.target().reservedForUrgent()).isEqualTo(1000);
    }

    @Test
    void badEndpointKeysAreNamedWhenTheConfigurationIsRead() {
        Map<String, String> base = Map.of("kafka.bootstrap-servers", "k:9092", "elasticsearch.urls", "http://e:9200");
        assertThatThrownBy(() -> VigilConfig.of(with(base, "webhooks.endpoints.soar.url", "https://x.example/",
                "webhooks.endpoints.soar.secret-env", "S", "webhooks.endpoints.soar.retries", "3"), "vigil.yaml"))
                .hasMessageContaining("unknown key 'webhooks.endpoints.soar.retries'");
        assertThatThrownBy(() -> VigilConfig.of(with(base, "webhooks.endpoints.soar.url", "https://x.example/"),
                "vigil.yaml")).hasMessageContaining("webhooks.endpoints.soar.").hasMessageContaining("secret-env is required");
        assertThatThrownBy(() -> VigilConfig.of(with(base, "webhooks.endpoints.soar.url", "https://x.example/",
                "webhooks.endpoints.soar.secret-env", "S", "webhooks.endpoints.soar.format", "xml"), "vigil.yaml"))
                .hasMessageContaining("format must be generic, ecs or slack");
        assertThatThrownBy(() -> VigilConfig.of(with(base, "webhooks.endpoints.soar.url", "https://x.example/",
                "webhooks.endpoints.soar.secret-env", "S", "webhooks.endpoints.soar.send", "everything"), "vigil.yaml"))
                .hasMessageContaining("send must list alerts and/or incidents");
        assertThatThrownBy(() -> VigilConfig.of(with(base, "webhooks.endpoints.soar.url", "https://x.example/",
                "webhooks.endpoints.soar.secret-env", "S", "webhooks.endpoints.soar.min-severity", "urgent"),
                "vigil.yaml")).hasMessageContaining("min-severity");
        assertThatThrownBy(() -> VigilConfig.of(with(base, "webhooks.endpoints.soar.url", "https://x.example/",
                "webhooks.endpoints.soar.secret-env", "S", "webhooks.endpoints.soar.max-attempts", "many"),
                "vigil.yaml")).hasMessageContaining("max-attempts");
        assertThatThrownBy(() -> VigilConfig.of(with(base, "webhooks.endpoints.soar.url", "https://x.example/",
                "webhooks.endpoints.soar.secret-env", "S", "webhooks.endpoints.soar.urgent-reserve", "1"),
                "vigil.yaml")).hasMessageContaining("urgent-reserve must be a share of max-pending");
        assertThat(VigilConfig.of(base, "vigil.yaml").webhooks()).isEmpty();
    }

    private static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> m = new java.util.HashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
