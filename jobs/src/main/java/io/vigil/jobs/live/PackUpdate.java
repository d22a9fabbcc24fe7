package io.vigil.jobs.live;

/**
 * What the bundle gate broadcasts to every evaluation and correlation subtask: from event time
 * {@code effectiveAt} on, slot {@code slot} runs {@code pack} (a {@link LivePack} in bytes), or
 * nothing when {@code pack} is null (the shadow slot cleared). Updates are numbered in the order the
 * gate accepted them ({@code seq}); every subtask receives them in that order, and at any event
 * time the newest update of a slot effective by then applies ({@link PackTimeline}), so every
 * subtask switches at the same point.
 *
 * <p>A record of plain fields (the pack as bytes), so Flink serializes it without Kryo.
 */
public record PackUpdate(long seq, String slot, String recordId, String version, long effectiveAt, byte[] pack) {

    /** The key of this update in the broadcast state. */
    public String stateKey() {
        return String.format("%019d", seq);
    }

    public boolean clears() {
        return pack == null;
    }
}
