package io.vigil.bench.faults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.bench.BenchJson;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One output of a fault run against the same output of the fault-free run: the ids expected, found,
 * lost (expected, not found) and duplicated (found more than once, or found and not expected: an
 * Elasticsearch document id cannot be there twice in one index, so there a duplicate is a document
 * written twice under different ids or into two indices, or an id no fault-free run writes).
 *
 * @param lostIds up to {@link #EXAMPLES} of the lost ids, to look for
 * @param duplicatedIds up to {@link #EXAMPLES} of the duplicated ids
 */
public record Tally(long expected, long found, long lost, long duplicated, List<String> lostIds,
                    List<String> duplicatedIds) {

    static final int EXAMPLES = 5;

    /**
     * @param expected the ids the fault-free run wrote
     * @param found each id the fault run wrote, as many times as it was found
     */
    public static Tally of(Set<String> expected, Collection<String> found) {
        Map<String, Long> counts = new java.util.HashMap<>();
        for (String id : found) {
            counts.merge(id, 1L, Long::sum);
        }
        return of(expected, counts);
    }

    /** @param counts how many times each id was found */
    public static Tally of(Set<String> expected, Map<String, ? extends Number> counts) {
        Set<String> lost = new TreeSet<>(expected);
        lost.removeAll(counts.keySet());
        Set<String> duplicatedIds = new TreeSet<>();
        long duplicated = 0;
        for (var e : counts.entrySet()) {
            long n = e.getValue().longValue();
            long extra = expected.contains(e.getKey()) ? n - 1 : n;
            if (extra > 0) {
                duplicated += extra;
                duplicatedIds.add(e.getKey());
            }
        }
        return new Tally(expected.size(), counts.size(), lost.size(), duplicated, first(lost), first(duplicatedIds));
    }

    private static List<String> first(Set<String> ids) {
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            if (out.size() == EXAMPLES) {
                break;
            }
            out.add(id);
        }
        return out;
    }

    public boolean exact() {
        return lost == 0 && duplicated == 0;
    }

    public ObjectNode json() {
        ObjectNode o = BenchJson.object();
        o.put("expected", expected);
        o.put("found", found);
        o.put("lost", lost);
        o.put("duplicated", duplicated);
        if (!lostIds.isEmpty()) {
            o.set("lost_ids", BenchJson.object().arrayNode().addAll(lostIds.stream()
                    .map(com.fasterxml.jackson.databind.node.TextNode::valueOf).toList()));
        }
        if (!duplicatedIds.isEmpty()) {
            o.set("duplicated_ids", BenchJson.object().arrayNode().addAll(duplicatedIds.stream()
                    .map(com.fasterxml.jackson.databind.node.TextNode::valueOf).toList()));
        }
        return o;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "expected %,d, found %,d, lost %,d, duplicated %,d%s%s", expected, found,
                lost, duplicated, lostIds.isEmpty() ? "" : " (lost e.g. " + lostIds + ")",
                duplicatedIds.isEmpty() ? "" : " (duplicated e.g. " + duplicatedIds + ")");
    }
}
