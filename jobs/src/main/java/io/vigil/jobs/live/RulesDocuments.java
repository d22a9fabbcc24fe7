package io.vigil.jobs.live;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.EcsJson;
import java.time.Instant;

/**
 * The documents of the {@code vigil-rules} index: one per control record's {@link RuleOutcome}
 * ({@code vigil.rules.doc: outcome}, under the record's id), and the per-rule numbers of each
 * evaluation subtask ({@code vigil.rules.doc: stats}). docs/rule-lifecycle.md lists the fields;
 * {@code vigil rules status} reads them.
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

    /** The id of a stats document: one per slot, subtask and rule, rewritten with each report. */
    public static String statsId(io.vigil.jobs.detect.RuleStatsReport r) {
        return "stats-" + r.slot() + "-" + r.subtask() + "-" + r.ruleId();
    }

    /** A stats document ({@code vigil.rules.doc: stats}). */
    public static String write(io.vigil.jobs.detect.RuleStatsReport r) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("@timestamp", Instant.ofEpochMilli(r.at()).toString());
        ObjectNode n = doc.putObject("vigil").putObject("rules");
        n.put("doc", STATS);
        n.put("slot", r.slot());
        n.put("subtask", r.subtask());
        n.put("rule_id", r.ruleId());
        n.put("hits", r.hits());
        n.put("excepted", r.excepted());
        n.put("errors", r.errors());
        n.put("eval_nanos", r.evalNanos());
        n.put("since", Instant.ofEpochMilli(r.since()).toString());
        return EcsJson.toJson(doc);
    }

    private static void putIfSet(ObjectNode node, String key, String value) {
        if (value != null) {
            node.put(key, value);
        }
    }
}
