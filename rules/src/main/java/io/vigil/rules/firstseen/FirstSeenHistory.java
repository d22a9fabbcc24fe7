package io.vigil.rules.firstseen;

/**
 * What a first-seen rule decides for one key when one event brings a value: the logic shared by
 * the Flink function (history in keyed state) and the fixtures (history in memory), so both judge
 * alike. Every call costs a bounded number of store operations.
 *
 * <p>A key starts learning at its first event; during {@link FirstSeenRule#learningMs()} its values
 * are remembered silently. After it, a value not known is {@link Verdict#NEW} (an alert) and is
 * remembered. A value is known while it was last seen less than the retention ago; a key none of
 * whose values was seen within the retention is forgotten whole, and learns again. A key that
 * holds {@link FirstSeenRule#maxValues()} values remembers no more ({@link Verdict#FULL}: neither
 * remembered nor alerted on, counted) until retention frees room.
 */
public final class FirstSeenHistory {

    /** What an observation was. */
    public enum Verdict {
        /** Seen before, within the retention. */
        KNOWN,
        /** New, but the key is still learning: remembered silently. */
        LEARNED,
        /** New after the learning period: alert. */
        NEW,
        /** New, but the key already holds the most values the rule remembers: dropped. */
        FULL
    }

    /** The history of one key of one rule. */
    public interface Store {
        /** Whether the key has a history; the other reads need one. */
        boolean started() throws Exception;

        /** When the key's learning started (its first event, event time in ms). */
        long learningStart() throws Exception;

        /** The latest time any of its values was seen. */
        long lastActivity() throws Exception;

        /** How many values it holds (some possibly past the retention, not yet cleaned up). */
        int size() throws Exception;

        /** Starts the history of the key at {@code at}, with no values. */
        void start(long at) throws Exception;

        /** When {@code value} was last seen, or null. */
        Long lastSeen(String value) throws Exception;

        /** Records {@code value} as last seen at {@code at}; {@code added}: it was not held before. */
        void seen(String value, long at, boolean added) throws Exception;

        /** Forgets the key: its values and its learning start. */
        void clear() throws Exception;
    }

    private FirstSeenHistory() {}

    /** Judges {@code value} seen at {@code at} (event time, ms) against {@code store} and records it. */
    public static Verdict observe(FirstSeenRule rule, Store store, String value, long at) throws Exception {
        long retention = rule.retentionMs();
        if (store.started() && store.lastActivity() + retention <= at) {
            store.clear(); // nothing of it is within the retention any more
        }
        if (!store.started()) {
            store.start(at);
        }
        Long last = store.lastSeen(value);
        if (last != null && last + retention > at) {
            store.seen(value, Math.max(last, at), false);
            return Verdict.KNOWN;
        }
        if (last == null && store.size() >= rule.maxValues()) {
            return Verdict.FULL;
        }
        // a value past the retention and not yet cleaned up is replaced in place
        store.seen(value, at, last == null);
        return at < store.learningStart() + rule.learningMs() ? Verdict.LEARNED : Verdict.NEW;
    }
}
