package io.vigil.jobs.context;

import io.vigil.context.ContextUpdate;
import io.vigil.context.travel.ImpossibleTravel;
import io.vigil.context.travel.SignIn;
import io.vigil.model.Alert;
import io.vigil.model.SecurityEvent;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Impossible travel as a context detection: the successful sign-ins with a place (GeoIP's
 * {@code source.geo.location}), keyed by user, through {@link ImpossibleTravelFunction}.
 */
public final class ImpossibleTravelAlerts implements ContextAlerts {

    public static final String SIGN_INS_UID = "impossible-travel-sign-ins";
    public static final String UID = "impossible-travel";

    private final ImpossibleTravel rule;

    public ImpossibleTravelAlerts(ImpossibleTravel rule) {
        this.rule = rule;
    }

    @Override
    public DataStream<Alert> build(DataStream<SecurityEvent> events, DataStream<ContextUpdate> updates) {
        // the sign-ins keep their event-time timestamps; events that are none are dropped here
        DataStream<SignIn> signIns = events
                .flatMap((SecurityEvent e, org.apache.flink.util.Collector<SignIn> out) -> {
                    SignIn s = SignIn.of(e);
                    if (s != null) {
                        out.collect(s);
                    }
                }, TypeInformation.of(SignIn.class))
                .name("impossible travel: sign-ins").uid(SIGN_INS_UID);
        return signIns.keyBy(SignIn::userKey, Types.STRING)
                .process(new ImpossibleTravelFunction(rule), TypeInformation.of(Alert.class))
                .name("impossible travel").uid(UID);
    }
}
