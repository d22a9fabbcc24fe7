package io.vigil.context.intel;

import java.io.IOException;
import java.util.List;

/**
 * Reads a feed file of any supported format into indicators. Contract of issue 18: STIX 2.1
 * bundles, MISP event JSON and CSV land with the intel part.
 */
public final class IndicatorFeeds {

    private IndicatorFeeds() {}

    /**
     * The indicators of {@code body}, written in {@code format} ({@code stix}, {@code misp},
     * {@code csv}), as feed {@code feed}.
     *
     * @throws IOException naming the format and what in the body is wrong
     */
    public static List<Indicator> parse(String format, byte[] body, String feed) throws IOException {
        throw new IOException("intel feeds are not read yet (issue 18 contract)");
    }
}
