package io.vigil.jobs.incident;

import io.vigil.model.Alert;
import io.vigil.model.Incident;
import io.vigil.model.TimelineEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Incident assembly in the stream: alerts wait in state until the watermark passes them, then
 * go to the {@link IncidentAssembler} in time order (ties by alert id), so that the stream and a
 * replay build the same incidents. Incident versions are the main output, timeline entries a side
 * output.
 *
 * <p>Incidents join alerts across every entity, so the function runs on one key (the job gives
 * it parallelism 1): alerts are orders of magnitude fewer than events. Alerts wait under their
 * time, and each event-time timer takes only the alerts of its time and the incidents filed to
 * close then (the one clean-up path), so an alert costs the same with ten or ten thousand open
 * incidents. The indexes of entity keys and alerts also have a state TTL of twice the window: a
 * backstop for the entries beyond what one incident lists ({@link IncidentState#MAX_LISTED_KEYS}).
 */
public final class AssembleIncidentsFunction extends KeyedProcessFunction<String, Alert, Incident> {

    private static final long serialVersionUID = 1L;

    /** The one key of incident assembly. */
    public static final String KEY = "incidents";

    public static final OutputTag<TimelineEntry> TIMELINE = new OutputTag<>("timeline", TypeInformation.of(TimelineEntry.class));

    private static final Comparator<Alert> ORDER = Comparator.comparing(Alert::timestamp).thenComparing(Alert::id)
            .thenComparingLong(Alert::suppressedCount);

    private final IncidentAssembler assembler;
    private final Duration stateTtl;
    private final IncidentStatusSource statuses;
    private final Duration statusTtl;

    private transient MapState<Long, List<Alert>> pending;
    private transient IncidentStore store;
    private transient IncidentStatusSource.Reader statusReader;
    private transient ClosedIncidents closedIncidents;

    /** Assembly that knows nothing of analysts (a replay without Elasticsearch). */
    public AssembleIncidentsFunction(Duration window) {
        this(window, null, null);
    }

    /**
     * @param statuses where incidents' statuses are read, so that an alert after an incident was
     *     closed continues it in a new incident; {@code null} for none
     * @param statusTtl how long a status read is trusted, and how long reads pause after one failed
     */
    public AssembleIncidentsFunction(Duration window, IncidentStatusSource statuses, Duration statusTtl) {
        this.assembler = new IncidentAssembler(window);
        this.stateTtl = window.multipliedBy(2);
        this.statuses = statuses;
        this.statusTtl = statusTtl;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-alerts-by-time", Types.LONG,
                Types.LIST(TypeInformation.of(Alert.class))));
        MapStateDescriptor<String, IncidentState> incidents = new MapStateDescriptor<>(
                "incidents", Types.STRING, TypeInformation.of(IncidentState.class));
        MapStateDescriptor<String, String> keys = new MapStateDescriptor<>("incident-keys", Types.STRING, Types.STRING);
        MapStateDescriptor<String, String> alerts = new MapStateDescriptor<>("incident-alerts", Types.STRING, Types.STRING);
        MapStateDescriptor<Long, List<String>> closing = new MapStateDescriptor<>("incidents-closing", Types.LONG,
                Types.LIST(Types.STRING));
        StateTtlConfig ttl = ttl(stateTtl);
        incidents.enableTimeToLive(ttl);
        keys.enableTimeToLive(ttl);
        alerts.enableTimeToLive(ttl);
        closing.enableTimeToLive(ttl);
        store = new StateStore(getRuntimeContext().getMapState(incidents), getRuntimeContext().getMapState(keys),
                getRuntimeContext().getMapState(alerts), getRuntimeContext().getMapState(closing));
        if (statuses == null) {
            closedIncidents = ClosedIncidents.NONE;
        } else {
            statusReader = statuses.open();
            CachedIncidentStatus cached = new CachedIncidentStatus(statusReader, statusTtl, System::nanoTime);
            MetricGroup metrics = getRuntimeContext().getMetricGroup();
            metrics.gauge("incidentStatusReads", (Gauge<Long>) cached::reads);
            metrics.gauge("incidentStatusFailures", (Gauge<Long>) cached::failures);
            // incidents counted as open because Elasticsearch did not answer
            metrics.gauge("incidentStatusAssumedOpen", (Gauge<Long>) cached::assumedOpen);
            closedIncidents = cached;
        }
    }

    @Override
    public void close() throws Exception {
        if (statusReader != null) {
            statusReader.close();
        }
        super.close();
    }

    /** A backstop only: the timers forget incidents; this forgets what no incident lists any more. */
    static StateTtlConfig ttl(Duration ttl) {
        return StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupFullSnapshot()
                .build();
    }

    @Override
    public void processElement(Alert alert, Context ctx, Collector<Incident> out) throws Exception {
        long t = alert.timestamp().toEpochMilli();
        List<Alert> atT = pending.get(t);
        if (atT == null) {
            atT = new ArrayList<>(1);
            // a time the watermark passed already (an alert emitted again when its suppression
            // ended) fires with the next watermark
            ctx.timerService().registerEventTimeTimer(t);
        }
        atT.add(alert);
        pending.put(t, atT);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Incident> out) throws Exception {
        List<Alert> ready = pending.get(timestamp);
        if (ready != null) {
            pending.remove(timestamp);
            ready.sort(ORDER);
            // at the end of the input nothing needs forgetting, and a bounded (batch) run ignores
            // timers set by timers: an incident's window is then kept by accept's own check
            boolean expires = ctx.timerService().currentWatermark() != Long.MAX_VALUE;
            IncidentAssembler.Output output = new IncidentAssembler.Output() {
                @Override
                public void incident(Incident incident) {
                    out.collect(incident);
                    if (expires && incident.mergedInto() == null) {
                        ctx.timerService().registerEventTimeTimer(assembler.closesAt(incident.lastSeen().toEpochMilli()));
                    }
                }

                @Override
                public void timeline(TimelineEntry entry) {
                    ctx.output(TIMELINE, entry);
                }
            };
            for (Alert a : ready) {
                assembler.accept(a, store, closedIncidents, output);
            }
        }
        // the incidents filed to close at this time: in a bounded run too, where the watermark is already at its end
        assembler.expire(timestamp, store);
    }

    /** The store on Flink keyed state. */
    private record StateStore(MapState<String, IncidentState> open, MapState<String, String> keys,
                              MapState<String, String> alerts, MapState<Long, List<String>> closing)
            implements IncidentStore {
        @Override
        public IncidentState incident(String id) throws Exception {
            return open.get(id);
        }

        @Override
        public void put(IncidentState incident) throws Exception {
            open.put(incident.id, incident);
        }

        @Override
        public void remove(String id) throws Exception {
            open.remove(id);
        }

        @Override
        public String incidentOfKey(String key) throws Exception {
            return keys.get(key);
        }

        @Override
        public void link(String key, String incidentId) throws Exception {
            keys.put(key, incidentId);
        }

        @Override
        public void unlink(String key) throws Exception {
            keys.remove(key);
        }

        @Override
        public String incidentOfAlert(String alertId) throws Exception {
            return alerts.get(alertId);
        }

        @Override
        public void alertAssigned(String alertId, String incidentId) throws Exception {
            alerts.put(alertId, incidentId);
        }

        @Override
        public void alertForgotten(String alertId) throws Exception {
            alerts.remove(alertId);
        }

        @Override
        public void closesAt(long at, String incidentId) throws Exception {
            List<String> ids = closing.get(at);
            if (ids == null) {
                ids = new ArrayList<>(1);
            } else if (ids.contains(incidentId)) {
                return;
            }
            ids.add(incidentId);
            closing.put(at, ids);
        }

        @Override
        public void notClosingAt(long at, String incidentId) throws Exception {
            List<String> ids = closing.get(at);
            if (ids != null && ids.remove(incidentId)) {
                if (ids.isEmpty()) {
                    closing.remove(at);
                } else {
                    closing.put(at, ids);
                }
            }
        }

        @Override
        public List<String> takeClosingAt(long at) throws Exception {
            List<String> ids = closing.get(at);
            if (ids == null) {
                return List.of();
            }
            closing.remove(at);
            return ids;
        }
    }
}
