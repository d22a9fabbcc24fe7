package io.vigil.jobs.context.retro;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How a retro-hunt is bounded.
 *
 * @param lookback how far before an update's time its new indicators are hunted (positive)
 * @param maxHitsPerIndicator past events read per indicator, the earliest (more are counted as cut)
 * @param maxIndicatorsPerUpdate new indicators hunted per update (more are counted as cut)
 * @param batchSize indicators per search request; one batch per step, so checkpoints pass between
 * @param retryDelay how long after a failed search it is tried again
 */
public record RetroHuntSettings(Duration lookback, int maxHitsPerIndicator, int maxIndicatorsPerUpdate,
                                int batchSize, Duration retryDelay) implements Serializable {

    public static final int DEFAULT_MAX_HITS = 100;
    public static final int DEFAULT_MAX_INDICATORS = 100_000;
    public static final int DEFAULT_BATCH = 50;
    public static final Duration DEFAULT_RETRY = Duration.ofMinutes(1);

    public RetroHuntSettings {
        Objects.requireNonNull(lookback, "lookback");
        Objects.requireNonNull(retryDelay, "retryDelay");
        if (lookback.isNegative() || lookback.isZero()) {
            throw new IllegalArgumentException("a retro-hunt needs a positive lookback, got " + lookback);
        }
        if (maxHitsPerIndicator < 1 || maxIndicatorsPerUpdate < 1 || batchSize < 1) {
            throw new IllegalArgumentException("retro-hunt bounds are at least 1");
        }
    }

    public static RetroHuntSettings of(Duration lookback, int maxHitsPerIndicator, int maxIndicatorsPerUpdate) {
        return new RetroHuntSettings(lookback, maxHitsPerIndicator, maxIndicatorsPerUpdate, DEFAULT_BATCH, DEFAULT_RETRY);
    }
}
