package io.vigil.jobs.detect;

import io.vigil.model.Alert;
import io.vigil.model.Ids;
import io.vigil.model.KeyEvent;
import io.vigil.model.MassActivity;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.verify.RuleSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Bounds what a flood of alerts of one rule costs downstream (incidents, webhooks, alert sinks):
 * within each event-time minute, the alerts of the first {@code maxNewKeys} distinct group keys
 * of a rule go through one by one; the alerts of further keys are aggregated into one
 * mass-activity alert per rule and minute ({@link MassActivity}: the exact number of alerts and
 * of distinct keys, a sample of keys), emitted when the minute ends. Its id comes from the rule and
 * the minute, so a replay writes the same one.
 *
 * <p>Keyed by rule id. Alerts wait in state until the watermark passes them and are then taken in
 * time order (ties by id), as {@link CorrelateFunction} takes hits, so the stream and a replay let
 * the same alerts through. A copy of an alert emitted again when its suppression ended follows its
 * first copy: it goes through if that did, and otherwise adds its suppressed events to the
 * aggregate, which is emitted again under the same id (as the correlation emits a later copy). An
 * alert behind the watermark (a late first copy, or a later copy) is taken at once, so a quiet
 * input never holds it back; a late first copy counts in the window the watermark is in.
 *
 * <p>State: the waiting alerts, each open window's counts, and the keys seen in it. A window is
 * forgotten when it ends, or, when it aggregated alerts of a rule that suppresses, once every
 * later copy can have come ({@code suppress} after its end): event-time timers are the clean-up
 * path, the state TTL a backstop. Every alert costs a bounded number of state operations.
 */
public final class MassActivityFunction extends KeyedProcessFunction<String, Alert, Alert> {

    private static final long serialVersionUID = 1L;

    /** Length of the windows new keys are counted in. */
    public static final long WINDOW_MS = Duration.ofMinutes(1).toMillis();

    /** Default limit of new keys per rule and minute. */
    public static final int DEFAULT_MAX_NEW_KEYS_PER_MINUTE = 100;

    public static final String UID = "mass-activity";

    private static final Comparator<Alert> ORDER = Comparator.comparing(Alert::id)
            .thenComparingLong(Alert::suppressedCount);

    private final int maxNewKeys;
    private final HashMap<String, Long> suppressMs;
    private final long longestSuppress;
    private final Duration stateTtl;

    /** Alerts waiting for the watermark, by the time they are taken. */
    private transient MapState<Long, List<Alert>> pending;
    /** Windows by start. */
    private transient MapState<Long, MassWindow> windows;
    /** {@code <window start>:<group key>}: true when that key's alerts go through, false when aggregated. */
    private transient MapState<String, Boolean> keys;
    /**
     * First copies later than the watermark, by alert id: the window they counted in, times 2,
     * plus 1 when aggregated. Their later copies follow them there.
     */
    private transient MapState<String, Long> lateFirstCopies;
    private transient Counter aggregatedAlerts;
    private transient Counter massActivityAlerts;

    /**
     * @param rules the rules, for how long each suppresses (how long later copies can come)
     * @param maxNewKeys new keys per rule and minute whose alerts go through one by one
     */
    public MassActivityFunction(RuleSet rules, int maxNewKeys, Duration stateTtl) {
        this(rules, maxNewKeys, stateTtl, false);
    }

    /**
     * @param liveRules whether rules unknown to {@code rules} can come (live rule bundles): their
     *     windows are then kept as long as the longest suppression of {@code rules}, not dropped at once
     */
    public MassActivityFunction(RuleSet rules, int maxNewKeys, Duration stateTtl, boolean liveRules) {
        if (maxNewKeys < 1) {
            throw new IllegalArgumentException("the mass-activity limit must be at least 1 new key per minute, not "
                    + maxNewKeys);
        }
        this.maxNewKeys = maxNewKeys;
        this.suppressMs = new HashMap<>();
        for (Map.Entry<String, RuleMeta> e : rules.active().entrySet()) {
            suppressMs.put(e.getKey(), e.getValue().suppressMs());
        }
        this.longestSuppress = !liveRules ? 0L
                : suppressMs.values().stream().mapToLong(Long::longValue).max().orElse(0L);
        this.stateTtl = stateTtl;
    }

