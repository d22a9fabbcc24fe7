package io.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.jobs.metrics.StageMark;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The join of an alert's stages, the shape groups and the percentiles of the latency benchmark. */
class StageLatencyTest {

    private static RuleMeta rule(String ruleset, Shape shape) {
        return RuleMeta.builder().id("r").name("r").ruleset(ruleset).shape(shape).build();
    }

    @Test
    void shapesNameDrlSigmaAndContextAlertsApart() {
        assertThat(StageLatency.shape(rule(RuleMeta.VIGIL, Shape.SINGLE))).isEqualTo("single");
        assertThat(StageLatency.shape(rule(RuleMeta.VIGIL, Shape.THRESHOLD))).isEqualTo("threshold");
        assertThat(StageLatency.shape(rule(RuleMeta.VIGIL, Shape.TEMPORAL_ORDERED))).isEqualTo("temporal ordered");
        assertThat(StageLatency.shape(rule(RuleMeta.SIGMA, Shape.SINGLE))).isEqualTo("sigma detection");
        assertThat(StageLatency.shape(rule(RuleMeta.SIGMA, Shape.THRESHOLD))).isEqualTo("sigma correlation threshold");
        assertThat(StageLatency.shape(null)).isEqualTo("context");
    }

    @Test
    void theCompletingRecordIsTheLatestAppendedOriginAndItsEvaluationIsTheAlertsOne() {
        Map<String, Long> appended = Map.of("t/0@1", 1_000L, "t/1@7", 1_300L, "t/0@2", 1_200L);
        // a1 left correlation twice: before its completing record was evaluated, and after
        Map<String, Map<String, List<Long>>> marks = Map.of(
                StageMark.EVALUATED, Map.of("t/0@1", List.of(1_010L), "t/1@7", List.of(1_310L), "t/0@2", List.of(1_250L)),
                StageMark.CORRELATED, Map.of("a1", List.of(1_260L, 1_900L)),
                StageMark.WRITTEN, Map.of("a1", List.of(1_270L, 1_950L)));
        StageLatency.AlertStages a = StageLatency.of("a1", "threshold", List.of("t/0@1", "t/1@7", "t/0@2"), 2_400L,
                appended, marks);
        assertThat(a).isEqualTo(new StageLatency.AlertStages("a1", "threshold", "t/1@7", 1_300, 1_310, 1_900, 1_950,
                2_400));
        assertThat(a.complete()).isTrue();
        assertThat(a.monotonic()).isTrue();
        // written before correlated: out of order
        assertThat(new StageLatency.AlertStages("a2", "single", "t/0@1", 1_000, 1_010, 1_900, 1_800, 2_000).monotonic())
                .isFalse();
        // a missing mark is 0, so the alert is not complete
        StageLatency.AlertStages unmarked = StageLatency.of("a3", "single", List.of("t/0@1"), 2_000L, appended, Map.of());
        assertThat(unmarked.complete()).isFalse();
        assertThat(StageLatency.of("a4", "single", List.of("unknown/0@1"), 2_000L, appended, marks)).isNull();
    }

    @Test
    void percentilesAreNearestRank() {
        List<Long> values = new ArrayList<>();
        for (long i = 100; i >= 1; i--) {
            values.add(i);
        }
        ObjectNode s = StageLatency.summary(values);
        assertThat(s.get("p50").asLong()).isEqualTo(50);
        assertThat(s.get("p90").asLong()).isEqualTo(90);
        assertThat(s.get("p99").asLong()).isEqualTo(99);
        assertThat(s.get("max").asLong()).isEqualTo(100);
        assertThat(s.get("alerts").asLong()).isEqualTo(100);
        assertThat(StageLatency.summary(List.of()).has("p50")).isFalse();
    }

    @Test
    void stagesCountCompleteAlertsAndShapesCountEveryAlert() {
        List<StageLatency.AlertStages> alerts = List.of(
                new StageLatency.AlertStages("a", "single", "o1", 1_000, 1_001, 1_002, 1_003, 1_100),
                new StageLatency.AlertStages("b", "single", "o2", 2_000, 2_005, 2_600, 2_610, 3_000),
                new StageLatency.AlertStages("c", "sequence", "o3", 3_000, 0, 3_700, 3_710, 4_000));
        ObjectNode stages = StageLatency.byStage(alerts);
        assertThat(stages.at("/evaluated/alerts").asLong()).isEqualTo(2);
        assertThat(stages.at("/evaluated/max").asLong()).isEqualTo(5);
        assertThat(stages.at("/correlated/max").asLong()).isEqualTo(600);
        assertThat(stages.at("/written/p50").asLong()).isEqualTo(3);
        assertThat(stages.at("/searchable/max").asLong()).isEqualTo(1_000);
        ObjectNode shapes = StageLatency.byShape(alerts);
        assertThat(shapes.fieldNames()).toIterable().containsExactly("sequence", "single");
        assertThat(shapes.at("/single/alerts").asLong()).isEqualTo(2);
        assertThat(shapes.at("/single/p50").asLong()).isEqualTo(100);
        assertThat(shapes.at("/single/max").asLong()).isEqualTo(1_000);
        assertThat(shapes.at("/sequence/max").asLong()).isEqualTo(1_000);
    }
}
