package io.vigil.jobs.detect;

import io.vigil.model.Alert;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.verify.RuleSet;
import io.vigil.rules.correlate.CorrelationState;
import io.vigil.rules.correlate.Correlator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Correlation of one rule and one group key (the key is {@link RuleHit#stateKey()}), in event
 * time: hits wait in keyed state until the watermark passes them, then are applied in
 * {@link RuleHit#ORDER} to the {@link Correlator}, so any arrival order within the
 * out-of-orderness bound yields the same alerts. Hits of single-event rules
 * ({@link Correlator#singleEvent}) do not wait: without suppression they alert on arrival and
 * keep nothing; with it they alert once per suppression bucket fixed in event time, on arrival
 * but for the first hits of a bucket within the out-of-orderness bound of its start
 * (see {@code single}), so alert ids do not depend on arrival order. Timers at the window and suppression ends (and at
 * the end of a window whose condition is decided when it closes: {@link Correlator#nextWakeUp})
 * forget expired events and emit finished suppressed alerts; the state is cleared as soon as it
 * is empty (one clean-up path), and a state TTL catches keys that would never see a watermark.
 *
 * <p>Hits later than the watermark are applied at once, in arrival order (counted in the
 * {@code lateHits} metric). A key holding more than {@link #MAX_PENDING} waiting hits applies
 * them at once too, so one very hot key cannot grow without bound.
 *
 * <p>A hit its rule cannot count (a Sigma {@code value_sum}/{@code value_avg} value that is not a
 * number, a temporal step that is not one of the rule's; {@link Correlator#counts}) changes nothing
 * and is counted in the {@code uncountedHits} metric.
 *
 * <p>The keys holding state on a subtask are bounded too ({@code detection.max-keys}), so a flood
 * of distinct group keys (spoofed addresses, random user names) cannot exhaust memory. Keys that
 * hold state keep working at the bound; a hit for a new key is then <em>refused</em>: it is
 * correlated on its own, as if its key had no history, and nothing is kept. A single-event rule
 * (or a threshold of one) still alerts on it, only without suppression: such rules are the
 * high-severity ones, and an alert per event is bounded by the events; a windowed rule cannot fire
 * on one event, so the hit only counts. Every refused hit is counted ({@code keyLimitRefusedHits}),
 * the keys held are a gauge ({@code correlationKeys}), and a WARN says so at most once a minute.
 * Which keys are refused depends on arrival order: past the bound, results are no longer the same
 * whatever the parallelism.
 *
 * <p>The count is operator state, per key group ({@link CorrelationKeys}), taken with each
 * checkpoint, so it resumes after a restore, at any parallelism. It counts keys this function gave
 * state and then cleared. A key whose state the TTL backstop drops instead (only when no watermark
 * reached its timers for {@code state-ttl}) is not seen leaving and stays counted: the count can
 * only overstate the keys held, so memory stays bounded.
 */
public final class CorrelateFunction extends KeyedProcessFunction<String, RuleHit, Alert>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CorrelateFunction.class);

    /** Most hits one key holds while waiting for the watermark. */
    public static final int MAX_PENDING = 10_000;

    /** Name of the correlation value state in checkpoints. */
    public static final String STATE_NAME = "correlation";

    /** Name of the operator state holding the key counts per key group. */
    public static final String KEY_COUNTS_NAME = "correlation-key-counts";

    /** At most one WARN about refused keys in this long (processing time). */
    static final long WARN_INTERVAL_MS = 60_000;

    private final RuleLookup rules;
    private final Duration stateTtl;
    private final int maxKeys;

    private transient ValueState<CorrelationState> state;
    private transient MapState<Long, List<RuleHit>> pending;
    private transient CorrelationKeys.Stored keyCounts;
    private transient CorrelationKeys keys;
    private transient Counter lateHits;
    private transient Counter refusedHits;
    private transient Counter uncountedHits;
    private transient Counter unknownRuleHits;
    private transient long refusedSinceWarning;
    private transient long nextWarningAt;

    /** With the default key bound, {@link Detection#DEFAULT_MAX_KEYS}. */
    public CorrelateFunction(RuleSet rules, Duration stateTtl) {
        this(rules, stateTtl, Detection.DEFAULT_MAX_KEYS);
    }

    /** @param maxKeys most correlation keys holding state on one subtask */
    public CorrelateFunction(RuleSet rules, Duration stateTtl, int maxKeys) {
        this(RuleLookup.of(rules), stateTtl, maxKeys);
    }

    /**
     * @param rules the rule of each hit, as of its time ({@link RuleLookup#versioned()}: the state
     *     records the rule's version and starts afresh when it changes; a rule no pack has any more
     *     at a key's wake-up clears that key's state)
     */
    public CorrelateFunction(RuleLookup rules, Duration stateTtl, int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("detection.max-keys must be at least 1: " + maxKeys);
        }
        this.rules = rules;
        this.stateTtl = stateTtl;
        this.maxKeys = maxKeys;
    }

    /** Called before {@link #open}: the key counts of this subtask's key groups, restored. */
    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        keyCounts = CorrelationKeys.Stored.initialize(context, getRuntimeContext().getTaskInfo(), KEY_COUNTS_NAME,
                maxKeys);
        keys = keyCounts.keys();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        keyCounts.save();
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(stateDescriptor(stateTtl));
        pending = getRuntimeContext().getMapState(pendingDescriptor(stateTtl));
        lateHits = getRuntimeContext().getMetricGroup().counter("lateHits");
        refusedHits = getRuntimeContext().getMetricGroup().counter("keyLimitRefusedHits");
        uncountedHits = getRuntimeContext().getMetricGroup().counter("uncountedHits");
        unknownRuleHits = getRuntimeContext().getMetricGroup().counter("unknownRuleHits");
        getRuntimeContext().getMetricGroup().gauge("correlationKeys", () -> keys.total());
        nextWarningAt = Long.MIN_VALUE;
    }

    /**
     * The state TTL. The timers clear state; the TTL is only a backstop for keys that never see a
     * watermark, so it is cleaned in full snapshots and on read, not by the per-access incremental
     * clean-up (which cost a fifth of the correlation time in profiles).
     */
    static StateTtlConfig ttl(Duration stateTtl) {
        return StateTtlConfig.newBuilder(stateTtl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .disableCleanupInBackground()
                .cleanupFullSnapshot()
                .build();
    }

    /** The correlation state as this function declares it (also for readers of its checkpoints). */
    public static ValueStateDescriptor<CorrelationState> stateDescriptor(Duration stateTtl) {
        ValueStateDescriptor<CorrelationState> descriptor =
                new ValueStateDescriptor<>(STATE_NAME, new CorrelationStateSerializer());
        descriptor.enableTimeToLive(ttl(stateTtl));
        return descriptor;
    }

    /** The hits waiting for the watermark, by event time, as this function declares them. */
    public static MapStateDescriptor<Long, List<RuleHit>> pendingDescriptor(Duration stateTtl) {
        MapStateDescriptor<Long, List<RuleHit>> descriptor = new MapStateDescriptor<>("pending-hits",
                Types.LONG, TypeInformation.of(new TypeHint<List<RuleHit>>() {}));
        descriptor.enableTimeToLive(ttl(stateTtl));
        return descriptor;
    }

    @Override
    public void processElement(RuleHit hit, Context ctx, Collector<Alert> out) throws Exception {
        process(hit, ctx.timerService(), ctx.getCurrentKey(), out);
    }

    /**
     * {@link #processElement} with the key's timers and key given: also the body of the live
     * correlation ({@code io.vigil.jobs.live.LiveCorrelateFunction}), whose context is another type.
     */
    public void process(RuleHit hit, TimerService timers, String key, Collector<Alert> out) throws Exception {
        long t = hit.timestamp().toEpochMilli();
        long watermark = timers.currentWatermark();
        RuleMeta rule = rules.rule(ruleIdOf(key), t);
        if (rule != null && Correlator.singleEvent(rule) && rule.suppressMs() == 0) {
            // decided by its own event and nothing to remember: alerts now, no state, no timer
            if (t <= watermark) {
                lateHits.inc();
            }
            Correlator.onHit(rule, new CorrelationState(), hit).forEach(out::collect);
            return;
        }
        CorrelationState stored = state.value();
        if (stored == null && keys.full()) {
            refuse(hit, timers, key, out);
            return;
        }
        if (rule != null && Correlator.singleEvent(rule)) {
            single(rule, hit, stored, watermark, timers, key, out);
            return;
        }
        if (t <= watermark) {
            lateHits.inc();
            // a late hit is applied at its own time: against the watermark its window would be gone
            apply(List.of(hit), t, timers, key, out);
            return;
        }
        park(hit, stored, watermark, timers, key, out);
    }

    /**
     * A hit of a single-event rule with suppression ({@link Correlator#bucketStart}) is applied on
     * arrival when it falls in the bucket open for its key, or opens its bucket on arrival when no
     * bucket is open, no hit waits, and the watermark has passed every time before the bucket's
     * start (no hit of an earlier bucket can still come in order). Otherwise (the first hits of a
     * bucket within the out-of-orderness bound of its start, or a hit of the next bucket while one
     * is open) it waits for the watermark, so buckets open and end in event-time order. A late hit
     * whose bucket the watermark has closed alerts alone under its own event's id
     * ({@link Correlator#alone}): its bucket's alert has been emitted for the last time.
     */
    private void single(RuleMeta rule, RuleHit hit, CorrelationState stored, long watermark, TimerService timers,
                        String key, Collector<Alert> out) throws Exception {
        long t = hit.timestamp().toEpochMilli();
        long bucket = Correlator.bucketStart(rule, t);
        if (t <= watermark) {
            lateHits.inc();
            if (bucket + rule.suppressMs() <= watermark) {
                out.collect(Correlator.alone(rule, hit));
                return;
            }
            apply(List.of(hit), t, timers, key, out);
            return;
        }
        boolean idle = stored == null || stored.open == null && stored.pending == 0;
        boolean atOnce = idle ? bucket - 1 <= watermark
                : stored.open != null && bucket == Correlator.openBucket(rule, stored);
        if (atOnce) {
            apply(List.of(hit), watermark, timers, key, out);
        } else {
            park(hit, stored, watermark, timers, key, out);
        }
    }

    /** Keeps {@code hit} until the watermark passes it. */
    private void park(RuleHit hit, CorrelationState stored, long watermark, TimerService timers, String key,
                      Collector<Alert> out) throws Exception {
        long t = hit.timestamp().toEpochMilli();
        List<RuleHit> atT = pending.get(t);
        if (atT == null) {
            atT = new ArrayList<>(1);
            timers.registerEventTimeTimer(t);
        }
        atT.add(hit);
        pending.put(t, atT);
        CorrelationState st = stored == null ? new CorrelationState() : stored;
        st.pending++;
        state.update(st);
        if (stored == null) {
            keys.added(key);
        }
        if (st.pending > MAX_PENDING) {
            // bounded state over strict order: apply everything waiting, oldest first
            apply(drain(Long.MAX_VALUE), watermark, timers, key, out);
        }
    }

    /**
     * A hit for a new key while the subtask holds {@code max-keys}: correlated alone, nothing kept.
     * Whatever alert one event makes (single-event rules) is still emitted.
     */
    private void refuse(RuleHit hit, TimerService timers, String key, Collector<Alert> out) {
        refusedHits.inc();
        refusedSinceWarning++;
        RuleMeta rule = rules.rule(ruleIdOf(key), hit.timestamp().toEpochMilli());
        if (rule == null) {
            unknownRuleHits.inc();
            return;
        }
        if (!Correlator.counts(rule, hit)) {
            uncountedHits.inc();
        }
        if (Correlator.singleEvent(rule)) {
            // under its own event's id: a suppression bucket's id would be shared by every refused hit
            out.collect(Correlator.alone(rule, hit));
        } else {
            Correlator.onHit(rule, new CorrelationState(), hit).forEach(out::collect);
        }
        long now = timers.currentProcessingTime();
        if (now >= nextWarningAt) {
            LOG.warn("Correlation key limit reached on subtask {}: {} keys hold state (detection.max-keys); {} hits "
                    + "of new keys refused since the last warning (single-event rules still alert, without "
                    + "suppression; windowed rules do not count them). Metric keyLimitRefusedHits counts them all.",
                    getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), keys.total(), refusedSinceWarning);
            refusedSinceWarning = 0;
            nextWarningAt = now + WARN_INTERVAL_MS;
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        timer(timestamp, ctx.timerService(), ctx.getCurrentKey(), out);
    }

    /** {@link #onTimer} with the key's timers and key given (see {@link #process}). */
    public void timer(long timestamp, TimerService timers, String key, Collector<Alert> out) throws Exception {
        apply(drainAt(timestamp), timestamp, timers, key, out);
    }

    /**
     * Removes and returns the hits waiting at {@code t}, the time of a timer firing: every waiting
     * time has its timer, and a key's timers fire in time order, so none waits before {@code t}.
     * A look-up rather than a scan of the key's map (on RocksDB an iterator over its entries and
     * their deletions, the most costly part of a timer).
     */
    private List<RuleHit> drainAt(long t) throws Exception {
        CorrelationState stored = state.value();
        if (stored == null) {
            // waiting hits without their state (dropped by the TTL backstop): look through them all
            return drain(t);
        }
        List<RuleHit> ready = stored.pending == 0 ? null : pending.get(t);
        if (ready == null) {
            // a window or suppression timer
            return new ArrayList<>();
        }
        stored.pending = Math.max(0, stored.pending - ready.size());
        state.update(stored);
        if (stored.pending == 0) {
            // an emptied map still holds an entry for the key: drop it
            pending.clear();
        } else {
            pending.remove(t);
        }
        ready = new ArrayList<>(ready);
        ready.sort(RuleHit.ORDER);
        return ready;
    }

    /** Removes and returns the waiting hits at or before {@code upTo}, in {@link RuleHit#ORDER}. */
    private List<RuleHit> drain(long upTo) throws Exception {
        List<RuleHit> ready = new ArrayList<>();
        Iterator<Map.Entry<Long, List<RuleHit>>> it = pending.iterator();
        while (it.hasNext()) {
            Map.Entry<Long, List<RuleHit>> e = it.next();
            if (e.getKey() <= upTo) {
                ready.addAll(e.getValue());
                it.remove();
            }
        }
        if (!ready.isEmpty()) {
            CorrelationState st = state.value();
            if (st != null) {
                st.pending = Math.max(0, st.pending - ready.size());
                state.update(st);
            }
            if (st == null || st.pending == 0) {
                // an emptied map still holds an entry for the key: drop it
                pending.clear();
            }
        }
        ready.sort(RuleHit.ORDER);
        return ready;
    }

    private void apply(List<RuleHit> hits, long now, TimerService timers, String key, Collector<Alert> out)
            throws Exception {
        String ruleId = ruleIdOf(key);
        CorrelationState stored = state.value();
        CorrelationState st = stored == null ? new CorrelationState() : stored;
        RuleMeta before = rules.rule(ruleId, hits.isEmpty() ? now : hits.get(0).timestamp().toEpochMilli());
        long beforeWakeUp = before == null ? Long.MAX_VALUE : Correlator.nextWakeUp(before, st);
        for (RuleHit hit : hits) {
            RuleMeta rule = rules.rule(ruleId, hit.timestamp().toEpochMilli());
            if (rule == null) {
                // made by a pack that no longer applies at the hit's time (live rules only)
                unknownRuleHits.inc();
                continue;
            }
            st = follow(rule, st);
            if (!Correlator.counts(rule, hit)) {
                uncountedHits.inc();
            }
            Correlator.onHit(rule, st, hit).forEach(out::collect);
        }
        RuleMeta rule = now > Long.MIN_VALUE ? rules.rule(ruleId, now) : before;
        if (rule == null) {
            // the rule left the pack (live rules): its state goes, whatever it held
            st = forget(st);
        } else {
            st = follow(rule, st);
            if (now > Long.MIN_VALUE) {
                Correlator.advance(rule, st, now).forEach(out::collect);
            }
            if (timers.currentWatermark() == Long.MAX_VALUE && st.pending == 0) {
                // the end of the input, and no hit of this key waits: nothing can come any more, and a
                // timer registered now would never fire (in BATCH mode, a replay, Flink ignores timers a
                // callback registers at the end of a key; in streaming, no watermark follows the last).
                // Windows decided at their close, and suppression periods, end here.
                Correlator.advance(rule, st, Long.MAX_VALUE).forEach(out::collect);
            }
        }
        long next = st.isEmpty() || rule == null ? Long.MAX_VALUE : Correlator.nextWakeUp(rule, st);
        if (beforeWakeUp != Long.MAX_VALUE && beforeWakeUp != next && beforeWakeUp > timers.currentWatermark()
                && !pending.contains(beforeWakeUp)) {
            // the window moved on (a distinct value seen again, an expired first event) or emptied:
            // its old wake-up would only fire to find nothing, holding a timer per key until then
            timers.deleteEventTimeTimer(beforeWakeUp);
        }
        if (st.isEmpty()) {
            // the one clean-up path: the key leaves the count with its state
            state.clear();
            if (stored != null) {
                keys.removed(key);
            }
            return;
        }
        state.update(st);
        if (stored == null) {
            keys.added(key);
        }
        if (next != Long.MAX_VALUE && next != beforeWakeUp) {
            timers.registerEventTimeTimer(next);
        }
    }

    /**
     * The state as {@code rule} continues it: with live rules, a state built by another version of
     * the rule starts afresh (its window, suppression and open alert go; hits waiting stay).
     */
    private CorrelationState follow(RuleMeta rule, CorrelationState st) {
        if (!rules.versioned() || st.ruleVersion == rule.version()) {
            return st;
        }
        CorrelationState fresh = st.ruleVersion == 0 ? st : forget(st);
        fresh.ruleVersion = rule.version();
        return fresh;
    }

    /** A state holding nothing but the hits still waiting. */
    private static CorrelationState forget(CorrelationState st) {
        CorrelationState fresh = new CorrelationState();
        fresh.pending = st.pending;
        return fresh;
    }

    static String ruleIdOf(String stateKey) {
        return stateKey.substring(0, stateKey.indexOf('\u0000'));
    }
}
