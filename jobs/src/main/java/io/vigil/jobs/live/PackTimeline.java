package io.vigil.jobs.live;

import io.vigil.rules.RuleMeta;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The packs of the live and shadow slots over event time, as one subtask knows them: the local
 * pack, then the broadcast {@link PackUpdate}s in the gate's order. The pack of a slot at event
 * time {@code t} is that of the newest update of the slot whose {@code effectiveAt <= t} (a later
 * record overrides earlier ones from its effective time on: a rollback, a promotion); with none,
 * the local pack for {@code live} and nothing for {@code shadow}. So the evaluation of an event and
 * the correlation of its hits pick the same pack, on every subtask, whatever the arrival order of
 * events within a pack's span. Free of Flink: the functions of this package keep its updates in
 * broadcast state ({@link #restored}, {@link #add(PackUpdate, org.apache.flink.api.common.state.BroadcastState)}).
 *
 * <p>Only the newest {@link #KEEP_PER_SLOT} updates of each slot are kept (the same ones on every
 * subtask): enough for events that arrive late across a switch.
 */
public final class PackTimeline {

    /** Updates kept per slot. */
    public static final int KEEP_PER_SLOT = 4;

    /** A pack in force: its key ({@code local} or the control record's id) and the pack. */
    public record Selected(String key, LivePack pack) {}

    private final Selected local;
    private final List<PackUpdate> updates = new ArrayList<>();
    /** The packs in force by record id, decoded once (an event or hit looks one up, it builds nothing). */
    private final Map<String, Selected> decoded = new HashMap<>();

    public PackTimeline(LivePack local) {
        this.local = new Selected(LivePack.LOCAL, Objects.requireNonNull(local, "local"));
    }

    /** Adds an update; returns the updates no longer kept. */
    public List<PackUpdate> add(PackUpdate update) {
        updates.add(update);
        updates.sort(Comparator.comparingLong(PackUpdate::seq));
        List<PackUpdate> kept = retained(updates);
        List<PackUpdate> dropped = new ArrayList<>(updates);
        dropped.removeAll(kept);
        updates.retainAll(kept);
        dropped.forEach(u -> decoded.remove(u.recordId()));
        return dropped;
    }

    /** Of {@code all}, the updates a timeline keeps: the newest {@link #KEEP_PER_SLOT} of each slot, by seq. */
    public static List<PackUpdate> retained(Collection<PackUpdate> all) {
        List<PackUpdate> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingLong(PackUpdate::seq).reversed());
        Map<String, Integer> perSlot = new HashMap<>();
        List<PackUpdate> kept = new ArrayList<>();
        for (PackUpdate u : sorted) {
            if (perSlot.merge(u.slot(), 1, Integer::sum) <= KEEP_PER_SLOT) {
                kept.add(u);
            }
        }
        kept.sort(Comparator.comparingLong(PackUpdate::seq));
        return kept;
    }

    /**
     * The timeline a function of this package keeps: built once from the broadcast state (after a
     * restore, the updates in force at the checkpoint), or {@code current} when it has one.
     */
    static PackTimeline restored(PackTimeline current, LivePack local,
                                 org.apache.flink.api.common.state.ReadOnlyBroadcastState<String, PackUpdate> state)
            throws Exception {
        if (current != null) {
            return current;
        }
        PackTimeline timeline = new PackTimeline(local);
        for (Map.Entry<String, PackUpdate> e : state.immutableEntries()) {
            timeline.add(e.getValue());
        }
        return timeline;
    }

    /**
     * Adds {@code update} to this timeline and to the broadcast state, dropping from both what is no
     * longer kept (the same on every subtask); returns the dropped updates.
     */
    List<PackUpdate> add(PackUpdate update, org.apache.flink.api.common.state.BroadcastState<String, PackUpdate> state)
            throws Exception {
        state.put(update.stateKey(), update);
        List<PackUpdate> dropped = add(update);
        for (PackUpdate d : dropped) {
            state.remove(d.stateKey());
        }
        return dropped;
    }

    public List<PackUpdate> updates() {
        return List.copyOf(updates);
    }

    /** The pack of {@code slot} at event time {@code time} (epoch ms), or null when the slot runs nothing. */
    public Selected select(String slot, long time) {
        for (int i = updates.size() - 1; i >= 0; i--) {
            PackUpdate u = updates.get(i);
            if (u.slot().equals(slot) && u.effectiveAt() <= time) {
                return u.clears() ? null : decoded.computeIfAbsent(u.recordId(),
                        id -> new Selected(id, LivePack.fromBytes(u.pack())));
            }
        }
        return ControlRecord.LIVE.equals(slot) ? local : null;
    }

    /** The rule {@code ruleId} of the pack of {@code slot} at {@code time}, or null. */
    public RuleMeta rule(String slot, String ruleId, long time) {
        Selected s = select(slot, time);
        return s == null ? null : s.pack().rule(ruleId);
    }
}
