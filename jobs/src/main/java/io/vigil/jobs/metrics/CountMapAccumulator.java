package io.vigil.jobs.metrics;

import java.util.TreeMap;
import org.apache.flink.api.common.accumulators.Accumulator;

/** Counts occurrences per key across subtasks (events per action, records per format). */
public final class CountMapAccumulator implements Accumulator<String, TreeMap<String, Long>> {

    private static final long serialVersionUID = 1L;

    private TreeMap<String, Long> counts = new TreeMap<>();

    @Override
    public void add(String key) {
        counts.merge(key, 1L, Long::sum);
    }

    public void add(String key, long n) {
        counts.merge(key, n, Long::sum);
    }

    @Override
    public TreeMap<String, Long> getLocalValue() {
        return counts;
    }

    @Override
    public void resetLocal() {
        counts = new TreeMap<>();
    }

    @Override
    public void merge(Accumulator<String, TreeMap<String, Long>> other) {
        other.getLocalValue().forEach((k, v) -> counts.merge(k, v, Long::sum));
    }

    @Override
    public CountMapAccumulator clone() {
        CountMapAccumulator copy = new CountMapAccumulator();
        copy.counts = new TreeMap<>(counts);
        return copy;
    }
}
