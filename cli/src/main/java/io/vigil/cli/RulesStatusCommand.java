package io.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.jobs.live.ControlRecord;
import io.vigil.model.EcsJson;
import io.vigil.model.text.SafeText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.elasticsearch.client.RestClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil rules status}: what the job made of the control topic, from its reports in
 * Elasticsearch. Everything printed from documents is escaped: versions, reasons and rule ids come
 * from bundles and from the job's messages about them.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the live and shadow rule bundles as the job reports them (index vigil-rules): version, "
                + "author, who pushed it and when, effective time, digest, rule count; the history of control records "
                + "(newest first: kind, slot, version, outcome, refusal step and reason, actor, time); and per-rule "
                + "numbers summed over the job's subtasks: hits, alerts (vigil-alerts-*), excepted hits, errors and "
                + "share of evaluation time."},
        footer = {"", "Examples:", "  vigil rules status --config vigil.yaml", "  vigil rules status --config vigil.yaml --json"})
final class RulesStatusCommand implements Callable<Integer> {

    static final String NOTHING_PUSHED = "no bundle pushed yet: the job runs its local rules";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    LiveRulesConfig live = new LiveRulesConfig();

    @Option(names = "--json", description = "Print one JSON document instead of tables.")
    boolean json;

    @Option(names = "--history", paramLabel = "N", defaultValue = "20",
            description = "Control records shown in the history, newest first. Default: ${DEFAULT-VALUE}.")
    int historySize;

