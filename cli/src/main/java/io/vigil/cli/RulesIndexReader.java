package io.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.connectors.elasticsearch.IndexTemplates;
import io.vigil.jobs.live.RulesDocuments;
import io.vigil.model.EcsJson;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

/**
 * Reads what the job reports about live rules: the {@code vigil-rules} documents (one outcome per
 * control record, per-rule numbers per slot and subtask) and alert counts per rule. Documents are
 * told apart here, not by queries on their fields, so the reader does not depend on how the index
 * maps them.
 */
final class RulesIndexReader {

    static final String RULES_INDEX = IndexTemplates.RULES;
    static final String LIVE_ALERTS = IndexTemplates.ALERTS + "-*";
    static final String SHADOW_ALERTS = IndexTemplates.SHADOW_ALERTS + "-*";
    /** Documents read at most: outcomes are one per control record, stats one per slot, subtask and rule. */
    static final int MAX_DOCS = 10_000;
    /** Distinct rule ids counted at most per alert index pattern. */
    static final int MAX_RULES = 10_000;

    /** The rule numbers of one rule in one slot, summed over subtasks. */
    record RuleNumbers(String ruleId, String ruleVersion, long hits, long excepted, long errors, long evalNanos) {
        RuleNumbers plus(JsonNode r) {
            return new RuleNumbers(ruleId, ruleVersion == null ? text(r, "rule_version") : ruleVersion,
                    hits + r.path("hits").asLong(), excepted + r.path("excepted").asLong(),
                    errors + r.path("errors").asLong(), evalNanos + r.path("eval_nanos").asLong());
        }
    }

    private final RestClient rest;

    RulesIndexReader(RestClient rest) {
        this.rest = rest;
    }

    /** The {@code vigil.rules} object of every outcome document, newest first. */
    List<JsonNode> outcomes() throws IOException {
        List<JsonNode> outcomes = new ArrayList<>();
        for (JsonNode doc : rulesDocs()) {
            JsonNode r = doc.at("/vigil/rules");
            if (RulesDocuments.OUTCOME.equals(r.path("doc").asText())) {
                ObjectNode o = ((ObjectNode) r).deepCopy();
                o.put("@timestamp", doc.path("@timestamp").asText());
                outcomes.add(o);
            }
        }
        // newest first; a promote and its clear share a time: the clear (written second) first
        outcomes.sort((a, b) -> {
            int t = b.path("@timestamp").asText().compareTo(a.path("@timestamp").asText());
            return t != 0 ? t : Boolean.compare(!"clear".equals(a.path("kind").asText()),
                    !"clear".equals(b.path("kind").asText()));
        });
        return outcomes;
    }

    /** Per slot, per rule id: the numbers summed over the slot's subtasks. */
    Map<String, Map<String, RuleNumbers>> stats() throws IOException {
        Map<String, Map<String, RuleNumbers>> bySlot = new TreeMap<>();
        for (JsonNode doc : rulesDocs()) {
            JsonNode r = doc.at("/vigil/rules");
            if (RulesDocuments.STATS.equals(r.path("doc").asText())) {
                String rule = r.path("rule_id").asText();
                bySlot.computeIfAbsent(r.path("slot").asText(), s -> new TreeMap<>())
                        .merge(rule, new RuleNumbers(rule, null, 0, 0, 0, 0).plus(r), (a, b) -> a.plus(r));
            }
        }
        return bySlot;
    }

    /** Alerts per rule id in {@code indices}, those at or after {@code since} (null: all). */
    Map<String, Long> alertsByRule(String indices, Instant since) throws IOException {
        Request q = new Request("POST", "/" + indices + "/_search");
        q.addParameter("ignore_unavailable", "true");
        q.addParameter("allow_no_indices", "true");
        String query = since == null ? "{\"match_all\":{}}"
                : "{\"range\":{\"@timestamp\":{\"gte\":\"" + since + "\"}}}";
        q.setJsonEntity("{\"size\":0,\"track_total_hits\":false,\"query\":" + query + ",\"aggs\":{\"rules\":"
                + "{\"terms\":{\"field\":\"rule.id\",\"size\":" + MAX_RULES + "}}}}");
        JsonNode body = EcsJson.MAPPER.readTree(rest.performRequest(q).getEntity().getContent());
        Map<String, Long> counts = new TreeMap<>();
        body.at("/aggregations/rules/buckets").forEach(b -> counts.put(b.path("key").asText(),
                b.path("doc_count").asLong()));
        return counts;
    }

    private List<JsonNode> rulesDocs() throws IOException {
        Request q = new Request("POST", "/" + RULES_INDEX + "/_search");
        q.addParameter("ignore_unavailable", "true");
        q.addParameter("allow_no_indices", "true");
        q.setJsonEntity("{\"size\":" + MAX_DOCS + ",\"query\":{\"match_all\":{}}}");
        JsonNode body = EcsJson.MAPPER.readTree(rest.performRequest(q).getEntity().getContent());
        List<JsonNode> docs = new ArrayList<>();
        body.at("/hits/hits").forEach(h -> docs.add(h.path("_source")));
        return docs;
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }
}
