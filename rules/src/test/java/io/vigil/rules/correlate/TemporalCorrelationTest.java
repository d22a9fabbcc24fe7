package io.vigil.rules.correlate;

import static io.vigil.rules.correlate.CorrelationHits.WINDOW;
import static io.vigil.rules.correlate.CorrelationHits.at;
import static io.vigil.rules.correlate.CorrelationHits.c;
import static io.vigil.rules.correlate.CorrelationHits.rule;
import static io.vigil.rules.correlate.CorrelationHits.run;
import static io.vigil.rules.correlate.CorrelationHits.step;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Alert;
import io.vigil.model.KeyEvent;
import io.vigil.rules.Comparison;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.Shape;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sigma temporal and temporal_ordered correlations: steps in any order, or in their listed order. */
class TemporalCorrelationTest {

    private static final List<String> ABC = List.of("recon-a", "recon-b", "recon-c");

    private static RuleMeta temporal(Shape shape, Comparison... condition) {
        return rule(shape, condition).steps(ABC).build();
    }

    /** All the steps: what the compiler passes when the Sigma rule gives no condition. */
    private static RuleMeta all(Shape shape) {
        return temporal(shape, c("gte", ABC.size()));
    }

    @Test
    void temporalFiresWhenEveryStepIsSeenInAnyOrder() {
        RuleMeta rule = all(Shape.TEMPORAL);
        CorrelationState st = new CorrelationState();
        assertThat(run(rule, st, step(rule, 0, "recon-c"), step(rule, 1_000, "recon-a"),
                step(rule, 2_000, "recon-a"))).isEmpty();
        List<Alert> out = run(rule, st, step(rule, 3_000, "recon-b"));
        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.count()).isEqualTo(3);
            // the event of each step, the latest of the repeated one
            assertThat(a.keyEvents()).extracting(KeyEvent::value).containsExactly("recon-c", "recon-a", "recon-b");
            assertThat(a.keyEvents()).extracting(KeyEvent::time).containsExactly(Instant.ofEpochMilli(at(0)),
                    Instant.ofEpochMilli(at(2_000)), Instant.ofEpochMilli(at(3_000)));
            assertThat(a.firstEventTime()).isEqualTo(Instant.ofEpochMilli(at(0)));
        });
        assertThat(st.window).isEmpty();
    }

    @Test
    void temporalStepsMustShareTheWindow() {
        RuleMeta rule = all(Shape.TEMPORAL);
        assertThat(run(rule, new CorrelationState(), step(rule, 0, "recon-a"), step(rule, 1, "recon-b"),
                step(rule, WINDOW, "recon-c"))).isEmpty();
        assertThat(run(rule, new CorrelationState(), step(rule, 0, "recon-a"), step(rule, 1, "recon-b"),
                step(rule, WINDOW - 1, "recon-c"))).hasSize(1);
    }

    @Test
    void temporalConditionCountsDistinctSteps() {
        RuleMeta rule = temporal(Shape.TEMPORAL, c("gte", 2));
        CorrelationState st = new CorrelationState();
        assertThat(run(rule, st, step(rule, 0, "recon-b"), step(rule, 1, "recon-b"))).isEmpty();
        assertThat(run(rule, st, step(rule, 2, "recon-a"))).singleElement().extracting(Alert::count).isEqualTo(2L);
    }

    @Test
    void aStepThatIsNotTheRulesDoesNotCount() {
        RuleMeta rule = all(Shape.TEMPORAL);
        CorrelationState st = new CorrelationState();
        assertThat(Correlator.counts(rule, step(rule, 0, "other-rule"))).isFalse();
        assertThat(Correlator.counts(rule, step(rule, 0, null))).isFalse();
        run(rule, st, step(rule, 0, "other-rule"), step(rule, 1, null));
        assertThat(st.isEmpty()).isTrue();
        assertThat(st.entities).isEmpty();
    }

    @Test
    void temporalWithLtIsDecidedAtCloseOnTheStepsSeen() {
        RuleMeta rule = temporal(Shape.TEMPORAL, c("lt", 3));
        CorrelationState st = new CorrelationState();
        assertThat(run(rule, st, step(rule, 0, "recon-a"), step(rule, 5, "recon-b"), step(rule, 6, "recon-a")))
                .isEmpty();
        List<Alert> out = Correlator.advance(rule, st, at(WINDOW));
        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.count()).isEqualTo(2);
            assertThat(a.originsTotal()).isEqualTo(3);
            assertThat(a.keyEvents()).extracting(KeyEvent::value).containsExactly("recon-a", "recon-b");
        });
    }

    @Test
    void orderedFiresOnTheStepsInTheirOrder() {
        RuleMeta rule = all(Shape.TEMPORAL_ORDERED);
        CorrelationState st = new CorrelationState();
        assertThat(run(rule, st, step(rule, 0, "recon-a"), step(rule, 1_000, "recon-b"))).isEmpty();
        List<Alert> out = run(rule, st, step(rule, 2_000, "recon-c"));
        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.count()).isEqualTo(3);
            assertThat(a.keyEvents()).extracting(KeyEvent::value).containsExactlyElementsOf(ABC);
        });
        assertThat(st.window).isEmpty();
    }

    @Test
    void orderedDoesNotFireOnTheStepsOutOfOrder() {
        RuleMeta rule = all(Shape.TEMPORAL_ORDERED);
        assertThat(run(rule, new CorrelationState(), step(rule, 0, "recon-c"), step(rule, 1, "recon-b"),
                step(rule, 2, "recon-a"))).isEmpty();
        assertThat(run(rule, new CorrelationState(), step(rule, 0, "recon-a"), step(rule, 1, "recon-c"),
                step(rule, 2, "recon-b"))).isEmpty();
        // the same hits unordered fire a temporal rule
        RuleMeta any = all(Shape.TEMPORAL);
        assertThat(run(any, new CorrelationState(), step(any, 0, "recon-c"), step(any, 1, "recon-b"),
                step(any, 2, "recon-a"))).hasSize(1);
    }

    @Test
    void orderedUsesTheSequenceThatStartedLatest() {
        RuleMeta rule = all(Shape.TEMPORAL_ORDERED);
        CorrelationState st = new CorrelationState();
        // a at 0 then b at 1 000; a again at 5 000 and b at 6 000: c at 12 000 is too late for the
        // first sequence, in time for the second
        List<Alert> out = run(rule, st, step(rule, 0, "recon-a"), step(rule, 1_000, "recon-b"),
                step(rule, 5_000, "recon-a"), step(rule, 6_000, "recon-b"), step(rule, 12_000, "recon-c"));
        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.firstEventTime()).isEqualTo(Instant.ofEpochMilli(at(5_000)));
            assertThat(a.keyEvents()).extracting(KeyEvent::time).containsExactly(Instant.ofEpochMilli(at(5_000)),
                    Instant.ofEpochMilli(at(6_000)), Instant.ofEpochMilli(at(12_000)));
        });
    }

    @Test
    void orderedNeedsTheWholeSequenceWithinTheWindow() {
        RuleMeta rule = all(Shape.TEMPORAL_ORDERED);
        assertThat(run(rule, new CorrelationState(), step(rule, 0, "recon-a"), step(rule, 1, "recon-b"),
                step(rule, WINDOW, "recon-c"))).isEmpty();
        assertThat(run(rule, new CorrelationState(), step(rule, 0, "recon-a"), step(rule, 1, "recon-b"),
                step(rule, WINDOW - 1, "recon-c"))).hasSize(1);
    }

    @Test
    void orderedStateStaysBoundedWhateverTheHits() {
        RuleMeta rule = all(Shape.TEMPORAL_ORDERED);
        CorrelationState st = new CorrelationState();
        for (int i = 0; i < 1_000; i++) {
            Correlator.onHit(rule, st, step(rule, i, i % 2 == 0 ? "recon-a" : "recon-b"));
            // one sequence per position, position i holding i + 1 entries
            assertThat(st.window.size()).isLessThanOrEqualTo(3 * 4 / 2);
        }
        assertThat(OrderedSteps.longest(st.window)).isEqualTo(2);
        assertThat(Correlator.advance(rule, st, at(999 + WINDOW))).isEmpty();
        assertThat(st.window).isEmpty();
    }

    @Test
    void aStepListedTwiceNeedsTwoHits() {
        RuleMeta rule = rule(Shape.TEMPORAL_ORDERED, c("gte", 3)).steps(List.of("login-failed", "login-failed",
                "login-ok")).build();
        assertThat(run(rule, new CorrelationState(), step(rule, 0, "login-failed"), step(rule, 1, "login-ok")))
                .isEmpty();
        assertThat(run(rule, new CorrelationState(), step(rule, 0, "login-failed"), step(rule, 1, "login-failed"),
                step(rule, 2, "login-ok"))).hasSize(1);
    }

    @Test
    void orderedWithLtIsDecidedAtCloseOnTheStepsMatchedInOrder() {
        RuleMeta rule = temporal(Shape.TEMPORAL_ORDERED, c("lt", 3));
        // a, c, b: only a and b are in order, c came before b
        CorrelationState st = new CorrelationState();
        run(rule, st, step(rule, 0, "recon-a"), step(rule, 1, "recon-c"), step(rule, 2, "recon-b"));
        assertThat(Correlator.advance(rule, st, at(WINDOW))).singleElement().extracting(Alert::count).isEqualTo(2L);
        // the window opens with the first step only
        CorrelationState late = new CorrelationState();
        run(rule, late, step(rule, 0, "recon-b"));
        assertThat(late.isEmpty()).isTrue();
        // all three in order: not fewer than three
        CorrelationState full = new CorrelationState();
        run(rule, full, step(rule, 0, "recon-a"), step(rule, 1, "recon-b"), step(rule, 2, "recon-c"));
        assertThat(Correlator.advance(rule, full, at(WINDOW))).isEmpty();
    }

    @Test
    void aTemporalAlertIsSuppressedLikeTheOthers() {
        RuleMeta rule = rule(Shape.TEMPORAL, c("gte", 2)).steps(ABC).suppressMs(WINDOW).build();
        CorrelationState st = new CorrelationState();
        List<Alert> first = run(rule, st, step(rule, 0, "recon-a"), step(rule, 1_000, "recon-b"));
        assertThat(first).hasSize(1);
        // within the suppression period (until 11 000): counted, no new alert
        assertThat(run(rule, st, step(rule, 2_000, "recon-a"), step(rule, 3_000, "recon-c"))).isEmpty();
        assertThat(Correlator.advance(rule, st, at(1_000 + WINDOW))).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo(first.get(0).id());
            assertThat(a.suppressedCount()).isEqualTo(2);
        });
        assertThat(st.isEmpty()).isTrue();
    }
}
