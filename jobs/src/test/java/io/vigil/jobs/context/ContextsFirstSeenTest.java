package io.vigil.jobs.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.rules.firstseen.FirstSeenRule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The context stage adds the packaged first-seen rules when the job detects, with the configured retention. */
class ContextsFirstSeenTest {

    private static ContextConfig withRetention(Duration retention) {
        ContextConfig d = ContextConfig.DEFAULTS;
        return new ContextConfig(d.intel(), d.geoip(), d.assets(), d.identities(), d.intelSuppression(),
                d.retroHuntLookback(), d.travel(), d.travelMaxSpeedKmh(), d.travelMinDistanceKm(), retention);
    }

    private static List<FirstSeenAlerts> firstSeen(ContextSettings settings) {
        return settings.alerts().stream().filter(FirstSeenAlerts.class::isInstance).map(FirstSeenAlerts.class::cast)
                .toList();
    }

    @Test
    void aDetectingJobRunsThePackagedRulesWithTheConfiguredRetention() {
        List<FirstSeenAlerts> found = firstSeen(Contexts.settings(withRetention(Duration.ofDays(12)), null, true));
        assertThat(found).hasSize(1);
        assertThat(found.get(0).rules()).extracting(FirstSeenRule::id)
                .contains("first-country-for-user", "new-parent-process-for-host", "first-admin-logon-on-host");
        assertThat(found.get(0).rules()).allSatisfy(r ->
                assertThat(r.retentionMs()).isEqualTo(Duration.ofDays(12).toMillis()));
    }

    @Test
    void noFirstSeenWithoutDetectionOrWithZeroRetention() {
        assertThat(firstSeen(Contexts.settings(ContextConfig.DEFAULTS, null, false))).isEmpty();
        assertThat(firstSeen(Contexts.settings(withRetention(Duration.ZERO), null, true))).isEmpty();
    }
}
