package io.vigil.jobs.context;

import io.vigil.context.ContextUpdate;
import io.vigil.model.Alert;
import io.vigil.model.SecurityEvent;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * A detection that is not a rule of the pack but a use of context: an indicator matched, an
 * impossible journey, a value seen for the first time. It builds its own operators (each with a
 * name and a stable uid) over the enriched events and returns its alerts, which join the rules'
 * alerts before incidents, webhooks and the alert outputs.
 */
public interface ContextAlerts {

    /**
     * The alerts over {@code events} (enriched, with event-time timestamps and watermarks) and, when
     * the job has a context feed, its {@code updates} ({@code null} otherwise). A stream built from
     * {@code updates} alone must not hold back watermarks (use {@code LiveDetection.neverHoldsBack()}).
     */
    DataStream<Alert> build(DataStream<SecurityEvent> events, DataStream<ContextUpdate> updates);
}
