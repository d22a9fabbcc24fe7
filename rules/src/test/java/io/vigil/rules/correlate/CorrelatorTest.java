package io.vigil.rules.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Origin;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.RulePack;
import io.vigil.rules.verify.RuleSet;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CorrelatorTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @Test
    void theWakeUpIsWhenTheOldestEntryExpiresEvenWhenALateHitCameLast() {
        RuleMeta rule = RulePack.compile(RuleSet.packaged().sources()).rule("ssh-brute-force");
        CorrelationState st = new CorrelationState();
        for (long second : new long[] {10, 4}) { // the hit of second 4 arrives late, after second 10's
            Correlator.onHit(rule, st, new RuleHit("ssh-brute-force", "198.51.100.1", T0.plusSeconds(second),
                    Origin.kafka("raw", 0, second), 0, null, null, Map.of("source.ip", "198.51.100.1")));
        }
        assertThat(st.window).hasSize(2);
        assertThat(Correlator.nextWakeUp(rule, st)).isEqualTo(T0.plusSeconds(4).toEpochMilli() + rule.windowMs());

        Correlator.advance(rule, st, T0.plusSeconds(4).toEpochMilli() + rule.windowMs());
        assertThat(st.window).extracting(e -> e.time).containsExactly(T0.plusSeconds(10).toEpochMilli());
    }

    @Test
    void aSequenceKeepsTheLatestFirstStepsEvenWhenOneCameLate() {
        RuleMeta rule = RulePack.compile(RuleSet.packaged().sources()).rule("brute-force-then-success");
        assertThat(rule.shape()).isEqualTo(io.vigil.rules.Shape.SEQUENCE);
        CorrelationState st = new CorrelationState();
        int n = (int) rule.threshold();
        // n first steps at seconds 10..10+n-1, then a late one at second 5: it is the oldest and goes
        for (int i = 0; i < n; i++) {
            Correlator.onHit(rule, st, first(10 + i));
        }
        Correlator.onHit(rule, st, first(5));
        assertThat(st.window).hasSize(n);
        assertThat(st.window).extracting(e -> e.time).doesNotContain(T0.plusSeconds(5).toEpochMilli())
                .contains(T0.plusSeconds(10).toEpochMilli());
    }

    private static RuleHit first(long second) {
        return new RuleHit("brute-force-then-success", "198.51.100.2", T0.plusSeconds(second),
                Origin.kafka("raw", 0, second), 0, io.vigil.rules.Signal.FIRST, null, Map.of("source.ip", "198.51.100.2"));
    }
}
