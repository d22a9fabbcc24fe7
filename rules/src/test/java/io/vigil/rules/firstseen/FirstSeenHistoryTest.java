package io.vigil.rules.firstseen;

import static io.vigil.rules.firstseen.FirstSeenHistory.Verdict.FULL;
import static io.vigil.rules.firstseen.FirstSeenHistory.Verdict.KNOWN;
import static io.vigil.rules.firstseen.FirstSeenHistory.Verdict.LEARNED;
import static io.vigil.rules.firstseen.FirstSeenHistory.Verdict.NEW;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decision for one key: learning, known, new, full, retention of values and of the key. */
class FirstSeenHistoryTest {

    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long T0 = 1_714_550_400_000L; // 2024-05-01T08:00:00Z

    private static FirstSeenRule rule(int maxValues) {
        return new FirstSeenRule("r", 1, "r", "d", "low", 10, List.of("TA0001"), List.of("T1078"), List.of(), null,
                List.of(), List.of(), List.of(), List.of("user.name"), List.of("host.name"), false, 7 * DAY,
                30 * DAY, maxValues, "r.firstseen.json");
    }

    @Test
    void valuesAreLearnedDuringTheLearningPeriodAndNewOnesAlertAfterIt() throws Exception {
        FirstSeenRule rule = rule(10);
        MemoryStore store = new MemoryStore();
        assertThat(FirstSeenHistory.observe(rule, store, "a", T0)).isEqualTo(LEARNED);
        assertThat(FirstSeenHistory.observe(rule, store, "b", T0 + 7 * DAY - 1)).isEqualTo(LEARNED);
        assertThat(FirstSeenHistory.observe(rule, store, "a", T0 + 7 * DAY)).isEqualTo(KNOWN);
        assertThat(FirstSeenHistory.observe(rule, store, "c", T0 + 7 * DAY)).isEqualTo(NEW);
        assertThat(FirstSeenHistory.observe(rule, store, "c", T0 + 7 * DAY + 1)).isEqualTo(KNOWN);
        assertThat(store.size()).isEqualTo(3);
    }

    @Test
    void aValueUnseenForTheRetentionIsNewAgainAndReplacedInPlace() throws Exception {
        FirstSeenRule rule = rule(10);
        MemoryStore store = new MemoryStore();
        FirstSeenHistory.observe(rule, store, "a", T0);
        FirstSeenHistory.observe(rule, store, "b", T0 + DAY);
        for (int d = 2; d <= 40; d++) {
            FirstSeenHistory.observe(rule, store, "a", T0 + d * DAY);
        }
        assertThat(FirstSeenHistory.observe(rule, store, "b", T0 + 31 * DAY - 1 + DAY)).isEqualTo(NEW);
        assertThat(store.size()).isEqualTo(2);
        assertThat(store.lastSeen("b")).isEqualTo(T0 + 32 * DAY - 1);
    }

    @Test
    void aKeyNoneOfWhoseValuesIsWithinTheRetentionIsForgottenAndLearnsAgain() throws Exception {
        FirstSeenRule rule = rule(10);
        MemoryStore store = new MemoryStore();
        FirstSeenHistory.observe(rule, store, "a", T0);
        FirstSeenHistory.observe(rule, store, "b", T0 + 8 * DAY);
        assertThat(FirstSeenHistory.observe(rule, store, "c", T0 + 38 * DAY)).isEqualTo(LEARNED);
        assertThat(store.learningStart()).isEqualTo(T0 + 38 * DAY);
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void aFullKeyNeitherRemembersNorAlertsOnMoreValuesButKnownOnesStayKnown() throws Exception {
        FirstSeenRule rule = rule(2);
        MemoryStore store = new MemoryStore();
        FirstSeenHistory.observe(rule, store, "a", T0);
        FirstSeenHistory.observe(rule, store, "b", T0);
        assertThat(FirstSeenHistory.observe(rule, store, "c", T0 + 8 * DAY)).isEqualTo(FULL);
        assertThat(FirstSeenHistory.observe(rule, store, "c", T0 + 8 * DAY)).isEqualTo(FULL);
        assertThat(FirstSeenHistory.observe(rule, store, "a", T0 + 8 * DAY)).isEqualTo(KNOWN);
        assertThat(store.size()).isEqualTo(2);
        assertThat(store.lastSeen("c")).isNull();
    }

    @Test
    void aValueSeenOutOfOrderKeepsItsLatestTime() throws Exception {
        FirstSeenRule rule = rule(10);
        MemoryStore store = new MemoryStore();
        FirstSeenHistory.observe(rule, store, "a", T0 + 5 * DAY);
        assertThat(FirstSeenHistory.observe(rule, store, "a", T0)).isEqualTo(KNOWN);
        assertThat(store.lastSeen("a")).isEqualTo(T0 + 5 * DAY);
    }
}
