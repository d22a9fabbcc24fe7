package io.vigil.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.cli.VigilCli;
import io.vigil.jobs.stream.StreamingServices;
import io.vigil.model.EcsJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil rules status} and {@code vigil rules compare} against a real Elasticsearch node,
 * holding the documents the job writes (outcomes and per-rule numbers in vigil-rules, live and
 * shadow alerts), written here as the job would.
 */
class RulesStatusCompareTest {

    private static final RestClient REST = StreamingServices.REST;
    private static final String LIVE_INDEX = "vigil-alerts-2026.03.01";
    private static final String SHADOW_INDEX = "vigil-shadow-alerts-2026.03.01";

    @TempDir
    Path dir;

    private Path config;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void clean() throws Exception {
        REST.performRequest(new Request("DELETE", "/vigil-rules," + SHADOW_INDEX + ",vigil-alerts-2020.01.01,"
                + LIVE_INDEX + "?ignore_unavailable=true"));
        for (String index : new String[] {LIVE_INDEX, SHADOW_INDEX, "vigil-alerts-2020.01.01"}) {
            // rule.id a keyword, as the alerts template maps it
            Request create = new Request("PUT", "/" + index);
            create.setJsonEntity("{\"mappings\":{\"properties\":{\"@timestamp\":{\"type\":\"date\"},"
                    + "\"rule\":{\"properties\":{\"id\":{\"type\":\"keyword\"}}}}}}");
            REST.performRequest(create);
        }
        config = dir.resolve("vigil.yaml");
        Files.writeString(config, "elasticsearch:\n  urls: " + StreamingServices.ES.url() + "\n"
                + "kafka:\n  bootstrap-servers: " + StreamingServices.KAFKA.bootstrapServers() + "\n");
    }

