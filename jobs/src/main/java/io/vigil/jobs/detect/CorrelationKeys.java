package io.vigil.jobs.detect;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * How many correlation keys hold state on one subtask, against the bound {@code detection.max-keys}
 * (also the per-user bound of impossible travel, {@code io.vigil.jobs.context.ImpossibleTravelFunction}).
 *
 * <p>Counted per key group, the unit in which Flink assigns keys to subtasks and moves them when
 * the parallelism changes: a checkpoint stores every key group's count, and a restore, at any
 * parallelism, takes back the counts of the key groups the subtask now owns. So after a restore
 * the count matches the keyed state restored with it, key group by key group. Not thread-safe:
 * used by the operator's thread.
 */
public final class CorrelationKeys {

    private final long max;
    private final int maxParallelism;
    private final KeyGroupRange range;
    private final long[] counts;
    private long total;

    /**
     * @param max most keys with state on this subtask
     * @param maxParallelism the operator's key group count
     * @param parallelism the operator's parallelism
     * @param subtask this subtask's index
     */
    public CorrelationKeys(long max, int maxParallelism, int parallelism, int subtask) {
        if (max < 1) {
            throw new IllegalArgumentException("detection.max-keys must be at least 1: " + max);
        }
        this.max = max;
        this.maxParallelism = maxParallelism;
        this.range = KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(maxParallelism, parallelism,
                subtask);
        this.counts = new long[range.getNumberOfKeyGroups()];
    }

    public long max() {
        return max;
    }

    /** Keys with state on this subtask. */
    public long total() {
        return total;
    }

    /** Whether a key without state may not get any now. */
    public boolean full() {
        return total >= max;
    }

    /** {@code key} got state. */
    public void added(Object key) {
        counts[index(key)]++;
        total++;
    }

    /** {@code key}'s state was cleared. Never below zero, whatever a restored count said. */
    public void removed(Object key) {
        int i = index(key);
        if (counts[i] > 0) {
            counts[i]--;
            total--;
        }
    }

    private int index(Object key) {
        return KeyGroupRangeAssignment.assignToKeyGroup(key, maxParallelism) - range.getStartKeyGroup();
    }

    /** (key group, count) of every key group of this subtask holding keys, for a checkpoint. */
    public List<Tuple2<Integer, Long>> snapshot() {
        List<Tuple2<Integer, Long>> out = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                out.add(Tuple2.of(range.getStartKeyGroup() + i, counts[i]));
            }
        }
        return out;
    }

    /** Takes the counts of this subtask's key groups from the union of every subtask's snapshot. */
    public void restore(Iterable<Tuple2<Integer, Long>> all) {
        for (Tuple2<Integer, Long> c : all) {
            if (range.contains(c.f0)) {
                int i = c.f0 - range.getStartKeyGroup();
                total += c.f1 - counts[i];
                counts[i] = c.f1;
            }
        }
    }

    /**
     * A function's key budget kept in the union list state {@code name}: what every function with a
     * bound on its keys (correlation, impossible travel) does in {@code initializeState} and
     * {@code snapshotState}.
     */
    public record Stored(CorrelationKeys keys, ListState<Tuple2<Integer, Long>> counts) {

        /** The budget of {@code task}'s subtask, {@code max} keys, restored from {@code context} when it is a restore. */
        public static Stored initialize(FunctionInitializationContext context, TaskInfo task, String name, long max)
                throws Exception {
            ListState<Tuple2<Integer, Long>> counts = context.getOperatorStateStore().getUnionListState(
                    new ListStateDescriptor<>(name, Types.TUPLE(Types.INT, Types.LONG)));
            CorrelationKeys keys = new CorrelationKeys(max, task.getMaxNumberOfParallelSubtasks(),
                    task.getNumberOfParallelSubtasks(), task.getIndexOfThisSubtask());
            if (context.isRestored()) {
                keys.restore(counts.get());
            }
            return new Stored(keys, counts);
        }

        /** Writes the key counts for a checkpoint. */
        public void save() throws Exception {
            counts.update(keys.snapshot());
        }
    }
}
