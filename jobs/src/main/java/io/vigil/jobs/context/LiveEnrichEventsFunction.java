package io.vigil.jobs.context;

import io.vigil.context.ContextSource;
import io.vigil.context.ContextUpdate;
import io.vigil.context.Enricher;
import io.vigil.model.SecurityEvent;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Enriches every event with the configured context tables and the live ones of the context feed:
 * each update replaces its table (kind and name) on every task, and is kept in broadcast state so
 * a restore has the tables again before its first event.
 */
public final class LiveEnrichEventsFunction extends BroadcastProcessFunction<SecurityEvent, ContextUpdate, SecurityEvent> {

    private static final long serialVersionUID = 1L;

    private final List<ContextSource> sources;
    private transient Enricher enricher;
    private transient boolean replayed;

    public LiveEnrichEventsFunction(List<ContextSource> sources) {
        this.sources = List.copyOf(sources);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        enricher = ContextParts.open(sources);
        replayed = false;
        getRuntimeContext().getMetricGroup().gauge("contextFailures", () -> enricher.failures());
    }

    @Override
    public void processElement(SecurityEvent event, ReadOnlyContext ctx, Collector<SecurityEvent> out) throws Exception {
        if (!replayed) {
            ContextParts.replay(enricher, ctx.getBroadcastState(ContextParts.TABLES));
            replayed = true;
        }
        out.collect(enricher.enrich(event));
    }

    @Override
    public void processBroadcastElement(ContextUpdate update, Context ctx, Collector<SecurityEvent> out) throws Exception {
        if (!replayed) {
            ContextParts.replay(enricher, ctx.getBroadcastState(ContextParts.TABLES));
            replayed = true;
        }
        if (ContextParts.apply(enricher, update)) {
            ctx.getBroadcastState(ContextParts.TABLES).put(update.key(), update);
        }
    }
}
