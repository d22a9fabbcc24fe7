package io.vigil.jobs.context;

import io.vigil.context.ContextPart;
import io.vigil.context.ContextSource;
import io.vigil.context.ContextUpdate;
import io.vigil.context.Enricher;
import io.vigil.context.assets.RiskScore;
import io.vigil.model.Alert;
import java.util.Map;
import java.util.TreeMap;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the enrichment operators share: opening the parts on a task, and the broadcast state of live
 * tables (the latest update of each kind and name), replayed into the parts once after a restore.
 */
final class ContextParts {

    private static final Logger LOG = LoggerFactory.getLogger(ContextParts.class);

    /** The latest update of each table, by {@link ContextUpdate#key()}: what a restore starts from. */
    static final MapStateDescriptor<String, ContextUpdate> TABLES = new MapStateDescriptor<>("context-tables",
            Types.STRING, TypeInformation.of(ContextUpdate.class));

    private ContextParts() {}

    static Enricher open(List<ContextSource> sources) throws IOException {
        List<ContextPart> parts = new ArrayList<>();
        for (ContextSource s : sources) {
            parts.add(s.open());
        }
        return new Enricher(parts);
    }

    /** Applies {@code update}; returns whether a part took it. A table that cannot be read is logged and skipped. */
    static boolean apply(Enricher enricher, ContextUpdate update) {
        try {
            boolean taken = enricher.update(update);
            if (!taken) {
                LOG.warn("context update {} ({}) is of a kind no configured part takes", update.key(), update.format());
            }
            return taken;
        } catch (IllegalArgumentException e) {
            LOG.warn("context update {} ({}) refused, the table in force is kept: {}", update.key(), update.format(),
                    e.getMessage());
            return false;
        }
    }

    /** {@code alert} with the parts' context fields and the risk score they give; unchanged when they know nothing. */
    static Alert enrich(Enricher enricher, Alert alert) {
        Map<String, String> fields = enricher.context(alert);
        if (fields.isEmpty()) {
            return alert;
        }
        Map<String, String> all = new TreeMap<>(alert.context());
        all.putAll(fields);
        return alert.withContext(fields, RiskScore.adjust(alert.riskScore(), all));
    }

    /** Replays the tables kept in broadcast state (after a restore) into the parts. */
    static void replay(Enricher enricher, ReadOnlyBroadcastState<String, ContextUpdate> tables) throws Exception {
        for (var e : tables.immutableEntries()) {
            apply(enricher, e.getValue());
        }
    }
}