    private int vigil(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private static void index(String index, String id, String json) throws Exception {
        Request r = new Request("PUT", "/" + index + "/_doc/" + id);
        r.addParameter("refresh", "true");
        r.setJsonEntity(json);
        REST.performRequest(r);
    }

    private static void outcome(String recordId, String at, String kind, String slot, String version, String outcome,
                                String step, String reason, int rules) throws Exception {
        index("vigil-rules", recordId, "{\"@timestamp\":\"" + at + "\",\"vigil\":{\"rules\":{\"doc\":\"outcome\","
                + "\"record_id\":\"" + recordId + "\",\"kind\":\"" + kind + "\",\"slot\":\"" + slot + "\",\"version\":\""
                + version + "\",\"digest\":\"sha256:" + version + "\",\"author\":\"carol\",\"description\":\"d\","
                + "\"actor\":\"alice\",\"effective_at\":\"" + at.replace(":00Z", ":30Z") + "\",\"outcome\":\""
                + outcome + "\"," + (step == null ? "" : "\"step\":\"" + step + "\",\"reason\":\"" + reason + "\",")
                + "\"rule_count\":" + rules + ",\"rules\":[],\"exception_count\":1}}}");
    }

    private static void stats(String slot, int subtask, String rule, long hits, long excepted, long errors, long nanos)
            throws Exception {
        index("vigil-rules", "stats-" + slot + "-" + subtask + "-" + rule, "{\"@timestamp\":\"2026-03-01T11:00:00Z\","
                + "\"vigil\":{\"rules\":{\"doc\":\"stats\",\"slot\":\"" + slot + "\",\"subtask\":" + subtask
                + ",\"rule_id\":\"" + rule + "\",\"rule_version\":\"2\",\"hits\":" + hits + ",\"excepted\":" + excepted
                + ",\"errors\":" + errors + ",\"eval_nanos\":" + nanos + ",\"since\":\"2026-03-01T09:00:00Z\"}}}");
    }

    private static void alerts(String index, String rule, int n, String at) throws Exception {
        for (int i = 0; i < n; i++) {
            index(index, rule + "-" + at.substring(0, 10) + "-" + i, "{\"@timestamp\":\"" + at + "\",\"rule\":{\"id\":\""
                    + rule + "\",\"version\":2}}");
        }
    }

    @Test
    void statusSaysNothingWasPushedWhenTheJobReportedNoBundle() throws Exception {
        assertThat(vigil("rules", "status", "--config", config.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("no bundle pushed yet: the job runs its local rules");
        assertThat(vigil("rules", "status", "--config", config.toString(), "--json")).isZero();
        assertThat(EcsJson.MAPPER.readTree(out.toString()).get("message").asText())
                .isEqualTo("no bundle pushed yet: the job runs its local rules");
    }

    @Test
    void statusShowsTheSlotsTheHistoryAndPerRuleNumbersSummedOverSubtasks() throws Exception {
        outcome("live-1.0.0-push-1", "2026-03-01T09:00:00Z", "push", "live", "1.0.0", "active", null, null, 15);
        outcome("shadow-1.1.0-push-2", "2026-03-01T09:10:00Z", "push", "shadow", "1.1.0", "active", null, null, 16);
        outcome("live-1.1.0-promote-4", "2026-03-01T09:30:00Z", "promote", "live", "1.1.0", "active", null, null, 16);
        outcome("shadow-1.1.0-clear-4", "2026-03-01T09:30:00Z", "clear", "shadow", "1.1.0", "active", null, null, 0);
        // the newest record for live: refused, so 1.1.0 stays live
        outcome("live-1.2.0-push-5", "2026-03-01T09:40:00Z", "push", "live", "1.2.0", "refused", "fixtures",
                "rule x has no fixtures", 0);
        stats("live", 0, "zz-test-brute", 10, 2, 0, 300);
        stats("live", 1, "zz-test-brute", 5, 1, 1, 100);
        stats("live", 0, "zz-test-scan", 4, 0, 0, 600);
        alerts(LIVE_INDEX, "zz-test-brute", 3, "2026-03-01T10:00:00Z");

        assertThat(vigil("rules", "status", "--config", config.toString())).as(err.toString()).isZero();
        String text = out.toString();
        // the refused 1.2.0 did not replace 1.1.0; the promote's clear emptied the shadow
        assertThat(text).contains("live    1.1.0 by carol: 16 rule(s), 1 exception(s)")
                .contains("promote by alice at 2026-03-01T09:30:00Z, effective at 2026-03-01T09:30:30Z")
                .contains("shadow  none")
                .doesNotContain("no bundle pushed yet");
        assertThat(text).containsPattern("2026-03-01T09:40:00Z\\s+push\\s+live\\s+1.2.0\\s+refused\\s+alice\\s+"
                + "fixtures: rule x has no fixtures");
        String history = text.substring(text.indexOf("History (newest first):"));
        assertThat(history.indexOf("09:40:00Z")).isLessThan(history.indexOf("09:30:00Z"));
        // 15 hits over two subtasks, 3 alerts, 3 excepted, 1 error, 400 of 1000 ns
        assertThat(text).containsPattern("zz-test-brute\\s+2\\s+15\\s+3\\s+3\\s+1\\s+40.0%")
                .containsPattern("zz-test-scan\\s+2\\s+4\\s+0\\s+0\\s+0\\s+60.0%");

        assertThat(vigil("rules", "status", "--config", config.toString(), "--json")).isZero();
        JsonNode json = EcsJson.MAPPER.readTree(out.toString());
        assertThat(json.at("/live/version").asText()).isEqualTo("1.1.0");
        assertThat(json.get("shadow").isNull()).isTrue();
        assertThat(json.get("history")).hasSize(5);
        assertThat(json.at("/history/0/reason").asText()).isEqualTo("rule x has no fixtures");
        assertThat(json.at("/rules/live/0/rule_id").asText()).isEqualTo("zz-test-brute");
        assertThat(json.at("/rules/live/0/hits").asLong()).isEqualTo(15);
        assertThat(json.at("/rules/live/0/alerts").asLong()).isEqualTo(3);
        assertThat(json.at("/rules/live/0/time_share").asDouble()).isEqualTo(0.4);
    }

    @Test
    void compareCountsLiveAgainstShadowAlertsPerRuleOverThePeriod() throws Exception {
        alerts(LIVE_INDEX, "zz-test-both", 4, "2026-03-01T10:00:00Z");
        alerts(SHADOW_INDEX, "zz-test-both", 6, "2026-03-01T10:00:00Z");
        alerts(LIVE_INDEX, "zz-test-gone", 2, "2026-03-01T10:05:00Z");
        alerts(SHADOW_INDEX, "zz-test-new", 1, "2026-03-01T10:06:00Z");
        // long before the period
        alerts("vigil-alerts-2020.01.01", "zz-test-old", 5, "2020-01-01T00:00:00Z");

        long days = Duration.between(Instant.parse("2026-02-01T00:00:00Z"), Instant.now()).toDays() + 1;
        assertThat(vigil("rules", "compare", "--config", config.toString(), "--since", days + "d"))
                .as(err.toString()).isZero();
        String text = out.toString();
        assertThat(text).containsPattern("zz-test-both\\s+4\\s+6\\s+\\+2\\s*\\n")
                .containsPattern("zz-test-gone\\s+2\\s+0\\s+-2\\s+live only")
                .containsPattern("zz-test-new\\s+0\\s+1\\s+\\+1\\s+shadow only")
                .doesNotContain("zz-test-old");
    }
}
