package io.vigil.jobs.context;

import io.vigil.context.ContextUpdate;
import io.vigil.model.Alert;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.firstseen.FirstSeenRule;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The first-seen rules' alerts: the observations of each event ({@link FirstSeenObserveFunction}),
 * keyed by rule and key into their history ({@link FirstSeenFunction}). Takes no live updates.
 */
public final class FirstSeenAlerts implements ContextAlerts {

    public static final String OBSERVE_UID = "first-seen-observe";

    private final List<FirstSeenRule> rules;

    /** @param rules the rules, each with its retention resolved */
    public FirstSeenAlerts(List<FirstSeenRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public List<FirstSeenRule> rules() {
        return rules;
    }

    @Override
    public DataStream<Alert> build(DataStream<SecurityEvent> events, DataStream<ContextUpdate> updates) {
        return events.flatMap(new FirstSeenObserveFunction(rules), TypeInformation.of(FirstSeenObservation.class))
                .name("first-seen observe").uid(OBSERVE_UID)
                .keyBy(FirstSeenObservation::stateKey, Types.STRING)
                .process(new FirstSeenFunction(rules), TypeInformation.of(Alert.class))
                .name("first seen").uid(FirstSeenFunction.UID);
    }
}
