package io.vigil.jobs.context;

import io.vigil.context.ContextSource;
import io.vigil.context.Enricher;
import io.vigil.model.SecurityEvent;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/** Enriches every event with the configured context tables (no live updates). */
public final class EnrichEventsFunction extends RichMapFunction<SecurityEvent, SecurityEvent> {

    private static final long serialVersionUID = 1L;

    private final List<ContextSource> sources;
    private transient Enricher enricher;

    public EnrichEventsFunction(List<ContextSource> sources) {
        this.sources = List.copyOf(sources);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        enricher = ContextParts.open(sources);
        getRuntimeContext().getMetricGroup().gauge("contextFailures", () -> enricher.failures());
    }

    @Override
    public SecurityEvent map(SecurityEvent event) {
        return enricher.enrich(event);
    }
}
