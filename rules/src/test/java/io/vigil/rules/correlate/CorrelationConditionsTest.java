package io.vigil.rules.correlate;

import static io.vigil.rules.correlate.CorrelationHits.KEY;
import static io.vigil.rules.correlate.CorrelationHits.T0;
import static io.vigil.rules.correlate.CorrelationHits.WINDOW;
import static io.vigil.rules.correlate.CorrelationHits.at;
import static io.vigil.rules.correlate.CorrelationHits.c;
import static io.vigil.rules.correlate.CorrelationHits.hit;
import static io.vigil.rules.correlate.CorrelationHits.rule;
import static io.vigil.rules.correlate.CorrelationHits.run;
import static io.vigil.rules.correlate.CorrelationHits.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Alert;
import io.vigil.model.KeyEvent;
import io.vigil.model.Origin;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.Shape;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Event count and value count with Sigma conditions: when they are decided, and the window bounds. */
class CorrelationConditionsTest {

    @Test
    void gteFiresAtTheHitThatMeetsItAndTheLastMillisecondOfTheWindowIsIn() {
        RuleMeta rule = rule(Shape.THRESHOLD, c("gte", 2)).build();
        CorrelationState st = new CorrelationState();
        List<Alert> out = run(rule, st, hit(rule, 0), hit(rule, WINDOW - 1));
        assertThat(out).hasSize(1);
        assertThat(out.get(0).count()).isEqualTo(2);
        assertThat(out.get(0).timestamp()).isEqualTo(Instant.ofEpochMilli(at(WINDOW - 1)));
    }

    @Test
    void gteDoesNotReachAcrossTheWindow() {
        RuleMeta rule = rule(Shape.THRESHOLD, c("gte", 2)).build();
        assertThat(run(rule, new CorrelationState(), hit(rule, 0), hit(rule, WINDOW))).isEmpty();
    }

    @Test
    void gtNeedsOneMoreThanItsNumber() {
        RuleMeta rule = rule(Shape.THRESHOLD, c("gt", 2)).build();
        CorrelationState st = new CorrelationState();
        assertThat(run(rule, st, hit(rule, 0), hit(rule, 1))).isEmpty();
        assertThat(run(rule, st, hit(rule, 2))).singleElement().extracting(Alert::count).isEqualTo(3L);
    }

