package io.vigil.jobs.context.retro;

import io.vigil.context.ContextUpdate;
import io.vigil.context.intel.Indicator;
import io.vigil.context.intel.IndicatorFeeds;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;

/** Reads the indicators of an intel update (production: {@link IndicatorFeeds#parse}, as the intel part does). */
@FunctionalInterface
public interface IndicatorParser extends Serializable {

    List<Indicator> parse(ContextUpdate update) throws IOException;

    /** The feeds' reader of the intel part. */
    IndicatorParser FEEDS = u -> IndicatorFeeds.parse(u.format(), u.body(), u.name());
}
