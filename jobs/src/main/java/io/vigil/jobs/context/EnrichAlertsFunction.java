package io.vigil.jobs.context;

import io.vigil.context.ContextSource;
import io.vigil.context.Enricher;
import io.vigil.model.Alert;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/** Adds context to every alert (what it touches: criticality, privileges) and its risk score (no live updates). */
public final class EnrichAlertsFunction extends RichMapFunction<Alert, Alert> {

    private static final long serialVersionUID = 1L;

    private final List<ContextSource> sources;
    private transient Enricher enricher;

    public EnrichAlertsFunction(List<ContextSource> sources) {
        this.sources = List.copyOf(sources);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        enricher = ContextParts.open(sources);
    }

    @Override
    public Alert map(Alert alert) {
        return ContextParts.enrich(enricher, alert);
    }
}
