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
import java.util.Comparator;
import java.util.List;

/**
 * The meaning of each correlation shape, as a state machine over {@link CorrelationState}: the
 * hits of one rule and group key go in, in event-time order, and alerts come out. Pure: Flink
 * keeps the state and calls this in order (so do the fixture runner and {@code rules test}).
 *
 * <p><b>When a condition is decided.</b> A rule's condition ({@link RuleMeta#condition()}, its
 * criteria joined by AND; {@code gte threshold} for DRL rules) is decided <em>as soon as met</em>
 * when it can only become true as hits are added: {@code gt}/{@code gte} criteria alone, on a
 * count ({@code THRESHOLD}), a number of distinct values ({@code DISTINCT}), a number of steps
 * ({@code TEMPORAL}, {@code TEMPORAL_ORDERED}) or a sum ({@code VALUE_SUM}). Every other condition
 * ({@code lt}, {@code lte}, {@code eq}, {@code neq}, ranges such as {@code gt 100 + lte 200}, and
 * any {@code VALUE_AVG} condition) is decided <em>once, when the window closes</em>
 * ({@link ClosingWindow}), by the watermark ({@link #advance}).
 *
 * <p><b>Windows.</b> Decided as soon as met, counts, distinct values and steps slide: the hits
 * whose times differ from the latest hit's by less than the rule's window are tested after each
 * hit. Every other window (and every sum) opens at the first counted hit of its key once no window
 * is open, at time {@code start}, and holds the hits of {@code [start, start + window)}: a hit at
 * {@code start + window - 1} ms is in, one at {@code start + window} is not and opens the next
 * window. A window decided when it closes is tested once, when time (the next hit's or the
 * watermark) reaches {@code start + window}; a sum is tested after each hit of its window. A hit
 * behind the watermark joins the window open when it is applied. No window opens without a hit, so
 * a condition met by zero hits ({@code lt 5} with no hit at all) never fires.
 *
 * <p><b>What counts.</b> A temporal hit counts when its {@link RuleHit#step()} is one of the
 * rule's steps; a {@code TEMPORAL_ORDERED} window decided at its close opens with its first step.
 * A sum or average hit counts when its {@link RuleHit#value()} is a plain decimal number
 * ({@link NumericValue}); a hit that does not count changes nothing, not even the suppression
 * count, and {@link #counts} tells the caller so it can report it. {@code TEMPORAL} counts the
 * distinct steps seen in the window, in any order; {@code TEMPORAL_ORDERED} the longest run of
 * the steps from the first, in their listed order by event time (ties in {@link RuleHit#ORDER}).
 *
 * <p><b>Alerts.</b> When a rule fires, the window is cleared and a suppression period starts:
 * matching events in it do not alert again but are counted, and when it ends the alert is emitted
 * once more, under the same id, with that count ({@link #advance}). The period starts at the hit
 * that fired, or at the end of a window decided when it closed. An alert's count is the number of
 * hits, or of distinct values or steps for those shapes; its key events are the first events of
 * the window and the last one, for temporal rules the event of each step (value: the step name).
 *
 * <p><b>Single-event rules.</b> A {@code SINGLE} rule's hit is decided by its own event, so the
 * streaming job applies it on arrival, without waiting for the watermark. Its suppression is
 * therefore fixed in event time, not started by whichever hit came first: periods are
 * {@code suppress}-long buckets aligned to the epoch ({@link #bucketStart}), the first hit of a
 * bucket alerts under an id made from the rule, the group key and the bucket's start
 * ({@link #bucketAlertId}), the bucket's other hits are counted, and the alert is emitted again
 * with that count at the bucket's end, reporting the bucket's earliest hit. Ids and the last
 * emission of each bucket are thus the same in any arrival order.
 */
public final class Correlator {

    private Correlator() {}

