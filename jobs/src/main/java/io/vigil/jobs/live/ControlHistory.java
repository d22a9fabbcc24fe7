package io.vigil.jobs.live;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the control topic's records say, read in topic order: which bundle each slot was last
 * given, and which versions a rollback can return to. Only the records decide; whether the job
 * accepted a bundle is in its outcome documents ({@code vigil-rules}), not here.
 */
public final class ControlHistory {

    private final List<ControlRecord> records;

    public ControlHistory(List<ControlRecord> records) {
        this.records = List.copyOf(records);
    }

    public List<ControlRecord> records() {
        return records;
    }

    /** The record that last gave the live slot a bundle (push, promote or rollback), if any. */
    public Optional<ControlRecord> live() {
        return lastActivating(ControlRecord.LIVE);
    }

    /**
     * The record that gave the shadow slot its current bundle: the newest push to shadow that no
     * later clear of shadow emptied, if any.
     */
    public Optional<ControlRecord> shadow() {
        return lastActivating(ControlRecord.SHADOW);
    }

    private Optional<ControlRecord> lastActivating(String slot) {
        for (int i = records.size() - 1; i >= 0; i--) {
            ControlRecord r = records.get(i);
            if (r.slot().equals(slot)) {
                return "clear".equals(r.kind()) ? Optional.empty() : Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The newest record carrying the bundle of {@code version} (any slot), if it was ever pushed. */
    public Optional<ControlRecord> bundleOf(String version) {
        for (int i = records.size() - 1; i >= 0; i--) {
            ControlRecord r = records.get(i);
            if (r.bundle() != null && r.version().equals(version)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Every version a record carried a bundle of, oldest first. */
    public List<String> versions() {
        Set<String> versions = new LinkedHashSet<>();
        records.stream().filter(r -> r.bundle() != null).forEach(r -> versions.add(r.version()));
        return new ArrayList<>(versions);
    }

    /** The records that gave the live slot a bundle, newest first (the candidates for "the active pack"). */
    public List<ControlRecord> liveNewestFirst() {
        List<ControlRecord> out = new ArrayList<>();
        for (int i = records.size() - 1; i >= 0; i--) {
            ControlRecord r = records.get(i);
            if (r.slot().equals(ControlRecord.LIVE) && r.bundle() != null) {
                out.add(r);
            }
        }
        return out;
    }
}
