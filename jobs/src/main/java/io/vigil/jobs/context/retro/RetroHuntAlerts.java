package io.vigil.jobs.context.retro;

import io.vigil.context.ContextUpdate;
import io.vigil.jobs.context.ContextAlerts;
import io.vigil.jobs.live.LiveDetection;
import io.vigil.model.Alert;
import io.vigil.model.SecurityEvent;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The retro-hunt as a context detection: over the context updates only (not the events), at
 * parallelism 1 (updates are few; the searches are the cost). Its alerts carry the past event's
 * time and never hold back a watermark.
 */
public final class RetroHuntAlerts implements ContextAlerts {

    public static final String HUNT_UID = "context-retro-hunt";
    public static final String TIME_UID = "context-retro-hunt-time";

    private final RetroHuntSettings settings;
    private final RetroSearch.Factory searches;
    private final IndicatorParser parser;

    public RetroHuntAlerts(RetroHuntSettings settings, RetroSearch.Factory searches, IndicatorParser parser) {
        this.settings = settings;
        this.searches = searches;
        this.parser = parser;
    }

    @Override
    public DataStream<Alert> build(DataStream<SecurityEvent> events, DataStream<ContextUpdate> updates) {
        if (updates == null) {
            throw new IllegalStateException("the retro-hunt needs the context control topic (enrich.control-topic)");
        }
        WatermarkStrategy<Alert> time = LiveDetection.<Alert>neverHoldsBack()
                .withTimestampAssigner((a, previous) -> a.timestamp().toEpochMilli());
        return updates
                .keyBy(ContextUpdate::key, Types.STRING)
                .process(new RetroHuntFunction(settings, searches, parser), TypeInformation.of(Alert.class))
                .name("retro-hunt").uid(HUNT_UID).setParallelism(1)
                .assignTimestampsAndWatermarks(time).name("retro-hunt time").uid(TIME_UID).setParallelism(1);
    }
}
