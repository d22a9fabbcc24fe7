package io.vigil.rules.correlate;

import io.vigil.model.Alert;
import io.vigil.model.KeyEvent;
import io.vigil.model.Ids;
import io.vigil.model.Origin;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.Shape;
import io.vigil.rules.Signal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The meaning of each correlation shape, as a state machine over {@link CorrelationState}: the
 * hits of one rule and group key go in, in event-time order, and alerts come out. Pure: Flink
 * keeps the state and calls this in order (so do the fixture runner and {@code rules test}).
 *
 * <p>A window holds events whose timestamps differ by less than the rule's window. When a rule
 * fires, the window is cleared and a suppression period starts: matching events in it do not
 * alert again but are counted, and when it ends the alert is emitted once more, under the same
 * id, with that count ({@link #advance}).
 */
public final class Correlator {

    private Correlator() {}

    /** Processes one hit; returns the alerts to emit (a new alert, or a finished suppressed one). */
    public static List<Alert> onHit(RuleMeta rule, CorrelationState st, RuleHit hit) {
        List<Alert> out = new ArrayList<>(1);
        long t = hit.timestamp().toEpochMilli();
        finishSuppression(st, t, out);
        for (var e : hit.entities().entrySet()) {
            st.entities.put(SharedStrings.name(e.getKey()), e.getValue());
        }
        if (st.open != null) {
            st.suppressed++;
            st.lastSuppressed = Math.max(st.lastSuppressed, t);
            return out;
        }
        switch (rule.shape()) {
            case SINGLE -> fire(rule, st, hit, List.of(entry(hit)), out);
            case THRESHOLD -> {
                prune(st, rule, t);
                st.window.add(entry(hit));
                if (st.window.size() >= rule.threshold()) {
                    fire(rule, st, hit, st.window, out);
                }
            }
            case DISTINCT -> {
                prune(st, rule, t);
                // one entry per distinct value, its latest time
                st.window.removeIf(e -> e.value.equals(hit.value()));
                st.window.add(entry(hit));
                if (st.window.size() >= rule.threshold()) {
                    fire(rule, st, hit, st.window, out);
                }
            }
            case SEQUENCE -> {
                prune(st, rule, t);
                if (Signal.FIRST.equals(hit.step())) {
                    st.window.add(entry(hit));
                    // only the latest `threshold` first steps can complete a sequence; the oldest
                    // goes, which is not the first in the list when a hit came late
                    while (st.window.size() > rule.threshold()) {
                        st.window.remove(oldest(st.window));
                    }
                } else if (st.window.size() >= rule.threshold()) {
                    List<WindowEntry> all = new ArrayList<>(st.window);
                    all.add(entry(hit));
                    fire(rule, st, hit, all, out);
                }
            }
        }
        return out;
    }

    /** Moves time to {@code now} (the watermark): ends suppression and forgets expired events. */
    public static List<Alert> advance(RuleMeta rule, CorrelationState st, long now) {
        List<Alert> out = new ArrayList<>(1);
        finishSuppression(st, now, out);
        prune(st, rule, now);
        return out;
    }

    /** When {@link #advance} next has work to do, or {@code Long.MAX_VALUE} when the state is empty. */
    public static long nextWakeUp(RuleMeta rule, CorrelationState st) {
        long next = Long.MAX_VALUE;
        if (st.open != null) {
            next = st.suppressUntil;
        }
        // the oldest entry, not the first: a late hit is appended after younger ones
        for (WindowEntry e : st.window) {
            next = Math.min(next, e.time + rule.windowMs());
        }
        return next;
    }

    private static void finishSuppression(CorrelationState st, long now, List<Alert> out) {
        if (st.open != null && now >= st.suppressUntil) {
            if (st.suppressed > 0) {
                out.add(st.open.withSuppressed(st.suppressed, Instant.ofEpochMilli(st.lastSuppressed)));
            }
            st.open = null;
            st.suppressed = 0;
            st.lastSuppressed = 0;
            st.suppressUntil = 0;
        }
    }

    private static int oldest(List<WindowEntry> window) {
        int at = 0;
        for (int i = 1; i < window.size(); i++) {
            if (window.get(i).time < window.get(at).time) {
                at = i;
            }
        }
        return at;
    }

    /** Drops events that no longer share a window with time {@code t}. */
    private static void prune(CorrelationState st, RuleMeta rule, long t) {
        st.window.removeIf(e -> t - e.time >= rule.windowMs());
    }

    private static WindowEntry entry(RuleHit hit) {
        return new WindowEntry(hit.timestamp().toEpochMilli(), SharedStrings.origin(hit.origin()), hit.value());
    }

    private static void fire(RuleMeta rule, CorrelationState st, RuleHit last, List<WindowEntry> events,
                             List<Alert> out) {
        Alert alert = alert(rule, last, events, st);
        out.add(alert);
        st.window.clear();
        if (rule.suppressMs() > 0) {
            st.open = alert;
            st.suppressUntil = last.timestamp().toEpochMilli() + rule.suppressMs();
        }
    }

    static Alert alert(RuleMeta rule, RuleHit last, List<WindowEntry> events, CorrelationState st) {
        WindowEntry first = events.get(0);
        long firstTime = events.stream().mapToLong(e -> e.time).min().orElse(first.time);
        long lastTime = events.stream().mapToLong(e -> e.time).max().orElse(first.time);
        List<Origin> origins = new ArrayList<>();
        for (WindowEntry e : events) {
            if (origins.size() == Alert.MAX_ORIGINS) {
                break;
            }
            origins.add(e.origin);
        }
        // the first events, then the one that completed the alert
        List<KeyEvent> keyEvents = new ArrayList<>();
        int head = Math.min(events.size(), Alert.MAX_KEY_EVENTS) - (events.size() > Alert.MAX_KEY_EVENTS ? 1 : 0);
        for (int i = 0; i < head; i++) {
            keyEvents.add(keyEvent(events.get(i)));
        }
        if (events.size() > Alert.MAX_KEY_EVENTS) {
            keyEvents.add(keyEvent(events.get(events.size() - 1)));
        }
        // distinct rules count distinct values: one window entry each
        long count = events.size();
        return new Alert(alertId(rule.id(), last.groupKey(), first.time, first.origin), last.timestamp(), rule.id(),
                rule.version(), rule.name(), rule.description(), rule.severity(), rule.riskScore(), rule.tactics(),
                rule.techniques(), rule.tags(), String.join(",", rule.groupBy()), last.groupKey(), st.entities,
                count, 0, Instant.ofEpochMilli(firstTime), Instant.ofEpochMilli(lastTime), origins, events.size(), keyEvents,
                null, io.vigil.rules.AlertProvenance.of(rule));
    }

    private static KeyEvent keyEvent(WindowEntry e) {
        return new KeyEvent(Instant.ofEpochMilli(e.time), e.origin, e.value);
    }

    /**
     * The alert id: a hash of the rule, the group key and the first event of the window or
     * sequence (its time and origin), so the same input always yields the same id.
     */
    public static String alertId(String ruleId, String groupKey, long firstTime, Origin firstOrigin) {
        return Ids.of(ruleId, groupKey, String.valueOf(firstTime), firstOrigin.toString());
    }
}