    /** Processes one hit; returns the alerts to emit (a new alert, or a finished suppressed one). */
    public static List<Alert> onHit(RuleMeta rule, CorrelationState st, RuleHit hit) {
        List<Alert> out = new ArrayList<>(1);
        long t = hit.timestamp().toEpochMilli();
        finishSuppression(st, t, out);
        closeWindow(rule, st, t, out);
        finishSuppression(st, t, out);
        if (!counts(rule, hit)) {
            return out;
        }
        for (var e : hit.entities().entrySet()) {
            st.entities.put(SharedStrings.name(e.getKey()), e.getValue());
        }
        if (rule.shape() == Shape.SINGLE && rule.suppressMs() > 0) {
            bucket(rule, st, hit, out);
            return out;
        }
        if (st.open != null) {
            st.suppressed++;
            st.lastSuppressed = Math.max(st.lastSuppressed, t);
            return out;
        }
        boolean atOnce = decidedAtOnce(rule);
        switch (rule.shape()) {
            case SINGLE -> fire(rule, st, hit, List.of(entry(hit)), out);
            case THRESHOLD -> {
                if (!atOnce) {
                    ClosingWindow.add(rule, st, entry(hit), hit.groupKey(), 0);
                    break;
                }
                prune(st, rule, t);
                st.window.add(entry(hit));
                if (rule.fires(st.window.size())) {
                    fire(rule, st, hit, st.window, out);
                }
            }
            case DISTINCT -> {
                if (!atOnce) {
                    ClosingWindow.add(rule, st, entry(hit), hit.groupKey(), 0);
                    break;
                }
                prune(st, rule, t);
                // one entry per distinct value, its latest time
                st.window.removeIf(e -> e.value.equals(hit.value()));
                st.window.add(entry(hit));
                if (rule.fires(st.window.size())) {
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
            case TEMPORAL -> {
                WindowEntry step = stepEntry(hit);
                if (!atOnce) {
                    ClosingWindow.add(rule, st, step, hit.groupKey(), 0);
                    break;
                }
                prune(st, rule, t);
                // per step its latest hit: the one that stays longest in the window
                WindowEntry seen = st.window.stream().filter(e -> e.value.equals(step.value)).findFirst().orElse(null);
                if (seen == null || seen.time <= t) {
                    st.window.remove(seen);
                    st.window.add(step);
                }
                if (rule.fires(st.window.size())) {
                    List<WindowEntry> steps = new ArrayList<>(st.window);
                    steps.sort(Comparator.comparingLong(e -> e.time));
                    fire(rule, st, hit, steps, out);
                }
            }
            case TEMPORAL_ORDERED -> {
                WindowEntry step = stepEntry(hit);
                if (!atOnce) {
                    if (ClosingWindow.open(st) || ClosingWindow.opensWith(rule, step)) {
                        ClosingWindow.add(rule, st, step, hit.groupKey(), 0);
                    }
                    break;
                }
                OrderedSteps.prune(st.window, rule.windowMs(), t);
                OrderedSteps.add(rule.steps(), st.window, step);
                int longest = OrderedSteps.longest(st.window);
                if (longest > 0 && rule.fires(longest)) {
                    fire(rule, st, hit, OrderedSteps.sequence(st.window, longest - 1), out);
                }
            }
            case VALUE_SUM, VALUE_AVG -> {
                ClosingWindow.add(rule, st, entry(hit), hit.groupKey(), NumericValue.parse(hit.value()));
                if (atOnce && rule.fires(st.sum)) {
                    fireWindow(rule, st, t, out);
                }
            }
        }
        return out;
    }

    /**
     * Whether a hit of {@code rule} is decided by its own event, whatever other hits of its key
     * come before or after it: a single-event rule. Without suppression such a hit alerts alone;
     * with suppression it alerts once per suppression bucket ({@link #bucketStart}), whose id does
     * not depend on which hit of the bucket came first.
     */
    public static boolean singleEvent(RuleMeta rule) {
        return rule.shape() == Shape.SINGLE;
    }

    /**
     * Start of the suppression bucket of a single-event rule holding time {@code t}: buckets are
     * fixed in event time, {@code suppress} long, aligned to the epoch.
     */
    public static long bucketStart(RuleMeta rule, long t) {
        return Math.floorDiv(t, rule.suppressMs()) * rule.suppressMs();
    }

    /**
     * The alert of a single-event rule with suppression for the bucket open in {@code st}, or
     * {@code Long.MIN_VALUE} when none is open.
     */
    public static long openBucket(RuleMeta rule, CorrelationState st) {
        return st.open == null ? Long.MIN_VALUE : st.suppressUntil - rule.suppressMs();
    }

    /**
     * A single-event rule with suppression: the first hit of a bucket alerts at once under the
     * bucket's id ({@link #bucketAlertId}), the others are counted as suppressed, and the alert is
     * emitted again with that count when time reaches the bucket's end. The alert reports the
     * bucket's earliest hit ({@link RuleHit#ORDER}'s time and origin): a hit that comes before the
     * one reported, out of order, takes its place in the re-emission, so the last emission of a
     * bucket is the same whatever order its hits came in. A hit of a bucket earlier than the one
     * open (only out of order across a bucket boundary) alerts alone under its bucket's id.
     */
    private static void bucket(RuleMeta rule, CorrelationState st, RuleHit hit, List<Alert> out) {
        long t = hit.timestamp().toEpochMilli();
        long start = bucketStart(rule, t);
        long open = openBucket(rule, st);
        // a period not aligned to a bucket was started by a hit (state from before buckets): its hits join it
        boolean started = st.open != null && Math.floorMod(open, rule.suppressMs()) != 0 && t >= open;
        if (st.open != null && (start == open || started)) {
            st.suppressed++;
            st.lastSuppressed = Math.max(st.lastSuppressed, t);
            if (before(hit, st.open)) {
                // the hit reported so far becomes one of the suppressed
                st.lastSuppressed = Math.max(st.lastSuppressed, st.open.firstEventTime().toEpochMilli());
                st.open = bucketAlert(rule, hit, start);
            }
            return;
        }
        Alert alert = bucketAlert(rule, hit, start);
        out.add(alert);
        if (st.open == null) {
            st.open = alert;
            st.suppressUntil = start + rule.suppressMs();
        }
    }

    /** Whether {@code hit} comes before the event {@code alert} reports, in {@link RuleHit#ORDER}. */
    private static boolean before(RuleHit hit, Alert alert) {
        int byTime = hit.timestamp().compareTo(alert.firstEventTime());
        if (byTime != 0) {
            return byTime < 0;
        }
        Origin a = hit.origin();
        Origin b = alert.origins().get(0);
        Comparator<Origin> order = Comparator.comparing(Origin::source)
                .thenComparing(o -> o.partition() == null ? -1 : o.partition())
                .thenComparingLong(Origin::offset);
        return order.compare(a, b) < 0;
    }

    /**
     * The alert of {@code hit} alone, under its own event's id, without suppression: a single-event
     * hit that came after the watermark closed its suppression bucket (its bucket's alert has been
     * emitted for the last time).
     */
    public static Alert alone(RuleMeta rule, RuleHit hit) {
        CorrelationState own = new CorrelationState();
        for (var e : hit.entities().entrySet()) {
            own.entities.put(SharedStrings.name(e.getKey()), e.getValue());
        }
        return alert(rule, hit.groupKey(), hit.timestamp(), List.of(entry(hit)), 1, 1,
                hit.timestamp().toEpochMilli(), hit.timestamp().toEpochMilli(), own);
    }

    /** The alert of a bucket reporting {@code hit}: its entities are the hit's own, whatever came before. */
    private static Alert bucketAlert(RuleMeta rule, RuleHit hit, long start) {
        Alert a = alone(rule, hit);
        return new Alert(bucketAlertId(rule.id(), hit.groupKey(), start), a.timestamp(), a.ruleId(), a.ruleVersion(),
                a.ruleName(), a.description(), a.severity(), a.riskScore(), a.tactics(), a.techniques(), a.tags(),
                a.groupBy(), a.groupKey(), a.entities(), a.count(), a.suppressedCount(), a.firstEventTime(),
                a.lastEventTime(), a.origins(), a.originsTotal(), a.keyEvents(), a.massActivity(), a.provenance());
    }

    /**
     * The alert id of a single-event rule's suppression bucket: a hash of the rule, the group key
     * and the bucket's start, so it does not depend on which of the bucket's hits came first.
     */
    public static String bucketAlertId(String ruleId, String groupKey, long bucketStart) {
        return Ids.of(ruleId, groupKey, "suppression-bucket", String.valueOf(bucketStart));
    }

    /**
     * Whether {@code hit} counts for {@code rule}: a temporal hit names one of its steps, a sum or
     * average hit carries a number. A hit that does not count changes no state.
     */
    public static boolean counts(RuleMeta rule, RuleHit hit) {
        return switch (rule.shape()) {
            case TEMPORAL, TEMPORAL_ORDERED -> hit.step() != null && rule.steps().contains(hit.step());
            case VALUE_SUM, VALUE_AVG -> NumericValue.parse(hit.value()) != null;
            default -> true;
        };
    }

    /**
     * Whether the rule's condition is decided as soon as it is met, rather than when its window
     * closes: {@code gt}/{@code gte} alone on a quantity that only grows as hits are added.
     */
    public static boolean decidedAtOnce(RuleMeta rule) {
        return switch (rule.shape()) {
            case SINGLE, SEQUENCE -> true;
            case VALUE_AVG -> false;
            default -> rule.condition().stream().allMatch(c -> c.op().equals("gt") || c.op().equals("gte"));
        };
    }

    /** Moves time to {@code now} (the watermark): ends suppression, closes windows, forgets expired events. */
    public static List<Alert> advance(RuleMeta rule, CorrelationState st, long now) {
        List<Alert> out = new ArrayList<>(1);
        finishSuppression(st, now, out);
        closeWindow(rule, st, now, out);
        // a window that just fired may also have finished its suppression period by now
        finishSuppression(st, now, out);
        if (ClosingWindow.open(st)) {
            // its entries stay until it closes, whatever their age (a late hit may predate its start)
            return out;
        }
        if (rule.shape() == Shape.TEMPORAL_ORDERED) {
            OrderedSteps.prune(st.window, rule.windowMs(), now);
        } else {
            prune(st, rule, now);
        }
        return out;
    }

    /** When {@link #advance} next has work to do, or {@code Long.MAX_VALUE} when the state is empty. */
    public static long nextWakeUp(RuleMeta rule, CorrelationState st) {
        long next = Long.MAX_VALUE;
        if (st.open != null) {
            next = st.suppressUntil;
        }
        if (ClosingWindow.open(st)) {
            return Math.min(next, ClosingWindow.end(rule, st));
        }
        // the oldest entry, not the first: a late hit is appended after younger ones
        for (WindowEntry e : st.window) {
            next = Math.min(next, e.time + rule.windowMs());
        }
        return next;
    }

    /** Decides the open window if it ended by {@code now}, then forgets it. */
    private static void closeWindow(RuleMeta rule, CorrelationState st, long now, List<Alert> out) {
        if (!ClosingWindow.open(st) || now < ClosingWindow.end(rule, st)) {
            return;
        }
        if (rule.fires(ClosingWindow.measure(rule, st))) {
            fireWindow(rule, st, ClosingWindow.end(rule, st), out);
        } else {
            ClosingWindow.clear(st);
        }
    }

    /** Fires the open window of {@link ClosingWindow}; suppression starts at {@code from}. */
    private static void fireWindow(RuleMeta rule, CorrelationState st, long from, List<Alert> out) {
        List<WindowEntry> events = new ArrayList<>(st.window);
        long firstTime = Math.min(st.windowStart, events.stream().mapToLong(e -> e.time).min().orElse(st.windowStart));
        Alert alert = alert(rule, st.groupKey, Instant.ofEpochMilli(st.lastTime), events,
                ClosingWindow.alertCount(rule, st), st.count, firstTime, st.lastTime, st);
        out.add(alert);
        ClosingWindow.clear(st);
        if (rule.suppressMs() > 0) {
            st.open = alert;
            st.suppressUntil = from + rule.suppressMs();
        }
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

    private static WindowEntry stepEntry(RuleHit hit) {
        return new WindowEntry(hit.timestamp().toEpochMilli(), SharedStrings.origin(hit.origin()), hit.step());
    }

    private static void fire(RuleMeta rule, CorrelationState st, RuleHit last, List<WindowEntry> events,
                             List<Alert> out) {
        long firstTime = events.stream().mapToLong(e -> e.time).min().orElseThrow();
        long lastTime = events.stream().mapToLong(e -> e.time).max().orElseThrow();
        // distinct rules count distinct values, temporal ones steps: one window entry each
        Alert alert = alert(rule, last.groupKey(), last.timestamp(), events, events.size(), events.size(),
                firstTime, lastTime, st);
        out.add(alert);
        st.window.clear();
        if (rule.suppressMs() > 0) {
            st.open = alert;
            st.suppressUntil = last.timestamp().toEpochMilli() + rule.suppressMs();
        }
    }

    /**
     * @param events the window's entries, first event first (the alert id is made from it)
     * @param count what the alert reports as its count
     * @param total the events that made the alert ({@code originsTotal})
     */
    static Alert alert(RuleMeta rule, String groupKey, Instant at, List<WindowEntry> events, long count, long total,
                       long firstTime, long lastTime, CorrelationState st) {
        WindowEntry first = events.get(0);
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
        return new Alert(alertId(rule.id(), groupKey, first.time, first.origin), at, rule.id(),
                rule.version(), rule.name(), rule.description(), rule.severity(), rule.riskScore(), rule.tactics(),
                rule.techniques(), rule.tags(), String.join(",", rule.groupBy()), groupKey, st.entities,
                count, 0, Instant.ofEpochMilli(firstTime), Instant.ofEpochMilli(lastTime), origins, total, keyEvents,
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
