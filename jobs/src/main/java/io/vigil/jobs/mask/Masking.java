package io.vigil.jobs.mask;

import io.vigil.model.Alert;
import io.vigil.model.DeadLetter;
import io.vigil.model.SecurityEvent;
import io.vigil.model.mask.MaskingPolicy;
import org.apache.flink.streaming.api.datastream.DataStream;

/** The masking operators of the topology, each with its name and stable uid. */
public final class Masking {

    public static final String EVENTS_UID = "mask-events";
    public static final String ALERTS_UID = "mask-alerts";
    public static final String SHADOW_ALERTS_UID = "mask-shadow-alerts";
    public static final String DEAD_LETTERS_UID = "mask-dead-letters";

    private Masking() {}

    public static DataStream<SecurityEvent> events(DataStream<SecurityEvent> events, MaskingPolicy policy) {
        return events.map(new MaskFunction.Events(policy)).returns(events.getType())
                .name("mask events").uid(EVENTS_UID);
    }

    public static DataStream<Alert> alerts(DataStream<Alert> alerts, MaskingPolicy policy) {
        return alerts.map(new MaskFunction.Alerts(policy, MaskCounters.ALERTS)).returns(alerts.getType())
                .name("mask alerts").uid(ALERTS_UID);
    }

    public static DataStream<Alert> shadowAlerts(DataStream<Alert> alerts, MaskingPolicy policy) {
        return alerts.map(new MaskFunction.Alerts(policy, MaskCounters.SHADOW_ALERTS)).returns(alerts.getType())
                .name("mask shadow alerts").uid(SHADOW_ALERTS_UID);
    }

    public static DataStream<DeadLetter> deadLetters(DataStream<DeadLetter> letters, MaskingPolicy policy) {
        return letters.map(new MaskFunction.DeadLetters(policy)).returns(letters.getType())
                .name("mask dead letters").uid(DEAD_LETTERS_UID);
    }
}
