package io.vigil.jobs.incident;

import io.vigil.model.Alert;
import io.vigil.model.Incident;
import io.vigil.model.TimelineEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
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
 * it parallelism 1): alerts are orders of magnitude fewer than events. An event-time timer at
 * each incident's window end forgets it (the one clean-up path).
 */
public final class AssembleIncidentsFunction extends KeyedProcessFunction<String, Alert, Incident> {

    private static final long serialVersionUID = 1L;

    /** The one key of incident assembly. */
    public static final String KEY = "incidents";

    public static final OutputTag<TimelineEntry> TIMELINE = new OutputTag<>("timeline", TypeInformation.of(TimelineEntry.class));

    private final IncidentAssembler assembler;

    private transient ListState<Alert> pending;
    private transient IncidentStore store;

    public AssembleIncidentsFunction(Duration window) {
        this.assembler = new IncidentAssembler(window);
    }

    @Override
    public void open(OpenContext openContext) {
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("pending-alerts", TypeInformation.of(Alert.class)));
        MapState<String, IncidentState> incidents = getRuntimeContext().getMapState(new MapStateDescriptor<>(
                "incidents", Types.STRING, TypeInformation.of(IncidentState.class)));
        MapState<String, String> keys = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("incident-keys", Types.STRING, Types.STRING));
        MapState<String, String> alerts = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("incident-alerts", Types.STRING, Types.STRING));
        store = new StateStore(incidents, keys, alerts);
    }

    @Override
    public void processElement(Alert alert, Context ctx, Collector<Incident> out) throws Exception {
        pending.add(alert);
        ctx.timerService().registerEventTimeTimer(alert.timestamp().toEpochMilli());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Incident> out) throws Exception {
        long upTo = Math.max(timestamp, ctx.timerService().currentWatermark());
        List<Alert> ready = new ArrayList<>();
        List<Alert> later = new ArrayList<>();
        for (Alert a : pending.get()) {
            (a.timestamp().toEpochMilli() <= upTo ? ready : later).add(a);
        }
        if (!ready.isEmpty()) {
            ready.sort(Comparator.comparing(Alert::timestamp).thenComparing(Alert::id));
            pending.update(later);
            IncidentAssembler.Output output = new IncidentAssembler.Output() {
                @Override
                public void incident(Incident incident) {
                    out.collect(incident);
                    if (incident.mergedInto() == null) {
                        ctx.timerService().registerEventTimeTimer(assembler.closesAt(incident.lastSeen().toEpochMilli()));
                    }
                }

                @Override
                public void timeline(TimelineEntry entry) {
                    ctx.output(TIMELINE, entry);
                }
            };
            for (Alert a : ready) {
                assembler.accept(a, store, output);
            }
        }
        // expiry by the timer's own time: in a bounded run the watermark is already at its end
        assembler.expire(timestamp, store);
    }

    /** The store on Flink keyed state. */
    private record StateStore(MapState<String, IncidentState> open, MapState<String, String> keys,
                              MapState<String, String> alerts) implements IncidentStore {
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
        public Iterable<IncidentState> incidents() throws Exception {
            return open.values();
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
    }
}
