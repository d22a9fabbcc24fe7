package io.vigil.rules.firstseen;

import java.util.HashMap;
import java.util.Map;

/** A key's history in memory: for the fixtures and tests (the job keeps it in Flink state). */
public final class MemoryStore implements FirstSeenHistory.Store {

    private final Map<String, Long> values = new HashMap<>();
    private Long learningStart;
    private long lastActivity;

    @Override
    public boolean started() {
        return learningStart != null;
    }

    @Override
    public long learningStart() {
        return learningStart;
    }

    @Override
    public long lastActivity() {
        return lastActivity;
    }

    @Override
    public int size() {
        return values.size();
    }

    @Override
    public void start(long at) {
        learningStart = at;
        lastActivity = at;
    }

    @Override
    public Long lastSeen(String value) {
        return values.get(value);
    }

    @Override
    public void seen(String value, long at, boolean added) {
        values.put(value, at);
        lastActivity = Math.max(lastActivity, at);
    }

    @Override
    public void clear() {
        values.clear();
        learningStart = null;
        lastActivity = 0;
    }
}
