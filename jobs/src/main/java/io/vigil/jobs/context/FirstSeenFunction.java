package io.vigil.jobs.context;

import io.vigil.context.ContextAlert;
import io.vigil.context.ContextRule;
import io.vigil.model.Alert;
import io.vigil.rules.firstseen.FirstSeenHistory;
import io.vigil.rules.firstseen.FirstSeenRule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The history of first-seen rules, keyed by rule and key: each value the key had with when it was
 * last seen ({@code MapState}), and when the key's learning started; what an observation is
 * follows {@link FirstSeenHistory}. A new value after the learning period raises an alert, built
 * as {@link ContextAlert#of}: group key = key and value, context fields {@code vigil.first_seen.*}.
 *
 * <p>Observations are judged in arrival order, at their event time. The history is Flink state,
 * so it is checkpointed and survives restarts. Clean-up is one event-time timer per key, at or
 * before the earliest time one of its values leaves the retention (rounded up to
 * {@link #CLEANUP_GRANULARITY_MS}); it removes the values past the retention and forgets the key
 * when none is left, else sets itself at the next expiry. A processing-time TTL of twice the
 * longest retention is a backstop only. A key holds at most its rule's {@code maxValues}.
 */
public final class FirstSeenFunction extends KeyedProcessFunction<String, FirstSeenObservation, Alert> {

    private static final long serialVersionUID = 1L;

    public static final String UID = "first-seen";

    /** Clean-up timers are rounded up to this, so a key's timer moves at most once an hour. */
    public static final long CLEANUP_GRANULARITY_MS = Duration.ofHours(1).toMillis();

    /** The alert context fields (docs/first-seen.md). */
    public static final String KEY_FIELDS = "vigil.first_seen.key_fields";
    public static final String KEY = "vigil.first_seen.key";
    public static final String VALUE_FIELDS = "vigil.first_seen.fields";
    public static final String VALUE = "vigil.first_seen.value";
    public static final String KNOWN_VALUES = "vigil.first_seen.known_values";
    public static final String LEARNING_SINCE = "vigil.first_seen.learning_since";

    /** The state's names: each value of a key with when it was last seen, and the rest of the key's history. */
    public static final String VALUES_STATE = "first-seen-values";
    public static final String KEY_STATE = "first-seen-key";

    private final HashMap<String, FirstSeenRule> rules = new HashMap<>();
    /** What the alerts say of their rule; built on each task (ContextRule is not serializable). */
    private transient HashMap<String, ContextRule> alertRules;
    private final long longestRetention;

    private transient MapState<String, Long> values;
    private transient ValueState<FirstSeenKeyState> keyState;
    private transient Counter alerts;
    private transient Counter dropped;

    /** @param rules the rules, each with its retention resolved (above zero) */
    public FirstSeenFunction(List<FirstSeenRule> rules) {
        long longest = 0;
        for (FirstSeenRule r : rules) {
            if (r.retentionMs() <= 0) {
                throw new IllegalArgumentException("first-seen rule " + r.id() + " has no retention");
            }
            this.rules.put(r.id(), r);
            longest = Math.max(longest, r.retentionMs());
        }
        this.longestRetention = longest;
    }

    @Override
    public void open(OpenContext openContext) {
        alertRules = new HashMap<>();
        for (FirstSeenRule r : rules.values()) {
            alertRules.put(r.id(), new ContextRule(r.id(), r.version(), r.name(), r.description(), r.severity(),
                    r.riskScore(), r.tactics(), r.techniques(), r.tags()));
        }
        StateTtlConfig ttl = StateTtlConfig.newBuilder(Duration.ofMillis(2 * Math.max(longestRetention, 1)))
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupFullSnapshot()
                .build();
        MapStateDescriptor<String, Long> v = new MapStateDescriptor<>(VALUES_STATE, Types.STRING, Types.LONG);
        ValueStateDescriptor<FirstSeenKeyState> k = new ValueStateDescriptor<>(KEY_STATE,
                TypeInformation.of(FirstSeenKeyState.class));
        v.enableTimeToLive(ttl);
        k.enableTimeToLive(ttl);
        values = getRuntimeContext().getMapState(v);
        keyState = getRuntimeContext().getState(k);
        alerts = getRuntimeContext().getMetricGroup().counter("firstSeenAlerts");
        dropped = getRuntimeContext().getMetricGroup().counter("firstSeenValuesDropped");
    }

    @Override
    public void processElement(FirstSeenObservation o, Context ctx, Collector<Alert> out) throws Exception {
        FirstSeenRule rule = rules.get(o.ruleId());
        if (rule == null) {
            return;
        }
        long at = o.event().timestamp().toEpochMilli();
        Store store = new Store(ctx.timerService());
        int before = store.started() ? store.size() : 0;
        FirstSeenHistory.Verdict verdict = FirstSeenHistory.observe(rule, store, o.value(), at);
        if (verdict == FirstSeenHistory.Verdict.FULL) {
            dropped.inc();
        }
        if (verdict != FirstSeenHistory.Verdict.FULL) {
            store.scheduleCleanup(roundUp(store.lastSeen(o.value()) + rule.retentionMs()));
        }
        store.flush();
        if (verdict == FirstSeenHistory.Verdict.NEW) {
            alerts.inc();
            out.collect(alert(rule, o, before, store.state.learningStart));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        FirstSeenKeyState state = keyState.value();
        if (state == null || state.cleanupAt != timestamp) {
            return; // a timer replaced by an earlier one, or of a key forgotten since
        }
        FirstSeenRule rule = rules.get(ruleOf(ctx.getCurrentKey()));
        long retention = rule != null ? rule.retentionMs() : longestRetention;
        int left = 0;
        long next = Long.MAX_VALUE;
        List<String> expired = new ArrayList<>();
        for (Iterator<Map.Entry<String, Long>> it = values.iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            long expiry = e.getValue() + retention;
            if (expiry <= timestamp) {
                expired.add(e.getKey());
            } else {
                left++;
                next = Math.min(next, expiry);
            }
        }
        if (left == 0) {
            values.clear();
            keyState.clear();
            return;
        }
        for (String v : expired) {
            values.remove(v);
        }
        state.count = left;
        state.cleanupAt = roundUp(next);
        ctx.timerService().registerEventTimeTimer(state.cleanupAt);
        keyState.update(state);
    }

    private Alert alert(FirstSeenRule rule, FirstSeenObservation o, int knownBefore, long learningStart) {
        Map<String, String> context = new TreeMap<>();
        context.put(KEY_FIELDS, String.join(",", rule.keyFields()));
        context.put(KEY, o.key());
        context.put(VALUE_FIELDS, String.join(",", rule.valueFields()));
        context.put(VALUE, o.valueText());
        context.put(KNOWN_VALUES, String.valueOf(knownBefore));
        context.put(LEARNING_SINCE, Instant.ofEpochMilli(learningStart).toString());
        return ContextAlert.of(alertRules.get(rule.id()), rule.groupBy(), o.key() + " | " + o.valueText(),
                List.of(o.event()), context);
    }

    private static String ruleOf(String stateKey) {
        int slash = stateKey.indexOf('/');
        return slash < 0 ? stateKey : stateKey.substring(0, slash);
    }

    static long roundUp(long t) {
        long r = Math.floorMod(t, CLEANUP_GRANULARITY_MS);
        return r == 0 ? t : t - r + CLEANUP_GRANULARITY_MS;
    }

    /** The current key's history over its Flink state, its small part read once per call. */
    private final class Store implements FirstSeenHistory.Store {
        private final TimerService timers;
        private FirstSeenKeyState state;
        private boolean changed;

        Store(TimerService timers) throws Exception {
            this.timers = timers;
            this.state = keyState.value();
        }

        @Override
        public boolean started() {
            return state != null;
        }

        @Override
        public long learningStart() {
            return state.learningStart;
        }

        @Override
        public long lastActivity() {
            return state.lastActivity;
        }

        @Override
        public int size() {
            return state.count;
        }

        @Override
        public void start(long at) {
            state = new FirstSeenKeyState();
            state.learningStart = at;
            state.lastActivity = at;
            changed = true;
        }

        @Override
        public Long lastSeen(String value) throws Exception {
            return values.get(value);
        }

        @Override
        public void seen(String value, long at, boolean added) throws Exception {
            values.put(value, at);
            if (added) {
                state.count++;
            }
            state.lastActivity = Math.max(state.lastActivity, at);
            changed = true;
        }

        @Override
        public void clear() {
            if (state != null && state.cleanupAt != 0) {
                timers.deleteEventTimeTimer(state.cleanupAt);
            }
            values.clear();
            keyState.clear();
            state = null;
            changed = false;
        }

        /** Makes the clean-up timer fire no later than {@code at}. */
        void scheduleCleanup(long at) {
            if (state == null || (state.cleanupAt != 0 && state.cleanupAt <= at)) {
                return;
            }
            if (state.cleanupAt != 0) {
                timers.deleteEventTimeTimer(state.cleanupAt);
            }
            state.cleanupAt = at;
            timers.registerEventTimeTimer(at);
            changed = true;
        }

        void flush() throws Exception {
            if (changed && state != null) {
                keyState.update(state);
            }
        }
    }
}
