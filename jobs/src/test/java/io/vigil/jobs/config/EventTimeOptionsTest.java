package io.vigil.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The event-time keys of {@code vigil.yaml}: their defaults, and values refused once, naming the key. */
class EventTimeOptionsTest {

    private static VigilConfig config(Map<String, String> keys) {
        return VigilConfig.of(keys, "test.yaml");
    }

    @Test
    void defaults() {
        VigilConfig c = config(Map.of());
        assertThat(c.get(VigilOptions.MAX_FUTURE_SKEW)).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.get(VigilOptions.MAX_EVENT_AGE)).isEqualTo(Duration.ofDays(30));
        assertThat(c.get(VigilOptions.IDLE_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void readsThem() {
        VigilConfig c = config(Map.of("detection.max-future-skew", "1 min", "detection.max-event-age", "400d",
                "detection.idle-timeout", "0"));
        assertThat(c.get(VigilOptions.MAX_FUTURE_SKEW)).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.get(VigilOptions.MAX_EVENT_AGE)).isEqualTo(Duration.ofDays(400));
        assertThat(c.get(VigilOptions.IDLE_TIMEOUT)).isZero();
    }

    @Test
    void boundsMustBePositiveAndIdlenessNotNegative() {
        assertThatThrownBy(() -> config(Map.of("detection.max-future-skew", "0s")))
                .hasMessageContaining("detection.max-future-skew: must be more than 0");
        assertThatThrownBy(() -> config(Map.of("detection.max-event-age", "-1d")))
                .hasMessageContaining("detection.max-event-age");
        assertThatThrownBy(() -> config(Map.of("detection.idle-timeout", "-5s")))
                .hasMessageContaining("detection.idle-timeout");
    }
}
