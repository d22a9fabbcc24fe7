package io.vigil.jobs.context;

import io.vigil.context.ContextUpdate;
import io.vigil.context.intel.IntelAlert;
import io.vigil.context.intel.IntelFields;
import io.vigil.jobs.context.intel.IntelAlertFunction;
import io.vigil.model.Alert;
import io.vigil.model.SecurityEvent;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The {@code threat-intel-match} detection: the events the intel part matched
 * ({@code threat.enrichments.matched.atomic}), keyed by indicator ({@code threat.indicator.name}) and host, one alert per key
 * per {@code enrich.intel.suppression} ({@link IntelAlertFunction}). The live feed's updates reach
 * the matching through the enrich-events operator, not here.
 */
public final class IntelAlerts implements ContextAlerts {

    public static final String MATCHES_UID = "intel-matches";
    public static final String ALERTS_UID = "intel-alerts";

    private final Duration suppression;

    public IntelAlerts(Duration suppression) {
        this.suppression = Objects.requireNonNull(suppression, "suppression");
    }

    @Override
    public DataStream<Alert> build(DataStream<SecurityEvent> events, DataStream<ContextUpdate> updates) {
        return events.filter(new Matched()).name("intel matches").uid(MATCHES_UID)
                .keyBy(new GroupKey(), Types.STRING)
                .process(new IntelAlertFunction(suppression)).name("threat intel alerts").uid(ALERTS_UID);
    }

    /** Events that matched an indicator. */
    static final class Matched implements FilterFunction<SecurityEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(SecurityEvent e) {
            return e.field(IntelFields.MATCHED_ATOMIC) != null;
        }
    }

    /** {@link IntelAlert#groupKey}. */
    static final class GroupKey implements KeySelector<SecurityEvent, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(SecurityEvent e) {
            return IntelAlert.groupKey(e);
        }
    }
}
