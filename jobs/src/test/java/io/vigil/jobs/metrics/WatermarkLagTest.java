package io.vigil.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

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
}
