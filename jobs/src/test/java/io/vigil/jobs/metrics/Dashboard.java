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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * Every PromQL expression of the dashboard: each query of each panel, by
     * "panel &lt;id&gt; (&lt;title&gt;) / target &lt;index&gt; (&lt;refId&gt;)", and the metric selector of each
     * templating variable's query, by "variable &lt;name&gt;" ({@link #variableExpression}).
     */
    public static Map<String, String> expressions(JsonNode dashboard) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode p : panels(dashboard)) {
            int i = 0;
            for (JsonNode t : p.path("targets")) {
                out.put("panel " + p.path("id").asText() + " (" + p.path("title").asText() + ") / target " + i
                        + " (" + t.path("refId").asText() + ")", t.path("expr").asText());
                i++;
            }
        }
        for (JsonNode v : dashboard.at("/templating/list")) {
            if (v.path("type").asText().equals("query")) {
                JsonNode q = v.path("query");
                out.put("variable " + v.path("name").asText(), variableExpression(q.isTextual() ? q.asText()
                        : q.path("query").asText()));
            }
        }
        return out;
    }

    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)",
            Pattern.DOTALL);
    private static final Pattern QUERY_RESULT = Pattern.compile("query_result\\((.*)\\)", Pattern.DOTALL);

    /**
     * The PromQL a Grafana variable query of the Prometheus data source reads: the selector of
     * {@code label_values(selector, label)}, the expression of {@code query_result(expr)}, nothing
     * for {@code label_values(label)} and {@code label_names()} (every series), else the text itself.
     */
    static String variableExpression(String query) {
        String q = query.strip();
        Matcher m = LABEL_VALUES.matcher(q);
        if (m.matches()) {
            return m.group(1).strip();
        }
        m = QUERY_RESULT.matcher(q);
        if (m.matches()) {
            return m.group(1).strip();
        }
        return q.startsWith("label_values(") || q.startsWith("label_names(") ? "" : q;
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
