package io.vigil.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The watermark lag gauge: -1 before a watermark, then the clock minus the last one seen, never below 0. */
class WatermarkLagTest {

    @Test
    void isTheClockMinusTheLastWatermark() {
        WatermarkLag lag = new WatermarkLag();
        assertThat(lag.lagAt(10_000)).isEqualTo(-1);
        lag.observe(Long.MIN_VALUE);
        assertThat(lag.lagAt(10_000)).isEqualTo(-1);
        lag.observe(4_000);
        assertThat(lag.lagAt(10_000)).isEqualTo(6_000);
        lag.observe(9_500);
        assertThat(lag.lagAt(10_000)).isEqualTo(500);
        // a watermark ahead of this clock (another machine's) is no lag
        assertThat(lag.lagAt(9_000)).isZero();
    }

    /** The operator after correlation: each watermark it receives is measured, records or not; all passes on. */
    @Test
    void theOperatorMeasuresEveryWatermarkItReceivesAndPassesEverythingOn() throws Exception {
        WatermarkLagOperator<String> operator = new WatermarkLagOperator<>();
        try (OneInputStreamOperatorTestHarness<String, String> h = new OneInputStreamOperatorTestHarness<>(operator)) {
            h.open();
            assertThat(operator.lag().lagAt(10_000)).isEqualTo(-1);
            h.processWatermark(new Watermark(4_000)); // no record since: measured all the same
            assertThat(operator.lag().lagAt(10_000)).isEqualTo(6_000);
            h.processElement(new StreamRecord<>("alert", 5_000));
            h.processWatermark(new Watermark(9_000));
            assertThat(operator.lag().lagAt(10_000)).isEqualTo(1_000);
            assertThat(h.getOutput()).containsExactly(new Watermark(4_000), new StreamRecord<>("alert", 5_000),
                    new Watermark(9_000));
        }
    }
}
