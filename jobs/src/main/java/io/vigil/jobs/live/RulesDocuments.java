package io.vigil.jobs.live;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.EcsJson;
import java.time.Instant;

/**
 * The documents of the {@code vigil-rules} index: one per control record's {@link RuleOutcome}
 * ({@code vigil.rules.doc: outcome}, under the record's id). docs/rule-lifecycle.md lists the
 * fields; {@code vigil rules status} reads them.
 */
public final class RulesDocuments {

    /** Values of {@code vigil.rules.doc}. */
    public static final String OUTCOME = "outcome";
    public static final String STATS = "stats";

    private RulesDocuments() {}

    /** The outcome document. */
    public static String write(RuleOutcome o) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("@timestamp", Instant.ofEpochMilli(o.at()).toString());
        ObjectNode r = doc.putObject("vigil").putObject("rules");
        r.put("doc", OUTCOME);
        r.put("record_id", o.recordId());
        r.put("kind", o.kind());
        r.put("slot", o.slot());
        r.put("version", o.version());
        putIfSet(r, "digest", o.digest());
        putIfSet(r, "author", o.author());
        putIfSet(r, "description", o.description());
        putIfSet(r, "actor", o.actor());
        r.put("effective_at", Instant.ofEpochMilli(o.effectiveAt()).toString());
        r.put("outcome", o.outcome());
        putIfSet(r, "step", o.step());
        putIfSet(r, "reason", o.reason());
        r.put("rule_count", o.rules().size());
        ArrayNode rules = r.putArray("rules");
        o.rules().forEach(rules::add);
        r.put("exception_count", o.exceptionCount());
        return EcsJson.toJson(doc);
    }

    private static void putIfSet(ObjectNode node, String key, String value) {
        if (value != null) {
            node.put(key, value);
        }
    }
}
