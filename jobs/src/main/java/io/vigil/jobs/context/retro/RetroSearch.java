package io.vigil.jobs.context.retro;

import io.vigil.context.intel.Indicator;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * Where past events are hunted for indicators: the events index in production
 * ({@link ElasticsearchRetroSearch}). One call hunts one batch of indicators.
 */
public interface RetroSearch extends AutoCloseable {

    /**
     * The past events matching each of {@code indicators} with a time in {@code [from, to]} and in
     * the indicator's validity, at most {@code maxHitsPerIndicator} per indicator (the earliest).
     *
     * @throws IOException when the store cannot be searched (the caller retries the batch later)
     */
    Result hunt(List<Indicator> indicators, Instant from, Instant to, int maxHitsPerIndicator) throws IOException;

    @Override
    void close();

    /**
     * @param hits the matches, in the order of the indicators, each indicator's earliest first
     * @param indicatorsCut how many indicators had more matches than the bound (the rest not read)
     */
    record Result(List<RetroHit> hits, int indicatorsCut) {
        public Result {
            hits = List.copyOf(hits);
        }
    }

    /** Opens a search on the task that hunts (the connection is made there, never in the job graph). */
    @FunctionalInterface
    interface Factory extends Serializable {
        RetroSearch open();
    }
}
