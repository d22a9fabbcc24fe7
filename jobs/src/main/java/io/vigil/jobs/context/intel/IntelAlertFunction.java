package io.vigil.jobs.context.intel;

import io.vigil.context.intel.IntelAlert;
import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import io.vigil.model.Alert;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The {@code threat-intel-match} alerts of one group key ({@link IntelAlert#groupKey}: the indicator
 * matched and the host), in event time: matched events wait in keyed state until the watermark
 * passes them and are then applied in time order (ties by origin), so any arrival order within the
 * out-of-orderness bound gives the same alerts and ids. The first match raises an alert and opens a
 * suppression period ({@code enrich.intel.suppression}); later matches in it are counted, and when
 * it ends (an event-time timer) the alert is emitted again under the same id with that count
 * ({@link Alert#withSuppressed}), as correlation does. The state is cleared when no period runs and
 * nothing waits (one clean-up path); a state TTL catches keys that never see a watermark again.
 *
 * <p>A match later than the watermark is applied at once ({@code lateIntelMatches}); a key holding
 * more than {@link #MAX_PENDING} waiting matches applies them at once, so a hot key stays bounded.
 */
public final class IntelAlertFunction extends KeyedProcessFunction<String, SecurityEvent, Alert> {

    private static final long serialVersionUID = 1L;

    /** Most matches one key holds while waiting for the watermark. */
    public static final int MAX_PENDING = 10_000;

    private static final Comparator<Origin> ORIGIN_ORDER = Comparator.comparing(Origin::kind)
            .thenComparing(Origin::source).thenComparing(o -> o.partition() == null ? -1 : o.partition())
            .thenComparingLong(Origin::offset);

    private final long suppressMs;
    private final Duration stateTtl;

    private transient ValueState<IntelMatchState> state;
    private transient MapState<Long, List<SecurityEvent>> pending;
    private transient Counter lateMatches;

    /** @param suppression one alert per key per this period (zero: an alert per match, nothing kept) */
    public IntelAlertFunction(Duration suppression) {
        this.suppressMs = suppression.toMillis();
        // a backstop only: the timers clear the state
        this.stateTtl = suppression.plus(Duration.ofDays(1));
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl = StateTtlConfig.newBuilder(stateTtl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupFullSnapshot()
                .build();
        ValueStateDescriptor<IntelMatchState> s = new ValueStateDescriptor<>("intel-match", IntelMatchState.class);
        s.enableTimeToLive(ttl);
        state = getRuntimeContext().getState(s);
        MapStateDescriptor<Long, List<SecurityEvent>> p = new MapStateDescriptor<>("intel-pending", Types.LONG,
                TypeInformation.of(new TypeHint<List<SecurityEvent>>() {}));
        p.enableTimeToLive(ttl);
        pending = getRuntimeContext().getMapState(p);
        lateMatches = getRuntimeContext().getMetricGroup().counter("lateIntelMatches");
    }

    @Override
    public void processElement(SecurityEvent event, Context ctx, Collector<Alert> out) throws Exception {
        TimerService timers = ctx.timerService();
        long t = event.timestamp().toEpochMilli();
        IntelMatchState st = state.value();
        if (st == null) {
            st = new IntelMatchState();
        }
        if (t <= timers.currentWatermark()) {
            lateMatches.inc();
            apply(st, event, timers, out);
        } else {
            List<SecurityEvent> atT = pending.get(t);
            if (atT == null) {
                atT = new ArrayList<>(1);
                timers.registerEventTimeTimer(t);
            }
            atT.add(event);
            pending.put(t, atT);
            st.pending++;
            if (st.pending > MAX_PENDING) {
                // bounded state over strict order: everything waiting, oldest first
                Map<Long, List<SecurityEvent>> all = new TreeMap<>();
                for (Map.Entry<Long, List<SecurityEvent>> e : pending.entries()) {
                    all.put(e.getKey(), e.getValue());
                }
                pending.clear();
                st.pending = 0;
                for (Map.Entry<Long, List<SecurityEvent>> e : all.entrySet()) {
                    timers.deleteEventTimeTimer(e.getKey());
                    applyAll(st, e.getValue(), timers, out);
                }
                if (st.open != null) {
                    // its end may have shared a time with a deleted timer
                    timers.registerEventTimeTimer(st.until);
                }
            }
        }
        store(st);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        IntelMatchState st = state.value();
        if (st == null) {
            return;
        }
        finish(st, timestamp, out);
        List<SecurityEvent> atT = pending.get(timestamp);
        if (atT != null) {
            pending.remove(timestamp);
            st.pending -= atT.size();
            applyAll(st, atT, ctx.timerService(), out);
        }
        store(st);
    }

    private void applyAll(IntelMatchState st, List<SecurityEvent> events, TimerService timers, Collector<Alert> out) {
        List<SecurityEvent> ordered = new ArrayList<>(events);
        ordered.sort(Comparator.comparing(SecurityEvent::timestamp).thenComparing(SecurityEvent::origin, ORIGIN_ORDER));
        for (SecurityEvent e : ordered) {
            apply(st, e, timers, out);
        }
    }

    private void apply(IntelMatchState st, SecurityEvent event, TimerService timers, Collector<Alert> out) {
        long t = event.timestamp().toEpochMilli();
        finish(st, t, out);
        if (st.open != null) {
            st.suppressed++;
            st.lastSuppressed = Math.max(st.lastSuppressed, t);
            return;
        }
        Alert alert = IntelAlert.of(List.of(event), false);
        out.collect(alert);
        if (suppressMs > 0) {
            st.open = alert;
            st.until = t + suppressMs;
            st.suppressed = 0;
            st.lastSuppressed = 0;
            timers.registerEventTimeTimer(st.until);
        }
    }

    /** Ends the suppression period when {@code now} reached its end: the alert again with what it suppressed. */
    private static void finish(IntelMatchState st, long now, Collector<Alert> out) {
        if (st.open != null && now >= st.until) {
            if (st.suppressed > 0) {
                out.collect(st.open.withSuppressed(st.suppressed, Instant.ofEpochMilli(st.lastSuppressed)));
            }
            st.open = null;
            st.suppressed = 0;
            st.lastSuppressed = 0;
            st.until = 0;
        }
    }

    private void store(IntelMatchState st) throws Exception {
        if (st.empty()) {
            state.clear();
        } else {
            state.update(st);
        }
    }
}