    @Test
    void ltIsDecidedOnlyWhenTheWindowCloses() {
        RuleMeta rule = rule(Shape.THRESHOLD, c("lt", 3)).build();
        CorrelationState st = new CorrelationState();
        assertThat(run(rule, st, hit(rule, 0), hit(rule, 4_000))).isEmpty();
        assertThat(Correlator.nextWakeUp(rule, st)).isEqualTo(at(WINDOW));
        assertThat(Correlator.advance(rule, st, at(WINDOW - 1))).isEmpty();

        List<Alert> out = Correlator.advance(rule, st, at(WINDOW));
        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.count()).isEqualTo(2);
            assertThat(a.groupKey()).isEqualTo(KEY);
            assertThat(a.firstEventTime()).isEqualTo(Instant.ofEpochMilli(at(0)));
            assertThat(a.lastEventTime()).isEqualTo(Instant.ofEpochMilli(at(4_000)));
            assertThat(a.timestamp()).isEqualTo(Instant.ofEpochMilli(at(4_000)));
            assertThat(a.keyEvents()).extracting(KeyEvent::time)
                    .containsExactly(Instant.ofEpochMilli(at(0)), Instant.ofEpochMilli(at(4_000)));
            assertThat(a.id()).isEqualTo(Correlator.alertId(rule.id(), KEY, at(0), Origin.file("sec.log", 0)));
        });
        assertThat(st.isEmpty()).isTrue();
    }

    @Test
    void ltDoesNotFireWhenTheWindowReachesItsNumber() {
        RuleMeta rule = rule(Shape.THRESHOLD, c("lt", 3)).build();
        CorrelationState st = new CorrelationState();
        assertThat(run(rule, st, hit(rule, 0), hit(rule, 1), hit(rule, WINDOW - 1))).isEmpty();
        assertThat(Correlator.advance(rule, st, at(WINDOW))).isEmpty();
        assertThat(st.isEmpty()).isTrue();
    }

    @Test
    void aHitAtTheWindowsEndClosesItAndOpensTheNext() {
        RuleMeta rule = rule(Shape.THRESHOLD, c("eq", 2)).build();
        CorrelationState st = new CorrelationState();
        // 0 and window-1 are in the first window; the hit at the window's end decides it
        assertThat(run(rule, st, hit(rule, 0), hit(rule, WINDOW - 1))).isEmpty();
        List<Alert> out = run(rule, st, hit(rule, WINDOW));
        assertThat(out).singleElement().extracting(Alert::count).isEqualTo(2L);
        // the next window holds only that hit, and starts at it
        assertThat(Correlator.nextWakeUp(rule, st)).isEqualTo(at(2 * WINDOW));
        assertThat(Correlator.advance(rule, st, at(2 * WINDOW))).isEmpty();
    }

    @Test
    void aRangeFiresOnlyInsideIt() {
        RuleMeta rule = rule(Shape.THRESHOLD, c("gt", 2), c("lte", 4)).build();
        assertThat(Correlator.decidedAtOnce(rule)).isFalse();
        for (int n = 1; n <= 6; n++) {
            CorrelationState st = new CorrelationState();
            for (int i = 0; i < n; i++) {
                assertThat(Correlator.onHit(rule, st, hit(rule, i * 1_000L))).isEmpty();
            }
            List<Alert> out = Correlator.advance(rule, st, at(WINDOW));
            assertThat(out).as("%d hits", n).hasSize(n == 3 || n == 4 ? 1 : 0);
        }
    }

    @Test
    void neqFiresAtCloseForAnyOtherCount() {
        RuleMeta rule = rule(Shape.THRESHOLD, c("neq", 2)).build();
        CorrelationState one = new CorrelationState();
        run(rule, one, hit(rule, 0));
        assertThat(Correlator.advance(rule, one, at(WINDOW))).hasSize(1);
        CorrelationState two = new CorrelationState();
        run(rule, two, hit(rule, 0), hit(rule, 5));
        assertThat(Correlator.advance(rule, two, at(WINDOW))).isEmpty();
    }

    @Test
    void aClosingWindowKeepsTheFirstHitsAndTheLastOnlyButCountsThemAll() {
        RuleMeta rule = rule(Shape.THRESHOLD, c("lte", 1_000)).build();
        CorrelationState st = new CorrelationState();
        for (int i = 0; i < 500; i++) {
            Correlator.onHit(rule, st, hit(rule, i * 10L));
        }
        assertThat(st.window).hasSize(Alert.MAX_ORIGINS);
        Alert a = Correlator.advance(rule, st, at(WINDOW)).get(0);
        assertThat(a.count()).isEqualTo(500);
        assertThat(a.originsTotal()).isEqualTo(500);
        assertThat(a.keyEvents()).hasSize(Alert.MAX_KEY_EVENTS);
        assertThat(a.keyEvents().get(Alert.MAX_KEY_EVENTS - 1).time()).isEqualTo(Instant.ofEpochMilli(at(4_990)));
        assertThat(a.lastEventTime()).isEqualTo(Instant.ofEpochMilli(at(4_990)));
    }

    @Test
    void valueCountWithGtFiresAtTheNewValueThatMeetsIt() {
        RuleMeta rule = rule(Shape.DISTINCT, c("gt", 2)).distinct("user.name").build();
        CorrelationState st = new CorrelationState();
        assertThat(run(rule, st, value(rule, 0, "alice"), value(rule, 1, "bob"), value(rule, 2, "alice"))).isEmpty();
        assertThat(run(rule, st, value(rule, 3, "carol"))).singleElement().extracting(Alert::count).isEqualTo(3L);
    }

    @Test
    void valueCountWithLteIsDecidedAtCloseOnDistinctValues() {
        RuleMeta rule = rule(Shape.DISTINCT, c("lte", 2)).distinct("user.name").build();
        CorrelationState st = new CorrelationState();
        run(rule, st, value(rule, 0, "alice"), value(rule, 1, "bob"), value(rule, 2, "alice"), value(rule, 3, "bob"));
        List<Alert> out = Correlator.advance(rule, st, at(WINDOW));
        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.count()).isEqualTo(2);
            assertThat(a.originsTotal()).isEqualTo(4);
            assertThat(a.keyEvents()).extracting(KeyEvent::value).containsExactly("alice", "bob");
        });

        CorrelationState three = new CorrelationState();
        run(rule, three, value(rule, 0, "alice"), value(rule, 1, "bob"), value(rule, 2, "carol"));
        assertThat(Correlator.advance(rule, three, at(WINDOW))).isEmpty();
    }

    @Test
    void aClosingValueCountHoldsNoMoreValuesThanItsConditionCanTellApart() {
        RuleMeta rule = rule(Shape.DISTINCT, c("lt", 3)).distinct("user.name").build();
        CorrelationState st = new CorrelationState();
        for (int i = 0; i < 100; i++) {
            Correlator.onHit(rule, st, value(rule, i, "user" + i));
        }
        assertThat(st.window).hasSize(4);
        assertThat(Correlator.advance(rule, st, at(WINDOW))).isEmpty();
    }

    @Test
    void afterAWindowFiresAtCloseItsSuppressionStartsAtTheWindowsEnd() {
        RuleMeta rule = rule(Shape.THRESHOLD, c("lt", 3)).suppressMs(WINDOW).build();
        CorrelationState st = new CorrelationState();
        run(rule, st, hit(rule, 0));
        // this hit closes the first window (it fires) and falls in the suppression that follows
        List<Alert> first = run(rule, st, hit(rule, WINDOW + 500));
        assertThat(first).hasSize(1);
        assertThat(st.suppressUntil).isEqualTo(at(2 * WINDOW));
        run(rule, st, hit(rule, 2 * WINDOW - 1));
        assertThat(Correlator.nextWakeUp(rule, st)).isEqualTo(at(2 * WINDOW));

        List<Alert> end = Correlator.advance(rule, st, at(2 * WINDOW));
        assertThat(end).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo(first.get(0).id());
            assertThat(a.suppressedCount()).isEqualTo(2);
            assertThat(a.lastEventTime()).isEqualTo(Instant.ofEpochMilli(at(2 * WINDOW - 1)));
        });
        assertThat(st.isEmpty()).isTrue();
    }

    @Test
    void theSameHitsGiveTheSameAlertIds() {
        RuleMeta rule = rule(Shape.THRESHOLD, c("lt", 5)).build();
        CorrelationState a = new CorrelationState();
        CorrelationState b = new CorrelationState();
        run(rule, a, hit(rule, 3), hit(rule, 7));
        run(rule, b, hit(rule, 3), hit(rule, 7));
        List<Alert> first = Correlator.advance(rule, a, Long.MAX_VALUE);
        assertThat(first).hasSize(1);
        assertThat(Correlator.advance(rule, b, Long.MAX_VALUE)).isEqualTo(first);
    }

    @Test
    void drlThresholdsKeepTheirSlidingWindow() {
        // the default condition (gte threshold) of a DRL rule is decided as soon as met
        RuleMeta rule = new RuleMeta("three", 1, "Three", "d", "low", 10, List.of("TA0006"), List.of("T1110"),
                List.of(), null, List.of(), Shape.THRESHOLD, List.of("source.ip"), WINDOW, 3, null, 0, "t.drl");
        assertThat(Correlator.decidedAtOnce(rule)).isTrue();
        CorrelationState st = new CorrelationState();
        // 0 expires by 12 000; 6 000, 9 000 and 12 000 share a window
        assertThat(run(rule, st, hit(rule, 0), hit(rule, 6_000), hit(rule, 9_000))).hasSize(1);
        CorrelationState sliding = new CorrelationState();
        assertThat(run(rule, sliding, hit(rule, 0), hit(rule, 6_000), hit(rule, 12_000), hit(rule, 13_000)))
                .singleElement().extracting(Alert::firstEventTime).isEqualTo(Instant.ofEpochMilli(T0 + 6_000));
    }

    @Test
    void aLateHitJoinsTheOpenWindowEvenWhenItPredatesItsStart() {
        RuleMeta rule = rule(Shape.THRESHOLD, c("lt", 5)).build();
        CorrelationState st = new CorrelationState();
        // applied in this order: the hit of 1 000 arrived behind the watermark
        run(rule, st, hit(rule, 3_000), hit(rule, 1_000));
        assertThat(Correlator.nextWakeUp(rule, st)).isEqualTo(at(3_000 + WINDOW));
        assertThat(Correlator.advance(rule, st, at(3_000 + WINDOW))).singleElement().satisfies(a -> {
            assertThat(a.count()).isEqualTo(2);
            assertThat(a.firstEventTime()).isEqualTo(Instant.ofEpochMilli(at(1_000)));
            assertThat(a.lastEventTime()).isEqualTo(Instant.ofEpochMilli(at(3_000)));
        });
    }
}