    /** {@code alerts} keyed by rule, through this function. */
    public static DataStream<Alert> apply(DataStream<Alert> alerts, RuleSet rules, int maxNewKeys, Duration stateTtl) {
        return apply(alerts, rules, maxNewKeys, stateTtl, false);
    }

    /** {@code alerts} keyed by rule, through this function; {@code liveRules}: see the constructor. */
    public static DataStream<Alert> apply(DataStream<Alert> alerts, RuleSet rules, int maxNewKeys, Duration stateTtl,
                                          boolean liveRules) {
        return alerts.keyBy(Alert::ruleId, Types.STRING)
                .process(new MassActivityFunction(rules, maxNewKeys, stateTtl, liveRules),
                        TypeInformation.of(Alert.class))
                .name("mass activity").uid(UID);
    }

    @Override
    public void open(OpenContext openContext) {
        MapStateDescriptor<Long, List<Alert>> pendingDescriptor = new MapStateDescriptor<>("mass-pending",
                Types.LONG, Types.LIST(TypeInformation.of(Alert.class)));
        MapStateDescriptor<Long, MassWindow> windowsDescriptor = new MapStateDescriptor<>("mass-windows",
                Types.LONG, TypeInformation.of(MassWindow.class));
        MapStateDescriptor<String, Boolean> keysDescriptor = new MapStateDescriptor<>("mass-keys",
                Types.STRING, Types.BOOLEAN);
        MapStateDescriptor<String, Long> lateDescriptor = new MapStateDescriptor<>("mass-late-first-copies",
                Types.STRING, Types.LONG);
        for (MapStateDescriptor<?, ?> d : List.of(pendingDescriptor, windowsDescriptor, keysDescriptor, lateDescriptor)) {
            d.enableTimeToLive(CorrelateFunction.ttl(stateTtl));
        }
        pending = getRuntimeContext().getMapState(pendingDescriptor);
        windows = getRuntimeContext().getMapState(windowsDescriptor);
        keys = getRuntimeContext().getMapState(keysDescriptor);
        lateFirstCopies = getRuntimeContext().getMapState(lateDescriptor);
        aggregatedAlerts = getRuntimeContext().getMetricGroup().counter("massActivityAggregatedAlerts");
        massActivityAlerts = getRuntimeContext().getMetricGroup().counter("massActivityAlerts");
    }

    @Override
    public void processElement(Alert alert, Context ctx, Collector<Alert> out) throws Exception {
        long at = alert.timestamp().toEpochMilli();
        long watermark = ctx.timerService().currentWatermark();
        if (at <= watermark) {
            // late, or a later copy (its time is its first copy's): taken now, in arrival order, as the
            // correlation applies late hits. Waiting for the watermark to pass it would hold it back for
            // as long as the input stays quiet, which may be forever.
            long now = watermark == Long.MAX_VALUE ? watermark : watermark + 1;
            if (!isLaterCopy(alert)) {
                ctx.timerService().registerEventTimeTimer(windowOf(now) + WINDOW_MS);
            }
            takeAll(new ArrayList<>(List.of(alert)), now, ctx, out);
            return;
        }
        List<Alert> waiting = pending.get(at);
        if (waiting == null) {
            waiting = new ArrayList<>(1);
            ctx.timerService().registerEventTimeTimer(at);
        }
        if (!isLaterCopy(alert)) {
            // here, not when the alert is taken: a bounded (batch) run ignores timers set by timers
            ctx.timerService().registerEventTimeTimer(windowOf(at) + WINDOW_MS);
        }
        waiting.add(alert);
        pending.put(at, waiting);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        String rule = ctx.getCurrentKey();
        // a rule of a live bundle, unknown when the job was built: as long as the longest local one
        long suppress = suppressMs.getOrDefault(rule, longestSuppress);
        // the window ending now first: alerts of this time belong to the next one
        close(timestamp - WINDOW_MS, rule, suppress, ctx, out);
        long retainedStart = timestamp - 1 - suppress - WINDOW_MS;
        if (suppress > 0 && Math.floorMod(retainedStart, WINDOW_MS) == 0) {
            MassWindow retained = windows.get(retainedStart);
            if (retained != null && retained.closed) {
                forget(retainedStart);
            }
        }
        List<Alert> ready = pending.get(timestamp);
        if (ready != null) {
            pending.remove(timestamp);
            takeAll(ready, timestamp, ctx, out);
        }
        clearWhenEmpty();
    }

