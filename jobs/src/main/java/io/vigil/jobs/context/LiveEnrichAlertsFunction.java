package io.vigil.jobs.context;

import io.vigil.context.ContextSource;
import io.vigil.context.ContextUpdate;
import io.vigil.context.Enricher;
import io.vigil.model.Alert;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/** As {@link EnrichAlertsFunction}, with the live tables of the context feed (as {@link LiveEnrichEventsFunction}). */
public final class LiveEnrichAlertsFunction extends BroadcastProcessFunction<Alert, ContextUpdate, Alert> {

    private static final long serialVersionUID = 1L;

    private final List<ContextSource> sources;
    private transient Enricher enricher;
    private transient boolean replayed;

    public LiveEnrichAlertsFunction(List<ContextSource> sources) {
        this.sources = List.copyOf(sources);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        enricher = ContextParts.open(sources);
        replayed = false;
    }

    @Override
    public void processElement(Alert alert, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        if (!replayed) {
            ContextParts.replay(enricher, ctx.getBroadcastState(ContextParts.TABLES));
            replayed = true;
        }
        out.collect(ContextParts.enrich(enricher, alert));
    }

    @Override
    public void processBroadcastElement(ContextUpdate update, Context ctx, Collector<Alert> out) throws Exception {
        if (!replayed) {
            ContextParts.replay(enricher, ctx.getBroadcastState(ContextParts.TABLES));
            replayed = true;
        }
        if (ContextParts.apply(enricher, update)) {
            ctx.getBroadcastState(ContextParts.TABLES).put(update.key(), update);
        }
    }
}
