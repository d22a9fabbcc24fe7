package io.vigil.jobs.context;

import io.vigil.context.ContextSource;
import java.util.List;

/**
 * The context stage of a job: the tables events and alerts are enriched with ({@code sources},
 * read on each task), where live updates of them come from ({@code feed}, or {@code null}), and
 * the detections that use them ({@code alerts}).
 */
public record ContextSettings(List<ContextSource> sources, ContextFeed feed, List<ContextAlerts> alerts) {

    public static final ContextSettings NONE = new ContextSettings(List.of(), null, List.of());

    public ContextSettings {
        sources = List.copyOf(sources);
        alerts = List.copyOf(alerts);
    }

    public boolean isEmpty() {
        return sources.isEmpty() && feed == null && alerts.isEmpty();
    }
}
