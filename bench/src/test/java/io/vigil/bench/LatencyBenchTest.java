package io.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.stream.StreamingTopology;
import io.vigil.jobs.wiring.RuleSets;
import io.vigil.localstack.LocalElasticsearch;
import io.vigil.localstack.LocalKafka;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The latency benchmark's stage breakdown on a real broker, node and job (quick sizes): every stage is
 * measured, each alert passes them in order, every alert counts under one rule shape. No timing is asserted.
 */
class LatencyBenchTest {

    private static LocalKafka kafka;
    private static LocalElasticsearch es;
    private static RestClient rest;

    @TempDir
    Path work;

    @BeforeAll
    static void services() throws Exception {
        kafka = LocalKafka.start();
        es = LocalElasticsearch.builder().build().start();
        rest = RestClient.builder(org.apache.http.HttpHost.create(es.url())).build();
    }

    @AfterAll
    static void stop() throws Exception {
        rest.close();
        es.close();
        kafka.close();
    }

    @Test
    void everyAlertPassesEveryStageInOrder() throws Exception {
        ObjectNode result = BenchJson.object();
        StringWriter log = new StringWriter();
        // 12 s at 1,000/s: past the warm-up, each lag histogram's window holds measured records only
        LatencyBench.measure(kafka, es, rest, work, 1, 1_000, 12, new PrintWriter(log, true), result);
        long alerts = result.at("/latency_ms/alerts").asLong();
        assertThat(alerts).as(log.toString()).isPositive();
        JsonNode stages = result.get("stages_ms");
        for (String lag : List.of("read", "decoded")) {
            assertThat(stages.path(lag).path("samples").asLong()).as(lag).isPositive();
            assertThat(stages.path(lag).path("p50").asLong()).as(lag)
                    .isLessThanOrEqualTo(stages.path(lag).path("p99").asLong());
        }
        // every stage is measured on the same alerts: those with every mark, in order (most; a few of a run can miss
        // one, see the report's log lines, and are counted apart)
        long traced = alerts - stages.path("alerts_without_every_mark").asLong();
        assertThat(traced).as(log.toString()).isGreaterThan(alerts / 2);
        for (String stage : StageLatency.STAGES) {
            assertThat(stages.path(stage).path("alerts").asLong()).as(stage).isEqualTo(traced);
        }
        assertThat(stages.path("alerts_out_of_stage_order").asLong()).as(log.toString()).isZero();
        long byShape = 0;
        for (JsonNode shape : result.get("shapes_ms")) {
            byShape += shape.path("alerts").asLong();
        }
        assertThat(byShape).isEqualTo(alerts);
    }

    @Test
    void theTraceIsInTheJobOnlyWhenSwitchedOn() throws Exception {
        assertThat(operators(Map.of())).noneMatch(n -> n.startsWith("stage trace"));
        assertThat(operators(Map.of("metrics.stage-trace-topic", "trace"))).contains("stage trace: read and decoded",
                "stage trace: evaluated", "stage trace: correlated", "stage trace: written");
    }

    private List<String> operators(Map<String, String> extra) throws Exception {
        VigilConfig config = EndToEnd.config(kafka, es, work.resolve("chk"), 1, "graph", "graph.raw.", extra);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        StreamingTopology.build(config, RuleSets.load(config), env);
        List<String> names = new ArrayList<>();
        for (StreamNode n : env.getStreamGraph().getStreamNodes()) {
            names.add(n.getOperatorName());
        }
        return names;
    }
}