    /** Takes {@code alerts} at {@code at} in their order, then emits again the aggregates later copies added to. */
    private void takeAll(List<Alert> alerts, long at, Context ctx, Collector<Alert> out) throws Exception {
        alerts.sort(ORDER);
        TreeSet<Long> changed = new TreeSet<>();
        for (Alert a : alerts) {
            take(a, at, ctx, out, changed);
        }
        for (long start : changed) {
            MassWindow w = windows.get(start);
            if (w != null && w.closed && w.suppressedChanged) {
                emitSuppressed(ctx.getCurrentKey(), w, out);
                windows.put(start, w);
            }
        }
    }

    private static boolean isLaterCopy(Alert a) {
        return a.suppressedCount() > 0;
    }

    private static long windowOf(long time) {
        return Math.floorDiv(time, WINDOW_MS) * WINDOW_MS;
    }

    private static String keyOf(long window, Alert a) {
        return window + ":" + (a.groupKey() == null ? "" : a.groupKey());
    }

    /** Lets {@code a} through or aggregates it; {@code at} is the time it was taken at. */
    private void take(Alert a, long at, Context ctx, Collector<Alert> out, TreeSet<Long> changed) throws Exception {
        if (isLaterCopy(a)) {
            Long late = lateFirstCopies.get(a.id());
            long start = late != null ? late >> 1 : windowOf(a.timestamp().toEpochMilli());
            MassWindow w = windows.get(start);
            boolean aggregated = late != null ? (late & 1) == 1
                    : w != null && w.alerts > 0 && !Boolean.TRUE.equals(keys.get(keyOf(start, a)));
            if (!aggregated || w == null) {
                out.collect(a);
                return;
            }
            w.suppressed += a.suppressedCount();
            w.suppressedChanged = true;
            w.suppressedLastEvent = Math.max(w.suppressedLastEvent, a.lastEventTime().toEpochMilli());
            windows.put(start, w);
            changed.add(start);
            return;
        }
        long start = windowOf(at);
        MassWindow w = windows.get(start);
        if (w == null) {
            // its end has a timer since the alert came
            w = new MassWindow();
            w.start = start;
        }
        String key = keyOf(start, a);
        Boolean through = keys.get(key);
        boolean late = a.timestamp().toEpochMilli() < start;
        if (Boolean.TRUE.equals(through) || (through == null && w.admittedKeys < maxNewKeys)) {
            if (through == null) {
                keys.put(key, Boolean.TRUE);
                w.admittedKeys++;
                windows.put(start, w);
            }
            if (late) {
                lateFirstCopies.put(a.id(), start * 2);
            }
            out.collect(a);
            return;
        }
        if (through == null) {
            keys.put(key, Boolean.FALSE);
            w.keys++;
            if (w.sample.size() < MassActivity.MAX_SAMPLE_KEYS) {
                w.sample.add(a.groupKey());
            }
        }
        if (late) {
            lateFirstCopies.put(a.id(), start * 2 + 1);
        }
        aggregate(w, a);
        windows.put(start, w);
        aggregatedAlerts.inc();
    }

    private static void aggregate(MassWindow w, Alert a) {
        if (w.first == null) {
            w.first = a;
        }
        w.alerts++;
        w.events += a.count();
        w.originsTotal += a.originsTotal();
        w.firstEvent = Math.min(w.firstEvent, (a.firstEventTime() != null ? a.firstEventTime() : a.timestamp()).toEpochMilli());
        w.lastEvent = Math.max(w.lastEvent, (a.lastEventTime() != null ? a.lastEventTime() : a.timestamp()).toEpochMilli());
        if (!a.origins().isEmpty() && w.origins.size() < Alert.MAX_ORIGINS) {
            w.origins.add(a.origins().get(0));
        }
        if (w.keyEvents.size() < Alert.MAX_KEY_EVENTS) {
            KeyEvent first = a.keyEvents().isEmpty() ? null : a.keyEvents().get(0);
            w.keyEvents.add(new KeyEvent(first != null ? first.time() : a.timestamp(),
                    first != null ? first.origin() : (a.origins().isEmpty() ? null : a.origins().get(0)),
                    a.groupBy() + "=" + a.groupKey()));
        }
    }

