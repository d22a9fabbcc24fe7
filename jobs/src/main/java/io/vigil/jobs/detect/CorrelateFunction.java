package io.vigil.jobs.detect;

import io.vigil.model.Alert;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.RuleSet;
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
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Correlation of one rule and one group key (the key is {@link RuleHit#stateKey()}), in event
 * time: hits wait in keyed state until the watermark passes them, then are applied in
 * {@link RuleHit#ORDER} to the {@link Correlator}, so any arrival order within the
 * out-of-orderness bound yields the same alerts. Timers at the window and suppression ends
 * forget expired events and emit finished suppressed alerts; the state is cleared as soon as it
 * is empty (one clean-up path), and a state TTL catches keys that would never see a watermark.
 *
 * <p>Hits later than the watermark are applied at once, in arrival order (counted in the
 * {@code lateHits} metric). A key holding more than {@link #MAX_PENDING} waiting hits applies
 * them at once too, so one very hot key cannot grow without bound.
 */
public final class CorrelateFunction extends KeyedProcessFunction<String, RuleHit, Alert> {

    private static final long serialVersionUID = 1L;

    /** Most hits one key holds while waiting for the watermark. */
    public static final int MAX_PENDING = 10_000;

    /** Name of the correlation value state in checkpoints. */
    public static final String STATE_NAME = "correlation";

    private final Map<String, RuleMeta> rules;
    private final Duration stateTtl;

    private transient ValueState<CorrelationState> state;
    private transient MapState<Long, List<RuleHit>> pending;
    private transient org.apache.flink.metrics.Counter lateHits;

    public CorrelateFunction(RuleSet rules, Duration stateTtl) {
        this.rules = rules.active();
        this.stateTtl = stateTtl;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(stateDescriptor(stateTtl));
        pending = getRuntimeContext().getMapState(pendingDescriptor(stateTtl));
        lateHits = getRuntimeContext().getMetricGroup().counter("lateHits");
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
        long t = hit.timestamp().toEpochMilli();
        long watermark = ctx.timerService().currentWatermark();
        if (t <= watermark) {
            lateHits.inc();
            // a late hit is applied at its own time: against the watermark its window would be gone
            apply(List.of(hit), t, ctx, out);
            return;
        }
        List<RuleHit> atT = pending.get(t);
        if (atT == null) {
            atT = new ArrayList<>(1);
            ctx.timerService().registerEventTimeTimer(t);
        }
        atT.add(hit);
        pending.put(t, atT);
        CorrelationState st = current();
        st.pending++;
        state.update(st);
        if (st.pending > MAX_PENDING) {
            // bounded state over strict order: apply everything waiting, oldest first
            apply(drain(Long.MAX_VALUE), watermark, ctx, out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        apply(drain(timestamp), timestamp, ctx, out);
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
            CorrelationState st = current();
            st.pending = Math.max(0, st.pending - ready.size());
            state.update(st);
            if (st.pending == 0) {
                // an emptied map still holds an entry for the key: drop it
                pending.clear();
            }
        }
        ready.sort(RuleHit.ORDER);
        return ready;
    }

    private void apply(List<RuleHit> hits, long now, Context ctx, Collector<Alert> out) throws Exception {
        String ruleId = ruleIdOf(ctx.getCurrentKey());
        RuleMeta rule = rules.get(ruleId);
        CorrelationState st = current();
        long before = Correlator.nextWakeUp(rule, st);
        for (RuleHit hit : hits) {
            Correlator.onHit(rule, st, hit).forEach(out::collect);
        }
        if (now > Long.MIN_VALUE) {
            Correlator.advance(rule, st, now).forEach(out::collect);
        }
        long next = st.isEmpty() ? Long.MAX_VALUE : Correlator.nextWakeUp(rule, st);
        if (before != Long.MAX_VALUE && before != next && before > ctx.timerService().currentWatermark()
                && !pending.contains(before)) {
            // the window moved on (a distinct value seen again, an expired first event) or emptied:
            // its old wake-up would only fire to find nothing, holding a timer per key until then
            ctx.timerService().deleteEventTimeTimer(before);
        }
        if (st.isEmpty()) {
            state.clear();
            return;
        }
        state.update(st);
        if (next != Long.MAX_VALUE && next != before) {
            ctx.timerService().registerEventTimeTimer(next);
        }
    }

    private CorrelationState current() throws Exception {
        CorrelationState st = state.value();
        return st == null ? new CorrelationState() : st;
    }

    static String ruleIdOf(String stateKey) {
        return stateKey.substring(0, stateKey.indexOf('\u0000'));
    }
}
