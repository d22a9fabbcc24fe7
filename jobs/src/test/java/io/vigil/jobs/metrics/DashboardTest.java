package io.vigil.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard is importable: valid JSON, unique panel ids, a Prometheus datasource
 * variable every panel and query uses, and a metric in every query. Whether each metric exists is
 * {@code MetricsScrapeTest}'s part: it scrapes the running job.
 */
class DashboardTest {

    @Test
    void panelsHaveUniqueIdsAndUseTheDatasourceVariable() throws Exception {
        JsonNode dashboard = Dashboard.read();
        assertThat(dashboard.path("title").asText()).isNotBlank();
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        JsonNode variable = null;
        for (JsonNode v : dashboard.at("/templating/list")) {
            if (v.path("type").asText().equals("datasource")) {
                variable = v;
            }
        }
        assertThat(variable).as("a datasource variable").isNotNull();
        assertThat(variable.path("query").asText()).isEqualTo("prometheus");
        String uid = "${" + variable.path("name").asText() + "}";

        List<JsonNode> panels = Dashboard.panels(dashboard);
        assertThat(panels).hasSizeGreaterThan(10);
        Set<Integer> ids = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode p : panels) {
            String title = p.path("title").asText();
            if (!ids.add(p.path("id").asInt(-1)) || !p.path("id").isInt()) {
                problems.add(title + ": id " + p.path("id") + " missing or not unique");
            }
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            if (!p.at("/datasource/uid").asText().equals(uid) || !p.at("/datasource/type").asText().equals("prometheus")) {
                problems.add(title + ": datasource is not the variable " + uid);
            }
            if (p.path("targets").isEmpty()) {
                problems.add(title + ": no query");
            }
            for (JsonNode t : p.path("targets")) {
                if (!t.at("/datasource/uid").asText().equals(uid)) {
                    problems.add(title + " / " + t.path("refId").asText() + ": query datasource is not " + uid);
                }
            }
            if (p.path("gridPos").path("w").asInt() <= 0 || p.path("gridPos").path("h").asInt() <= 0) {
                problems.add(title + ": no size");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyQueryAndAlertReadsAMetric() throws Exception {
        Map<String, String> exprs = Dashboard.expressions(Dashboard.read());
        exprs.putAll(Dashboard.alertExpressions());
        assertThat(Dashboard.alertExpressions()).hasSizeGreaterThanOrEqualTo(5);
        exprs.forEach((where, expr) -> assertThat(PromQl.metricNames(expr)).as(where + ": " + expr).isNotEmpty());
    }
}
