package io.vigil.rules.correlate;

import static io.vigil.rules.correlate.CorrelationHits.KEY;
import static io.vigil.rules.correlate.CorrelationHits.T0;
import static io.vigil.rules.correlate.CorrelationHits.hit;
import static io.vigil.rules.correlate.CorrelationHits.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Alert;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.Shape;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Suppression of single-event rules in buckets fixed in event time ({@link Correlator#bucketStart}). */
class SuppressionBucketTest {

    /** 60 s suppression; T0 (10:00:00) starts a bucket. */
    private static final RuleMeta RULE = RuleMeta.builder().id("log-cleared").name("Log cleared")
            .shape(Shape.SINGLE).groupBy(List.of("host.name")).suppressMs(60_000).build();

    @Test
    void theLastEmissionOfABucketIsTheSameWhateverOrderItsHitsCameIn() {
        List<Alert> inOrder = emissions(new CorrelationState(), 1_000, 2_000, 3_000);
        List<Alert> shuffled = emissions(new CorrelationState(), 3_000, 1_000, 2_000);
        // the first emission reports whichever hit came first, under the same id
        assertThat(shuffled.get(0).id()).isEqualTo(inOrder.get(0).id())
                .isEqualTo(Correlator.bucketAlertId(RULE.id(), KEY, T0));
        assertThat(shuffled.get(0).firstEventTime()).isEqualTo(Instant.ofEpochMilli(T0 + 3_000));
        // the bucket's end: the earliest hit reported, the others counted
        Alert last = inOrder.get(inOrder.size() - 1);
        assertThat(shuffled.get(shuffled.size() - 1)).isEqualTo(last);
        assertThat(last.firstEventTime()).isEqualTo(Instant.ofEpochMilli(T0 + 1_000));
        assertThat(last.suppressedCount()).isEqualTo(2);
        assertThat(last.lastEventTime()).isEqualTo(Instant.ofEpochMilli(T0 + 3_000));
    }

    @Test
    void bucketsAreFixedInEventTimeNotStartedByTheHitThatFired() {
        // 59 s and 61 s: one minute apart would be one period started at 59 s, but two buckets here
        List<Alert> out = emissions(new CorrelationState(), 59_000, 61_000);
        assertThat(out).extracting(Alert::id).containsExactly(Correlator.bucketAlertId(RULE.id(), KEY, T0),
                Correlator.bucketAlertId(RULE.id(), KEY, T0 + 60_000));
    }

    @Test
    void aPeriodStartedByAHitBeforeBucketsKeepsCountingItsHits() {
        // state restored from a checkpoint written before buckets: the period started at the hit, 30 s in
        CorrelationState st = new CorrelationState();
        Alert legacy = Correlator.alone(RULE, hit(RULE, 30_000));
        st.open = legacy;
        st.suppressUntil = T0 + 90_000;
        assertThat(run(RULE, st, hit(RULE, 40_000), hit(RULE, 70_000))).isEmpty();
        List<Alert> end = Correlator.advance(RULE, st, T0 + 90_000);
        assertThat(end).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo(legacy.id());
            assertThat(a.suppressedCount()).isEqualTo(2);
        });
        assertThat(st.open).isNull();
    }

    /** Feeds the hits (ms after T0) and ends the bucket; returns every emission. */
    private static List<Alert> emissions(CorrelationState st, long... ms) {
        List<Alert> out = new ArrayList<>();
        for (long m : ms) {
            out.addAll(Correlator.onHit(RULE, st, hit(RULE, m)));
        }
        out.addAll(Correlator.advance(RULE, st, Long.MAX_VALUE));
        return out;
    }
}
