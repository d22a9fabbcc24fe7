package io.vigil.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What counts as lost, duplicated, redelivered and dead-lettered when a fault run is compared with the fault-free one. */
class ComparisonTest {

    @Test
    void idsFoundTwiceOrNeverExpectedAreDuplicatesAndIdsMissingAreLost() {
        Tally t = Tally.of(Set.of("a", "b", "c"), List.of("a", "b", "b", "x"));
        assertThat(t.expected()).isEqualTo(3);
        assertThat(t.found()).isEqualTo(3);
        assertThat(t.lost()).isEqualTo(1);
        assertThat(t.lostIds()).containsExactly("c");
        // b in two indices, x never expected
        assertThat(t.duplicated()).isEqualTo(2);
        assertThat(t.duplicatedIds()).containsExactly("b", "x");
        assertThat(t.exact()).isFalse();
        assertThat(Tally.of(Set.of("a", "b"), List.of("b", "a")).exact()).isTrue();
    }

    @Test
    void aWebhookKeyDeadLetteredIsAccountedForAndOneAcceptedTwiceIsARedeliveryNotALoss() {
        FaultHarness.Outputs expected = new FaultHarness.Outputs(Map.of("a1", 1L), Map.of("i1", 1L),
                Map.of("k1", 1, "k2", 1, "k3", 1, "k4", 1), Map.of());
        FaultHarness.Outputs found = new FaultHarness.Outputs(Map.of("a1", 1L), Map.of("i1", 1L),
                Map.of("k1", 1, "k2", 3), Map.of("k3", "webhook faults: gave up after 10 attempts: HTTP 503"));
        Comparison c = Comparison.of(expected, found);
        assertThat(c.alerts().exact()).isTrue();
        assertThat(c.incidents().exact()).isTrue();
        // k3 dead-lettered with its reason: found; k4 neither accepted nor dead-lettered: lost
        assertThat(c.webhooks().found()).isEqualTo(3);
        assertThat(c.webhooks().lost()).isEqualTo(1);
        assertThat(c.webhooks().lostIds()).containsExactly("k4");
        assertThat(c.webhooks().duplicated()).isZero();
        assertThat(c.redelivered()).isEqualTo(2);
        assertThat(c.deadLettered()).isEqualTo(1);
        assertThat(c.deadLetterReasons()).containsOnlyKeys("webhook faults: gave up after N attempts: HTTP 503");
        assertThat(c.exact()).isFalse();
        assertThat(c.json().path("lost").asLong()).isEqualTo(1);
        assertThat(c.json().at("/webhooks/redelivered").asLong()).isEqualTo(2);
    }

    @Test
    void aWebhookKeyNoFaultFreeRunSendsIsADuplicate() {
        FaultHarness.Outputs expected = new FaultHarness.Outputs(Map.of(), Map.of(), Map.of("k1", 1), Map.of());
        FaultHarness.Outputs found = new FaultHarness.Outputs(Map.of(), Map.of(), Map.of("k1", 1, "k9", 1), Map.of());
        Comparison c = Comparison.of(expected, found);
        assertThat(c.webhooks().duplicated()).isEqualTo(1);
        assertThat(c.webhooks().duplicatedIds()).containsExactly("k9");
        assertThat(c.redelivered()).isZero();
    }
}
