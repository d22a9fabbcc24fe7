package io.vigil.jobs.decode;

/**
 * Names of the accumulators the decode step keeps, so that {@code in = decoded + dead letters}
 * can be checked after a run (docs/architecture.md, invariant 1).
 */
public final class DecodeCounters {

    /** Input records seen (lines, or JSON records). */
    public static final String RECORDS = "vigil.records";
    /** Records that yielded at least one event. */
    public static final String DECODED = "vigil.records.decoded";
    /** Events produced (a record may yield several, e.g. "message repeated N times"). */
    public static final String EVENTS = "vigil.events";
    /** Records that became dead letters: a decode or an event-time letter each. */
    public static final String DEAD_LETTERS = "vigil.dead_letters";
    /** Bytes of input records, for progress: for an .evtx file, bytes of the file read (InputBytes). */
    public static final String BYTES = "vigil.bytes";
    /** Records per format. */
    public static final String BY_FORMAT = "vigil.records.by_format";
    /** Events per event.action ({@value #NO_ACTION} for events without one). */
    public static final String BY_ACTION = "vigil.events.by_action";
    /** Events per event.action and event.outcome ({@code ssh_login/failure}), for actions with an outcome. */
    public static final String BY_ACTION_OUTCOME = "vigil.events.by_action_outcome";
    /** Dead letters per format. */
    public static final String DEAD_BY_FORMAT = "vigil.dead_letters.by_format";
    /** Dead letters per kind: {@code decode} (the decoder refused the record) or {@code event-time} (out of bounds). */
    public static final String DEAD_BY_KIND = "vigil.dead_letters.by_kind";

    /** The key counting events that have no event.action. */
    public static final String NO_ACTION = "(none)";

    private DecodeCounters() {}
}