    @Override
    public Integer call() throws Exception {
        List<JsonNode> outcomes;
        Map<String, Map<String, RulesIndexReader.RuleNumbers>> stats;
        Map<String, Map<String, Long>> alerts = new LinkedHashMap<>();
        try (RestClient rest = live.elasticsearch()) {
            RulesIndexReader reader = new RulesIndexReader(rest);
            outcomes = reader.outcomes();
            stats = reader.stats();
            alerts.put(ControlRecord.LIVE, reader.alertsByRule(RulesIndexReader.LIVE_ALERTS, null));
            alerts.put(ControlRecord.SHADOW, reader.alertsByRule(RulesIndexReader.SHADOW_ALERTS, null));
        }
        Map<String, JsonNode> slots = slots(outcomes);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(EcsJson.toJson(toJson(slots, outcomes, stats, alerts)));
        } else {
            print(out, slots, outcomes, stats, alerts);
        }
        out.flush();
        return VigilCli.OK;
    }

    /**
     * The outcome that gave each slot its current bundle: replaying outcomes oldest first, an
     * active push/promote/rollback fills its slot, an active clear empties it, a refusal changes
     * nothing (the job kept what it had).
     */
    static Map<String, JsonNode> slots(List<JsonNode> newestFirst) {
        Map<String, JsonNode> slots = new LinkedHashMap<>();
        slots.put(ControlRecord.LIVE, null);
        slots.put(ControlRecord.SHADOW, null);
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            JsonNode o = newestFirst.get(i);
            if ("active".equals(o.path("outcome").asText()) && slots.containsKey(o.path("slot").asText())) {
                slots.put(o.path("slot").asText(), "clear".equals(o.path("kind").asText()) ? null : o);
            }
        }
        return slots;
    }

    private void print(PrintWriter out, Map<String, JsonNode> slots, List<JsonNode> outcomes,
                       Map<String, Map<String, RulesIndexReader.RuleNumbers>> stats,
                       Map<String, Map<String, Long>> alerts) {
        if (outcomes.isEmpty()) {
            out.println(NOTHING_PUSHED);
        } else {
            for (Map.Entry<String, JsonNode> slot : slots.entrySet()) {
                JsonNode b = slot.getValue();
                if (b == null) {
                    out.printf("%-7s none%n", slot.getKey());
                    continue;
                }
                out.printf("%-7s %s by %s: %d rule(s), %d exception(s)%n", slot.getKey(), esc(b, "version"),
                        esc(b, "author"), b.path("rule_count").asLong(), b.path("exception_count").asLong());
                out.printf("        %s by %s at %s, effective at %s%n", esc(b, "kind"), esc(b, "actor"),
                        esc(b, "@timestamp"), esc(b, "effective_at"));
                out.printf("        digest %s%n", esc(b, "digest"));
            }
            out.printf("%nHistory (newest first):%n");
            out.printf("  %-24s %-8s %-6s %-12s %-7s %-12s %s%n", "AT", "KIND", "SLOT", "VERSION", "OUTCOME", "ACTOR",
                    "REFUSED AT: REASON");
            for (JsonNode o : outcomes.subList(0, Math.min(historySize, outcomes.size()))) {
                String refused = "refused".equals(o.path("outcome").asText())
                        ? esc(o, "step") + ": " + esc(o, "reason") : "";
                out.printf("  %-24s %-8s %-6s %-12s %-7s %-12s %s%n", esc(o, "@timestamp"), esc(o, "kind"),
                        esc(o, "slot"), esc(o, "version"), esc(o, "outcome"), esc(o, "actor"), refused);
            }
        }
        for (Map.Entry<String, Map<String, RulesIndexReader.RuleNumbers>> slot : stats.entrySet()) {
            List<RuleRow> rows = rows(slot.getValue(), alerts.getOrDefault(slot.getKey(), Map.of()));
            out.printf("%nRules (%s, summed over subtasks):%n", SafeText.escape(slot.getKey()));
            out.printf("  %-40s %-10s %10s %10s %10s %8s %7s%n", "RULE", "VERSION", "HITS", "ALERTS", "EXCEPTED",
                    "ERRORS", "TIME");
            for (RuleRow r : rows) {
                out.printf("  %-40s %-10s %,10d %,10d %,10d %,8d %6.1f%%%n", SafeText.escape(r.numbers().ruleId()),
                        SafeText.escape(String.valueOf(r.numbers().ruleVersion())), r.numbers().hits(), r.alerts(),
                        r.numbers().excepted(), r.numbers().errors(), r.timeShare() * 100);
            }
        }
    }

    /** One rule's row: its numbers, its alerts, and its share of the slot's evaluation time. */
    record RuleRow(RulesIndexReader.RuleNumbers numbers, long alerts, double timeShare) {}

    static List<RuleRow> rows(Map<String, RulesIndexReader.RuleNumbers> numbers, Map<String, Long> alerts) {
        long total = numbers.values().stream().mapToLong(RulesIndexReader.RuleNumbers::evalNanos).sum();
        List<RuleRow> rows = new ArrayList<>();
        numbers.values().forEach(n -> rows.add(new RuleRow(n, alerts.getOrDefault(n.ruleId(), 0L),
                total == 0 ? 0 : (double) n.evalNanos() / total)));
        return rows;
    }

    private ObjectNode toJson(Map<String, JsonNode> slots, List<JsonNode> outcomes,
                              Map<String, Map<String, RulesIndexReader.RuleNumbers>> stats,
                              Map<String, Map<String, Long>> alerts) {
        ObjectNode root = EcsJson.MAPPER.createObjectNode();
        if (outcomes.isEmpty()) {
            root.put("message", NOTHING_PUSHED);
        }
        slots.forEach((slot, b) -> {
            if (b == null) {
                root.putNull(slot);
            } else {
                root.set(slot, b);
            }
        });
        ArrayNode history = root.putArray("history");
        outcomes.subList(0, Math.min(historySize, outcomes.size())).forEach(history::add);
        ObjectNode rules = root.putObject("rules");
        stats.forEach((slot, numbers) -> {
            ArrayNode list = rules.putArray(slot);
            for (RuleRow r : rows(numbers, alerts.getOrDefault(slot, Map.of()))) {
                ObjectNode n = list.addObject();
                n.put("rule_id", r.numbers().ruleId());
                n.put("rule_version", r.numbers().ruleVersion());
                n.put("hits", r.numbers().hits());
                n.put("alerts", r.alerts());
                n.put("excepted", r.numbers().excepted());
                n.put("errors", r.numbers().errors());
                n.put("eval_nanos", r.numbers().evalNanos());
                n.put("time_share", r.timeShare());
            }
        });
        return root;
    }

    private static String esc(JsonNode n, String field) {
        String v = RulesIndexReader.text(n, field);
        return v == null ? "-" : SafeText.escape(v);
    }
}
