package io.vigil.jobs.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** deploy/grafana/vigil-dashboard.json and deploy/prometheus/vigil-alerts.yml, as the tests read them. */
public final class Dashboard {

    /** The dashboard, from the jobs module's directory (where its tests run). */
    public static final Path FILE = Path.of("..", "deploy", "grafana", "vigil-dashboard.json");
    /** The example alerting rules. */
    public static final Path ALERTS = Path.of("..", "deploy", "prometheus", "vigil-alerts.yml");

    private Dashboard() {}

    public static JsonNode read() throws IOException {
        return new ObjectMapper().readTree(Files.readString(FILE));
    }

    /** Every panel, those inside rows included. */
    public static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            out.add(p);
            p.path("panels").forEach(out::add);
        }
        return out;
    }

    /** Every PromQL expression of the panels' queries, by "panel title / refId". */
    public static Map<String, String> expressions(JsonNode dashboard) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode p : panels(dashboard)) {
            for (JsonNode t : p.path("targets")) {
                out.put(p.path("title").asText() + " / " + t.path("refId").asText(), t.path("expr").asText());
            }
        }
        return out;
    }

    /** The {@code expr:} of every alerting rule of {@link #ALERTS} (one line each), by alert name. */
    public static Map<String, String> alertExpressions() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        String alert = null;
        for (String line : Files.readAllLines(ALERTS)) {
            String t = line.strip();
            if (t.startsWith("- alert:")) {
                alert = t.substring("- alert:".length()).strip();
            } else if (t.startsWith("expr:") && alert != null) {
                out.put(alert, t.substring("expr:".length()).strip());
            }
        }
        return out;
    }
}
