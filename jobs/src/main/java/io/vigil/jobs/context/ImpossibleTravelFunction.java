package io.vigil.jobs.context;

import io.vigil.context.travel.ImpossibleTravel;
import io.vigil.context.travel.Journey;
import io.vigil.context.travel.SignIn;
import io.vigil.context.travel.TravelAlert;
import io.vigil.jobs.detect.CorrelationKeys;
import io.vigil.jobs.detect.Detection;
import io.vigil.model.Alert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Impossible travel per user (the key): each successful sign-in with a place is compared with the
 * user's previous one in event-time order, and an impossible journey raises an alert.
 *
 * <p>Order: a sign-in waits in {@code travel-pending} until the watermark passes its time, then the
 * waiting ones are taken in time order, so the result does not depend on the order they arrived in.
 * A sign-in that arrives behind the watermark (late), or when {@link #MAX_PENDING} already wait, is
 * compared at once with the last one, in time order, and does not replace a later last one.
 *
 * <p>State per user: the last sign-in ({@code travel-last}) and the waiting ones (at most
 * {@link #MAX_PENDING}). The last is forgotten by an event-time timer at its time plus the horizon
 * ({@link ImpossibleTravel#horizon}: after it no journey is impossible); the state TTL, a little
 * longer, is a backstop for a key whose timer never fires.
 *
 * <p>Users with state per subtask are bounded ({@code maxKeys}, the correlation's
 * {@code detection.max-keys} bound, counted per key group as {@link CorrelationKeys} does): user
 * names come from the logs, so an attacker could otherwise grow the state with invented names.
 * Past the bound, a sign-in of a user without state is compared with nothing and stored nowhere,
 * and counted ({@code impossibleTravelKeyLimitRefused}); users already known go on as before.
 */
public final class ImpossibleTravelFunction extends KeyedProcessFunction<String, SignIn, Alert>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;

    /** Sign-ins of one user waiting for the watermark, at most: a bound on state per user. */
    static final int MAX_PENDING = 64;

    private static final String KEY_COUNTS_NAME = "travel-key-counts";

    /** Time, address, then where the sign-in came from: a total order over distinct records. */
    static final Comparator<SignIn> IN_ORDER = Comparator.comparingLong(SignIn::at)
            .thenComparing(SignIn::ip)
            .thenComparing(s -> s.origin().kind(), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(s -> s.origin().source(), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(s -> s.origin().partition(), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingLong(s -> s.origin().offset());

    private final ImpossibleTravel rule;
    private final int maxKeys;

    private transient CorrelationKeys.Stored keyCounts;
    private transient CorrelationKeys keys;
    private transient Counter refused;
    private transient ValueState<SignIn> last;
    private transient ListState<SignIn> pending;
    private transient ValueState<Long> cleanupAt;
    private transient Counter alerts;
    private transient Counter late;

    /** With the default bound on users, {@link Detection#DEFAULT_MAX_KEYS}. */
    public ImpossibleTravelFunction(ImpossibleTravel rule) {
        this(rule, Detection.DEFAULT_MAX_KEYS);
    }

    /** @param maxKeys most users holding state on one subtask */
    public ImpossibleTravelFunction(ImpossibleTravel rule, int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("detection.max-keys must be at least 1: " + maxKeys);
        }
        this.rule = rule;
        this.maxKeys = maxKeys;
    }

    /** Called before {@link #open}: the user counts of this subtask's key groups, restored. */
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
        StateTtlConfig ttl = StateTtlConfig.newBuilder(rule.horizon().plus(Duration.ofHours(1)))
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupFullSnapshot()
                .build();
        ValueStateDescriptor<SignIn> lastDescriptor = new ValueStateDescriptor<>("travel-last",
                TypeInformation.of(SignIn.class));
        ListStateDescriptor<SignIn> pendingDescriptor = new ListStateDescriptor<>("travel-pending",
                TypeInformation.of(SignIn.class));
        ValueStateDescriptor<Long> cleanupDescriptor = new ValueStateDescriptor<>("travel-cleanup-at",
                TypeInformation.of(Long.class));
        lastDescriptor.enableTimeToLive(ttl);
        pendingDescriptor.enableTimeToLive(ttl);
        cleanupDescriptor.enableTimeToLive(ttl);
        last = getRuntimeContext().getState(lastDescriptor);
        pending = getRuntimeContext().getListState(pendingDescriptor);
        cleanupAt = getRuntimeContext().getState(cleanupDescriptor);
        alerts = getRuntimeContext().getMetricGroup().counter("impossibleTravelAlerts");
        late = getRuntimeContext().getMetricGroup().counter("impossibleTravelLateSignIns");
        refused = getRuntimeContext().getMetricGroup().counter("impossibleTravelKeyLimitRefused");
        getRuntimeContext().getMetricGroup().gauge("impossibleTravelUsers", () -> keys.total());
    }

    @Override
    public void processElement(SignIn signIn, Context ctx, Collector<Alert> out) throws Exception {
        if (!hasState()) {
            if (keys.full()) {
                refused.inc();
                return;
            }
            keys.added(ctx.getCurrentKey());
        }
        if (signIn.at() <= ctx.timerService().currentWatermark() || count(waiting()) >= MAX_PENDING) {
            late.inc();
            compare(signIn, ctx, out);
            return;
        }
        pending.add(signIn);
        ctx.timerService().registerEventTimeTimer(signIn.at());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        boolean had = hasState();
        List<SignIn> ready = new ArrayList<>();
        List<SignIn> waiting = new ArrayList<>();
        for (SignIn s : waiting()) {
            (s.at() <= timestamp ? ready : waiting).add(s);
        }
        if (!ready.isEmpty()) {
            // time order; the address, then the origin break a tie, so the result (and the alert
            // ids) never depend on arrival order (invariant 4)
            ready.sort(IN_ORDER);
            if (waiting.isEmpty()) {
                pending.clear();
            } else {
                pending.update(waiting);
            }
            for (SignIn s : ready) {
                compare(s, ctx, out);
            }
        }
        Long cleanup = cleanupAt.value();
        if (cleanup != null && timestamp >= cleanup) {
            last.clear();
            cleanupAt.clear();
        }
        if (had && !hasState()) {
            keys.removed(ctx.getCurrentKey());
        }
    }

    /** Whether this user holds state (a last sign-in or waiting ones): whether it counts against the bound. */
    private boolean hasState() throws Exception {
        return last.value() != null || waiting().iterator().hasNext();
    }

    /** Compares {@code signIn} with the last one (earlier to later), and keeps the later as the last. */
    private void compare(SignIn signIn, Context ctx, Collector<Alert> out) throws Exception {
        SignIn previous = last.value();
        if (previous != null) {
            boolean later = signIn.at() >= previous.at();
            Journey j = later ? rule.judge(previous, signIn) : rule.judge(signIn, previous);
            if (j != null) {
                alerts.inc();
                out.collect(TravelAlert.of(j));
            }
            if (!later) {
                return;
            }
        }
        last.update(signIn);
        Long oldCleanup = cleanupAt.value();
        long cleanup = signIn.at() + rule.horizon().toMillis();
        if (oldCleanup != null && oldCleanup != cleanup && !waitsAt(oldCleanup)) {
            // a waiting sign-in of that very time shares the timer: it stays, and onTimer ignores
            // the stale clean-up (timestamp < cleanupAt)
            ctx.timerService().deleteEventTimeTimer(oldCleanup);
        }
        cleanupAt.update(cleanup);
        ctx.timerService().registerEventTimeTimer(cleanup);
    }

    /** Whether a waiting sign-in has its timer at {@code timestamp}. */
    private boolean waitsAt(long timestamp) throws Exception {
        for (SignIn s : waiting()) {
            if (s.at() == timestamp) {
                return true;
            }
        }
        return false;
    }

    /** The waiting sign-ins (a list state may answer null when empty: Flink's contract allows it). */
    private Iterable<SignIn> waiting() throws Exception {
        Iterable<SignIn> it = pending.get();
        return it == null ? List.of() : it;
    }

    private static int count(Iterable<SignIn> it) {
        int n = 0;
        for (SignIn ignored : it) {
            n++;
        }
        return n;
    }
}
