package io.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.EcsJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Per rule, the alerts of two runs over the same input: how many each raised, which only the
 * second raised (new) and which only the first (gone). Alerts are compared by id, which is a
 * function of rule, group key and first event (Correlator.alertId): the same detection in both
 * runs has the same id.
 */
final class BacktestDiff {

    /** One rule's line; {@code inActive}/{@code inBundle}: whether the rule is in that run's rules. */
    record Row(String rule, long active, long bundle, long added, long gone, boolean inActive, boolean inBundle) {}

    private BacktestDiff() {}

    /** Alert ids per rule id in a replay's compacted {@code alerts.ndjson} (one document per alert id). */
    static Map<String, Set<String>> alertIds(Path alertsFile) throws IOException {
        Map<String, Set<String>> byRule = new TreeMap<>();
        if (!Files.exists(alertsFile)) {
            return byRule;
        }
        for (String line : Files.readAllLines(alertsFile, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                JsonNode doc = EcsJson.MAPPER.readTree(line);
                byRule.computeIfAbsent(doc.at("/rule/id").asText(), r -> new HashSet<>()).add(doc.at("/event/id").asText());
            }
        }
        return byRule;
    }

    /**
     * A row per rule that is in either run's rules or raised alerts in either, ordered by id.
     */
    static List<Row> rows(Map<String, Set<String>> active, Map<String, Set<String>> bundle, Set<String> activeRules,
                          Set<String> bundleRules) {
        Set<String> rules = new TreeSet<>(activeRules);
        rules.addAll(bundleRules);
        rules.addAll(active.keySet());
        rules.addAll(bundle.keySet());
        List<Row> rows = new ArrayList<>();
        for (String rule : rules) {
            Set<String> a = active.getOrDefault(rule, Set.of());
            Set<String> b = bundle.getOrDefault(rule, Set.of());
            rows.add(new Row(rule, a.size(), b.size(), b.stream().filter(id -> !a.contains(id)).count(),
                    a.stream().filter(id -> !b.contains(id)).count(), activeRules.contains(rule) || !a.isEmpty(),
                    bundleRules.contains(rule) || !b.isEmpty()));
        }
        return rows;
    }
}