    /** Ends window {@code start}: emits its mass-activity alert, if it aggregated any, and keeps what later copies need. */
    private void close(long start, String rule, long suppress, Context ctx, Collector<Alert> out) throws Exception {
        if (Math.floorMod(start, WINDOW_MS) != 0) {
            return;
        }
        MassWindow w = windows.get(start);
        if (w == null || w.closed) {
            return;
        }
        if (w.alerts == 0 || suppress == 0) {
            if (w.alerts > 0) {
                emit(rule, w, out);
            }
            forget(start);
            return;
        }
        emit(rule, w, out);
        w.closed = true;
        windows.put(start, w);
        // later copies only need to know which keys went through
        String prefix = start + ":";
        Iterator<Map.Entry<String, Boolean>> it = keys.iterator();
        while (it.hasNext()) {
            Map.Entry<String, Boolean> e = it.next();
            if (!e.getValue() && e.getKey().startsWith(prefix)) {
                it.remove();
            }
        }
        if (ctx.timerService().currentWatermark() != Long.MAX_VALUE) {
            // (at the end of the input no later copy comes, and a bounded run ignores the timer)
            ctx.timerService().registerEventTimeTimer(start + WINDOW_MS + suppress + 1);
        }
    }

    private void emit(String rule, MassWindow w, Collector<Alert> out) {
        // the first copy carries no suppressed events, as a first alert; a second copy carries them
        out.collect(alert(rule, w, 0));
        massActivityAlerts.inc();
        if (w.suppressed > 0) {
            out.collect(alert(rule, w, w.suppressed));
        }
        w.suppressedChanged = false;
    }

    private void emitSuppressed(String rule, MassWindow w, Collector<Alert> out) {
        out.collect(alert(rule, w, w.suppressed));
        w.suppressedChanged = false;
    }

    /** The mass-activity alert of window {@code w} of {@code rule}. */
    Alert alert(String rule, MassWindow w, long suppressed) {
        Alert f = w.first;
        Instant start = Instant.ofEpochMilli(w.start);
        Instant end = Instant.ofEpochMilli(w.start + WINDOW_MS);
        List<String> tags = new ArrayList<>(f.tags());
        tags.add(MassActivity.TAG);
        MassActivity mass = new MassActivity(start, end, f.groupBy(), w.alerts, w.keys, w.sample, maxNewKeys);
        String description = w.alerts + " alert" + (w.alerts == 1 ? "" : "s") + " of " + rule + " for " + w.keys
                + " more " + f.groupBy() + " value" + (w.keys == 1 ? "" : "s") + " in the minute from " + start
                + ", beyond " + maxNewKeys + " new keys per minute, aggregated into this alert. " + f.description();
        return new Alert(id(rule, w.start), end, rule, f.ruleVersion(), f.ruleName() + " (mass activity)", description,
                f.severity(), f.riskScore(), f.tactics(), f.techniques(), tags, MassActivity.GROUP_BY,
                rule + "," + start, Map.of(), w.events, suppressed, Instant.ofEpochMilli(w.firstEvent),
                Instant.ofEpochMilli(suppressed == 0 ? w.lastEvent : Math.max(w.lastEvent, w.suppressedLastEvent)),
                w.origins, w.originsTotal, w.keyEvents, mass, f.provenance());
    }

    /** The id of the mass-activity alert of {@code rule} in the window starting at {@code windowStart}. */
    public static String id(String rule, long windowStart) {
        return Ids.of("mass-activity", rule, String.valueOf(windowStart));
    }

    private void forget(long start) throws Exception {
        windows.remove(start);
        String prefix = start + ":";
        Iterator<Map.Entry<String, Boolean>> it = keys.iterator();
        while (it.hasNext()) {
            if (it.next().getKey().startsWith(prefix)) {
                it.remove();
            }
        }
        Iterator<Map.Entry<String, Long>> late = lateFirstCopies.iterator();
        while (late.hasNext()) {
            if (late.next().getValue() >> 1 == start) {
                late.remove();
            }
        }
    }

    /** An emptied map state still holds an entry for the key: drop it. */
    private void clearWhenEmpty() throws Exception {
        if (pending.isEmpty()) {
            pending.clear();
        }
        if (windows.isEmpty()) {
            windows.clear();
            keys.clear();
            lateFirstCopies.clear();
        }
    }
}
