package io.vigil.connectors.webhook;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers webhook requests, keyed by endpoint name: each endpoint's queue is Flink keyed state
 * (so pending deliveries and their retry counts survive a restart), requests go out
 * asynchronously, and processing-time timers pick up results and send retries when they are due.
 * Every attempt is emitted; deliveries given up go to {@link #DEAD}.
 *
 * <p>The operator never waits for an endpoint: a slow or dead endpoint fills its own queue (then
 * dead-letters), while detection and the other endpoints go on. State has no TTL on purpose:
 * entries leave by delivery or dead letter, and the queue is bounded by {@code max-pending}, of
 * which the urgent reserve only urgent requests may fill. The requests in state keep their
 * priority, so after a restore urgent ones are still sent first and the reserve still holds.
 *
 * <p>With {@link #outcomeMetrics(String)}, every attempt is counted by its outcome (a closed set:
 * {@link #OUTCOMES}) in the counter {@value #METRIC_DELIVERIES} under {@code group/outcome=<outcome>}.
 */
public final class WebhookDeliveryFunction extends KeyedProcessFunction<String, WebhookRequest, DeliveryAttempt> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveryFunction.class);

    /** Deliveries given up: refused, rejected by the endpoint, or out of retries. */
    public static final OutputTag<DeadDelivery> DEAD = new OutputTag<>("webhook-dead-letters",
            TypeInformation.of(DeadDelivery.class));

    /** The counter of attempts per outcome, and its label. */
    public static final String METRIC_DELIVERIES = "webhookDeliveries";
    public static final String OUTCOME = "outcome";
    /** Every outcome an attempt can have. */
    public static final List<String> OUTCOMES = List.of(DeliveryAttempt.DELIVERED, DeliveryAttempt.RETRYING,
            DeliveryAttempt.FAILED, DeliveryAttempt.EXHAUSTED, DeliveryAttempt.REFUSED);

    private final Map<String, WebhookTarget> targets;
    private final EnvironmentLookup env;
    private String metricGroup;

    private transient MapState<String, PendingDelivery> pending;
    private transient ValueState<Integer> count;
    private transient Map<String, DeliveryEngine> engines;
    private transient Map<String, Long> nextTimer;
    private transient DeliveryEngine.Store store;
    private transient Map<String, Counter> outcomes;

    /** How environment variables are read where the operator runs (a seam for tests). */
    @FunctionalInterface
    public interface EnvironmentLookup extends Function<String, String>, java.io.Serializable {
        EnvironmentLookup SYSTEM = System::getenv;
    }

    public WebhookDeliveryFunction(List<WebhookTarget> targets) {
        this(targets, EnvironmentLookup.SYSTEM);
    }

    public WebhookDeliveryFunction(List<WebhookTarget> targets, EnvironmentLookup env) {
        Map<String, WebhookTarget> byName = new LinkedHashMap<>();
        for (WebhookTarget t : targets) {
            if (byName.put(t.name(), t) != null) {
                throw new IllegalArgumentException("two webhook endpoints named " + t.name());
            }
        }
        this.targets = byName;
        this.env = Objects.requireNonNull(env, "env");
    }

    /** Counts the attempts per outcome under {@code group} of the operator's metric group; returns this. */
    public WebhookDeliveryFunction outcomeMetrics(String group) {
        this.metricGroup = Objects.requireNonNull(group, "group");
        return this;
    }

    @Override
    public void open(OpenContext context) {
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-deliveries", Types.STRING,
                TypeInformation.of(PendingDelivery.class)));
        count = getRuntimeContext().getState(new ValueStateDescriptor<>("pending-count", Types.INT));
        engines = new HashMap<>();
        nextTimer = new HashMap<>();
        store = new StateStore();
        outcomes = new HashMap<>();
        if (metricGroup != null) {
            MetricGroup group = getRuntimeContext().getMetricGroup().addGroup(metricGroup);
            for (String outcome : OUTCOMES) {
                outcomes.put(outcome, group.addGroup(OUTCOME, outcome).counter(METRIC_DELIVERIES));
            }
        }
        for (WebhookTarget t : targets.values()) {
            // fail at start, naming the missing variable, rather than at the first alert
            engines.put(t.name(), new DeliveryEngine(new WebhookClient(t.resolve(env)),
                    () -> ThreadLocalRandom.current().nextDouble()));
        }
    }

    @Override
    public void processElement(WebhookRequest request, Context ctx, Collector<DeliveryAttempt> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        Outputs outputs = new Outputs(ctx, out, outcomes);
        DeliveryEngine engine = engines.get(ctx.getCurrentKey());
        if (engine == null) {
            refuse(request, now, outputs, "webhook endpoint '" + ctx.getCurrentKey() + "' is not configured");
            return;
        }
        engine.offer(store, request, now, outputs);
        schedule(ctx, engine.pump(store, now, outputs), now);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DeliveryAttempt> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        String endpoint = ctx.getCurrentKey();
        Outputs outputs = new Outputs(ctx, out, outcomes);
        if (nextTimer.getOrDefault(endpoint, Long.MIN_VALUE) <= timestamp) {
            nextTimer.remove(endpoint);
        }
        DeliveryEngine engine = engines.get(endpoint);
        if (engine == null) {
            // restored state of an endpoint removed from the configuration: give its deliveries up, kept
            List<PendingDelivery> left = new ArrayList<>();
            store.all().forEach(left::add);
            for (PendingDelivery p : left) {
                store.remove(p.request.idempotencyKey());
                refuse(p.request, now, outputs, "webhook endpoint '" + endpoint + "' is no longer configured");
            }
            return;
        }
        schedule(ctx, engine.pump(store, now, outputs), now);
    }

    private void refuse(WebhookRequest request, long now, Outputs outputs, String reason) {
        LOG.warn("{}: dead-lettering delivery {}", reason, request.idempotencyKey());
        DeliveryEngine.refuse(request, now, reason, outputs);
    }

    /** One timer per endpoint at a time, at the earliest time the engine asked for. */
    private void schedule(Context ctx, long wake, long now) {
        if (wake == Long.MAX_VALUE) {
            return;
        }
        String endpoint = ctx.getCurrentKey();
        long at = Math.max(wake, now + 1);
        Long registered = nextTimer.get(endpoint);
        if (registered == null || at < registered) {
            ctx.timerService().registerProcessingTimeTimer(at);
            nextTimer.put(endpoint, at);
        }
    }

    @Override
    public void close() throws Exception {
        if (engines != null) {
            engines.values().forEach(e -> e.close());
        }
        super.close();
    }

    /** The current endpoint's queue in keyed state, with its size kept beside it. */
    private final class StateStore implements DeliveryEngine.Store {
        @Override
        public PendingDelivery get(String key) throws Exception {
            return pending.get(key);
        }

        @Override
        public void put(String key, PendingDelivery delivery) throws Exception {
            if (!pending.contains(key)) {
                count.update(size() + 1);
            }
            pending.put(key, delivery);
        }

        @Override
        public void remove(String key) throws Exception {
            if (pending.contains(key)) {
                pending.remove(key);
                int left = size() - 1;
                if (left <= 0) {
                    count.clear();
                } else {
                    count.update(left);
                }
            }
        }

        @Override
        public Iterable<PendingDelivery> all() throws Exception {
            return pending.values();
        }

        @Override
        public int size() throws Exception {
            Integer n = count.value();
            return n == null ? 0 : n;
        }
    }

    private static final class Outputs implements DeliveryEngine.Outputs {
        private final Context ctx;
        private final Collector<DeliveryAttempt> out;
        private final Map<String, Counter> outcomes;

        Outputs(Context ctx, Collector<DeliveryAttempt> out, Map<String, Counter> outcomes) {
            this.ctx = ctx;
            this.out = out;
            this.outcomes = outcomes;
        }

        @Override
        public void attempt(DeliveryAttempt attempt) {
            Counter c = outcomes.get(attempt.outcome());
            if (c != null) {
                c.inc();
            }
            out.collect(attempt);
        }

        @Override
        public void dead(DeadDelivery dead) {
            ctx.output(DEAD, dead);
        }
    }
}
