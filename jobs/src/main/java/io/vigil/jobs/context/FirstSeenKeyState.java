package io.vigil.jobs.context;

/**
 * What a first-seen rule keeps for one key besides its values (a Flink POJO).
 */
public class FirstSeenKeyState {
    /** When the key's learning started (event time, ms). */
    public long learningStart;
    /** The latest time any of its values was seen. */
    public long lastActivity;
    /** How many values its map holds. */
    public int count;
    /** When its clean-up timer fires: at or before the earliest time one of its values expires. */
    public long cleanupAt;

    public FirstSeenKeyState() {}
}
