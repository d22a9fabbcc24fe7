package io.vigil.connectors.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookTargetTest {

    private static WebhookTarget.Builder valid() {
        return WebhookTarget.builder().name("soar").url("https://soar.example/hooks/vigil").secretEnv("SOAR_SECRET");
    }

    @Test
    void buildValidatesWithMessagesThatNameTheProblem() {
        assertThatThrownBy(() -> valid().name("SOAR!").build()).hasMessageContaining("webhook name");
        assertThatThrownBy(() -> valid().url("ftp://x/").build()).hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> valid().url("https://user:pw@soar.example/").build())
                .hasMessageContaining("credentials in the URL");
        assertThatThrownBy(() -> valid().urlEnv("SOAR_URL").build()).hasMessageContaining("exactly one of url and url-env");
        assertThatThrownBy(() -> valid().secretEnv(null).build()).hasMessageContaining("secret-env is required");
        assertThatThrownBy(() -> valid().secretEnv("not a var").build()).hasMessageContaining("environment variable");
        assertThatThrownBy(() -> valid().header("X-Vigil-Signature", "forged").build())
                .hasMessageContaining("set by Vigil");
        assertThatThrownBy(() -> valid().header("X-Team", "a\r\nInjected: 1").build())
                .hasMessageContaining("control character");
        assertThatThrownBy(() -> valid().maxAttempts(0).build()).hasMessageContaining("max-attempts");
        assertThatThrownBy(() -> valid().initialBackoff(Duration.ofMinutes(5)).maxBackoff(Duration.ofMinutes(1)).build())
                .hasMessageContaining("below initial-backoff");
        assertThatThrownBy(() -> valid().timeout(Duration.ZERO).build()).hasMessageContaining("timeout must be positive");
        assertThatThrownBy(() -> valid().ratePerSecond(-1).build()).hasMessageContaining("rate-limit");
        assertThatThrownBy(() -> valid().urgentReserve(1).build()).hasMessageContaining("urgent-reserve");
        assertThatThrownBy(() -> valid().urgentReserve(-0.1).build()).hasMessageContaining("urgent-reserve");
        assertThat(valid().build().keyId()).isEqualTo(WebhookTarget.DEFAULT_KEY_ID);
    }

    @Test
    void toBuilderCopiesEverySettingAndAChangeLeavesTheOriginalAlone() {
        WebhookTarget t = valid().header("X-Team", "secops").headerFromEnv("Authorization", "SOAR_TOKEN")
                .keyId("k2026").timeout(Duration.ofSeconds(3)).maxAttempts(7).initialBackoff(Duration.ofMillis(250))
                .maxBackoff(Duration.ofSeconds(30)).ratePerSecond(2.5).maxInFlight(3).maxPending(99)
                .urgentReserve(0.3).build();
        assertThat(t.toBuilder().build()).isEqualTo(t);
        assertThat(t.toBuilder().urgentReserve(0.1).build()).isNotEqualTo(t);
        WebhookTarget once = t.toBuilder().maxAttempts(1).build();
        assertThat(once).isNotEqualTo(t);
        assertThat(once.maxAttempts()).isEqualTo(1);
        assertThat(t.maxAttempts()).isEqualTo(7);
        assertThat(once.toBuilder().maxAttempts(7).build()).isEqualTo(t);
        assertThat(once.headers()).containsExactly(Map.entry("X-Team", "secops"));
        assertThat(once.headerEnv()).containsExactly(Map.entry("Authorization", "SOAR_TOKEN"));
        WebhookTarget fromEnv = WebhookTarget.builder().name("chat").urlEnv("CHAT_URL").secretEnv("S").build();
        assertThat(fromEnv.toBuilder().build()).isEqualTo(fromEnv);
        assertThat(fromEnv.toBuilder().build().url()).isNull();
    }

    @Test
    void theUrgentReserveIsAShareOfTheQueueRoundedUpThatLeavesOnePlaceForNormalRequests() {
        assertThat(valid().build().reservedForUrgent()).isEqualTo(1000);
        assertThat(valid().maxPending(3).build().reservedForUrgent()).isEqualTo(1);
        assertThat(valid().maxPending(1).build().reservedForUrgent()).isZero();
        assertThat(valid().maxPending(10).urgentReserve(0).build().reservedForUrgent()).isZero();
        WebhookTarget t = valid().maxPending(10).urgentReserve(0.25).build();
        assertThat(t.reservedForUrgent()).isEqualTo(3);
        assertThat(t.capacityFor(WebhookRequest.Priority.NORMAL)).isEqualTo(7);
        assertThat(t.capacityFor(WebhookRequest.Priority.URGENT)).isEqualTo(10);
    }

    @Test
    void secretsComeFromTheEnvironmentAndAMissingOneIsNamed() {
        WebhookTarget t = valid().headerFromEnv("Authorization", "SOAR_TOKEN").build();
        Map<String, String> env = Map.of("SOAR_SECRET", "s3cret", "SOAR_TOKEN", "Bearer abc");
        WebhookTarget.Resolved r = t.resolve(env::get);
        assertThat(new String(r.secret(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("s3cret");
        assertThat(r.headers()).containsEntry("Authorization", "Bearer abc");
        assertThatThrownBy(() -> t.resolve(Map.of("SOAR_TOKEN", "x")::get))
                .hasMessageContaining("SOAR_SECRET is not set");
        WebhookTarget fromEnv = WebhookTarget.builder().name("chat").urlEnv("CHAT_URL").secretEnv("S").build();
        assertThat(fromEnv.resolve(Map.of("S", "x", "CHAT_URL", "https://hooks.chat.example/T1/B2/tok")::get).uri())
                .hasHost("hooks.chat.example");
        assertThatThrownBy(() -> fromEnv.resolve(Map.of("S", "x")::get)).hasMessageContaining("CHAT_URL");
        // the target itself never holds a secret value
        assertThat(t.toString()).doesNotContain("s3cret");
    }

    @Test
    void onlyRetryableStatusesAreRetried() {
        assertThat(WebhookTarget.verdict(200)).isEqualTo(WebhookTarget.Verdict.DELIVERED);
        assertThat(WebhookTarget.verdict(204)).isEqualTo(WebhookTarget.Verdict.DELIVERED);
        assertThat(WebhookTarget.verdict(429)).isEqualTo(WebhookTarget.Verdict.RETRY);
        assertThat(WebhookTarget.verdict(408)).isEqualTo(WebhookTarget.Verdict.RETRY);
        assertThat(WebhookTarget.verdict(503)).isEqualTo(WebhookTarget.Verdict.RETRY);
        assertThat(WebhookTarget.verdict(400)).isEqualTo(WebhookTarget.Verdict.FAIL);
        assertThat(WebhookTarget.verdict(401)).isEqualTo(WebhookTarget.Verdict.FAIL);
        assertThat(WebhookTarget.verdict(302)).isEqualTo(WebhookTarget.Verdict.FAIL);
    }

    @Test
    void backoffDoublesWithJitterUpToTheCapAndHonoursRetryAfter() {
        WebhookTarget t = valid().initialBackoff(Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30)).build();
        // equal jitter: between half and all of 1 s, 2 s, 4 s, … 30 s
        assertThat(t.backoffMillis(1, null, 0.0)).isEqualTo(500);
        assertThat(t.backoffMillis(1, null, 0.999)).isBetween(999L, 1000L);
        assertThat(t.backoffMillis(2, null, 0.0)).isEqualTo(1000);
        assertThat(t.backoffMillis(4, null, 0.0)).isEqualTo(4000);
        assertThat(t.backoffMillis(6, null, 0.0)).isEqualTo(15_000);
        assertThat(t.backoffMillis(60, null, 0.999)).isBetween(29_900L, 30_000L);
        // Retry-After is a floor, capped at the maximum backoff
        assertThat(t.backoffMillis(1, 7_000L, 0.0)).isEqualTo(7_000);
        assertThat(t.backoffMillis(1, 3_600_000L, 0.0)).isEqualTo(30_000);
        assertThat(t.backoffMillis(5, 100L, 0.0)).isEqualTo(8_000);
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        long now = java.time.Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();
        assertThat(WebhookClient.retryAfterMillis("120", now)).isEqualTo(120_000L);
        assertThat(WebhookClient.retryAfterMillis("Sun, 22 Nov 2026 10:00:30 GMT", now)).isEqualTo(30_000L);
        assertThat(WebhookClient.retryAfterMillis("Sun, 22 Nov 2026 09:00:00 GMT", now)).isZero();
        assertThat(WebhookClient.retryAfterMillis("soon", now)).isNull();
        assertThat(WebhookClient.retryAfterMillis("-5", now)).isNull();
    }

    @Test
    void theRateLimitLetsABurstThroughThenSpacesRequests() {
        TokenBucket bucket = new TokenBucket(2);
        assertThat(bucket.take(1000)).isZero();
        assertThat(bucket.take(1000)).isZero();
        assertThat(bucket.take(1000)).isEqualTo(500);
        assertThat(bucket.take(1500)).isZero();
        assertThat(bucket.take(1500)).isEqualTo(500);
        assertThat(new TokenBucket(0).take(0)).isZero();
    }

    @Test
    void redirectsAreSameOriginOnlyWhenSchemeHostAndPortMatch() {
        java.net.URI a = java.net.URI.create("https://soar.example/hooks");
        assertThat(WebhookClient.sameOrigin(a, java.net.URI.create("https://soar.example:443/v2/hooks"))).isTrue();
        assertThat(WebhookClient.sameOrigin(a, java.net.URI.create("https://evil.example/hooks"))).isFalse();
        assertThat(WebhookClient.sameOrigin(a, java.net.URI.create("http://soar.example/hooks"))).isFalse();
        assertThat(WebhookClient.sameOrigin(a, java.net.URI.create("https://soar.example:8443/hooks"))).isFalse();
    }
}
