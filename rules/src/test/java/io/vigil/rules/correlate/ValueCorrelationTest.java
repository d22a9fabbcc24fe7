package io.vigil.rules.correlate;

import static io.vigil.rules.correlate.CorrelationHits.WINDOW;
import static io.vigil.rules.correlate.CorrelationHits.at;
import static io.vigil.rules.correlate.CorrelationHits.c;
import static io.vigil.rules.correlate.CorrelationHits.rule;
import static io.vigil.rules.correlate.CorrelationHits.run;
import static io.vigil.rules.correlate.CorrelationHits.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Alert;
import io.vigil.model.KeyEvent;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.Shape;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sigma value_sum and value_avg correlations. */
class ValueCorrelationTest {

    private static RuleMeta sum(io.vigil.rules.Comparison... condition) {
        return rule(Shape.VALUE_SUM, condition).distinct("source.bytes").build();
    }

    private static RuleMeta avg(io.vigil.rules.Comparison... condition) {
        return rule(Shape.VALUE_AVG, condition).distinct("source.bytes").build();
    }

    @Test
    void aSumWithGtFiresAtTheHitThatTakesItOver() {
        RuleMeta rule = sum(c("gt", 1_000));
        CorrelationState st = new CorrelationState();
        assertThat(run(rule, st, value(rule, 0, "400"), value(rule, 1_000, "500"))).isEmpty();
        List<Alert> out = run(rule, st, value(rule, WINDOW - 1, "200.5"));
        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.count()).isEqualTo(3);
            assertThat(a.keyEvents()).extracting(KeyEvent::value).containsExactly("400", "500", "200.5");
            assertThat(a.timestamp()).isEqualTo(Instant.ofEpochMilli(at(WINDOW - 1)));
        });
        assertThat(st.isEmpty()).isTrue();
    }

    @Test
    void aSumCountsTheHitsOfOneWindowOnly() {
        RuleMeta rule = sum(c("gt", 1_000));
        CorrelationState st = new CorrelationState();
        // the hit at the window's end opens the next window
        assertThat(run(rule, st, value(rule, 0, "600"), value(rule, WINDOW, "600"))).isEmpty();
        assertThat(st.count).isEqualTo(1);
        assertThat(st.windowStart).isEqualTo(at(WINDOW));
        assertThat(Correlator.advance(rule, st, at(2 * WINDOW))).isEmpty();
        assertThat(st.isEmpty()).isTrue();
    }

    @Test
    void aSumRangeIsDecidedAtClose() {
        RuleMeta rule = sum(c("gte", 100), c("lte", 200));
        CorrelationState inside = new CorrelationState();
        assertThat(run(rule, inside, value(rule, 0, "150"), value(rule, 1, "50"))).isEmpty();
        assertThat(Correlator.advance(rule, inside, at(WINDOW))).singleElement().extracting(Alert::count)
                .isEqualTo(2L);

        CorrelationState above = new CorrelationState();
        run(rule, above, value(rule, 0, "150"), value(rule, 1, "51"));
        assertThat(Correlator.advance(rule, above, at(WINDOW))).isEmpty();
    }

    @Test
    void anAverageIsDecidedAtCloseEvenWithGt() {
        RuleMeta rule = avg(c("gt", 500));
        assertThat(Correlator.decidedAtOnce(rule)).isFalse();
        CorrelationState st = new CorrelationState();
        // 900 alone is above 500: only the whole window (average 550) decides
        assertThat(run(rule, st, value(rule, 0, "900"), value(rule, 1, "200"), value(rule, 2, "550"))).isEmpty();
        assertThat(Correlator.advance(rule, st, at(WINDOW - 1))).isEmpty();
        assertThat(Correlator.advance(rule, st, at(WINDOW))).singleElement().extracting(Alert::count)
                .isEqualTo(3L);

        CorrelationState below = new CorrelationState();
        run(rule, below, value(rule, 0, "900"), value(rule, 1, "100"));
        assertThat(Correlator.advance(rule, below, at(WINDOW))).isEmpty();
    }

    @Test
    void anAverageWithLtFiresBelowIt() {
        RuleMeta rule = avg(c("lt", 10));
        CorrelationState st = new CorrelationState();
        run(rule, st, value(rule, 0, "-5"), value(rule, 1, "20"));
        assertThat(Correlator.advance(rule, st, at(WINDOW))).hasSize(1);
    }

    @Test
    void valuesThatAreNotNumbersDoNotCount() {
        RuleMeta rule = avg(c("lt", 100));
        for (String text : new String[] {"abc", "NaN", "Infinity", "0x10", "1e400", "12d", "", " ", "1.2.3"}) {
            assertThat(Correlator.counts(rule, value(rule, 0, text))).as(text).isFalse();
        }
        assertThat(Correlator.counts(rule, value(rule, 0, null))).isFalse();
        CorrelationState st = new CorrelationState();
        run(rule, st, value(rule, 0, "oops"));
        assertThat(st.isEmpty()).isTrue();
        // they neither open a window nor weigh in its average
        run(rule, st, value(rule, 1_000, "50"), value(rule, 2_000, "n/a"), value(rule, 3_000, "100"));
        assertThat(st.windowStart).isEqualTo(at(1_000));
        assertThat(Correlator.advance(rule, st, at(1_000 + WINDOW))).singleElement().satisfies(a -> {
            assertThat(a.count()).isEqualTo(2);
            assertThat(a.keyEvents()).extracting(KeyEvent::value).containsExactly("50", "100");
        });
    }

    @Test
    void numbersAreReadInPlainDecimalNotation() {
        assertThat(NumericValue.parse("42")).isEqualTo(42.0);
        assertThat(NumericValue.parse(" -3.5 ")).isEqualTo(-3.5);
        assertThat(NumericValue.parse("+.5")).isEqualTo(0.5);
        assertThat(NumericValue.parse("7.")).isEqualTo(7.0);
        assertThat(NumericValue.parse("1.5E3")).isEqualTo(1_500.0);
        assertThat(NumericValue.parse("1e-2")).isEqualTo(0.01);
        for (String text : new String[] {"e3", "1e", "1e+", "-", ".", "--1", "1_000", "1,5", "0x1p3", "1f", "٣"}) {
            assertThat(NumericValue.parse(text)).as(text).isNull();
        }
        assertThat(NumericValue.parse("1".repeat(NumericValue.MAX_LENGTH + 1))).isNull();
    }
}
