package io.vigil.context.intel;

import java.util.ArrayList;
import java.util.List;

/**
 * What a feed held: the indicators read, how many entries were skipped because Vigil does not
 * match them (STIX patterns with AND or FOLLOWEDBY, MISP attribute types it does not know, entries
 * not for detection), and the entries refused because they are wrong, each named
 * ({@code line 7: not an IPv4 address: '300.1.1.1'}; the first {@link #MAX_PROBLEMS} kept).
 */
public record FeedResult(List<Indicator> indicators, int skipped, int refused, List<String> problems) {

    public static final int MAX_PROBLEMS = 20;

    public FeedResult {
        indicators = List.copyOf(indicators);
        problems = List.copyOf(problems);
    }

    /** Collects a feed's entries as its reader goes. */
    static final class Collector {
        final List<Indicator> indicators = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        int skipped;
        int refused;

        void refuse(String where, String what) {
            refused++;
            if (problems.size() < MAX_PROBLEMS) {
                problems.add(where + ": " + what);
            }
        }

        FeedResult result() {
            return new FeedResult(indicators, skipped, refused, problems);
        }
    }
}
