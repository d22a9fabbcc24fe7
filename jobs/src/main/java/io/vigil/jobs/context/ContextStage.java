package io.vigil.jobs.context;

import io.vigil.context.ContextUpdate;
import io.vigil.model.Alert;
import io.vigil.model.SecurityEvent;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The context operators of the topology: events enriched after decoding (before event time is
 * assigned, so the updates' stream never touches the events' watermarks), and alerts enriched
 * after detection, before incidents, webhooks and the alert outputs.
 */
public final class ContextStage {

    /** Stable operator ids: state and savepoints refer to these. */
    public static final String ENRICH_EVENTS_UID = "enrich-events";
    public static final String ENRICH_ALERTS_UID = "enrich-alerts";

    private ContextStage() {}

    /** {@code events} enriched by the settings' sources and, when not {@code null}, the live {@code updates}. */
    public static DataStream<SecurityEvent> events(DataStream<SecurityEvent> events, ContextSettings settings,
                                                   DataStream<ContextUpdate> updates) {
        if (updates == null) {
            return settings.sources().isEmpty() ? events
                    : events.map(new EnrichEventsFunction(settings.sources())).name("enrich events")
                            .uid(ENRICH_EVENTS_UID);
        }
        return events.connect(updates.broadcast(ContextParts.TABLES))
                .process(new LiveEnrichEventsFunction(settings.sources())).name("enrich events").uid(ENRICH_EVENTS_UID);
    }

    /**
     * {@code alerts} with context and risk score; {@code updates} must not hold back watermarks
     * (the incidents downstream run on event time).
     */
    public static DataStream<Alert> alerts(DataStream<Alert> alerts, ContextSettings settings,
                                           DataStream<ContextUpdate> updates) {
        if (updates == null) {
            return settings.sources().isEmpty() ? alerts
                    : alerts.map(new EnrichAlertsFunction(settings.sources())).name("enrich alerts")
                            .uid(ENRICH_ALERTS_UID);
        }
        return alerts.connect(updates.broadcast(ContextParts.TABLES))
                .process(new LiveEnrichAlertsFunction(settings.sources())).name("enrich alerts").uid(ENRICH_ALERTS_UID);
    }
}
