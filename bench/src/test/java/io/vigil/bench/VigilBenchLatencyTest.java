package io.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.EcsJson;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The latency sections' rows in the results table of {@code BENCHMARKS.md}. */
class VigilBenchLatencyTest {

    private static JsonNode latency(long rate, long p99) throws Exception {
        return EcsJson.MAPPER.readTree("""
                {"latency_ms": {"p50": 400, "p90": 700, "p99": %d, "max": 1500, "alerts": 120, "rate": %d},
                 "sustained": {"max_rate": 30000},
                 "stages_ms": {"read": {"p50": 3, "p99": 40, "max": 90, "samples": 20},
                               "evaluated": {"p50": 5, "p90": 9, "p99": 50, "max": 95, "alerts": 120},
                               "searchable": {"p50": 400, "p90": 700, "p99": %d, "max": 1500, "alerts": 120},
                               "alerts_without_every_mark": 0},
                 "shapes_ms": {"single": {"p50": 300, "p90": 500, "p99": 800, "max": 900, "alerts": 100},
                               "threshold": {"p50": 700, "p90": 900, "p99": 1400, "max": 1500, "alerts": 20}}}
                """.formatted(p99, rate, p99));
    }

    @Test
    void eachLatencySectionIsARowAndTheSustainedRunIsBrokenDown() throws Exception {
        Map<String, JsonNode> details = new LinkedHashMap<>();
        details.put("latency", latency(15_000, 900));
        details.put("latency_at_20000", latency(20_000, 2_400));
        String t = VigilBench.table(VigilBench.summarize(details, false));
        assertThat(t).contains("| latency event → alert searchable at half the sustained maximum 15,000/s, ms | "
                + "p50 400, p99 900, max 1,500 | p99 ≤ 1,000 | met |");
        assertThat(t).contains("| latency event → alert searchable at 20,000/s, ms | p50 400, p99 2,400, max 1,500 "
                + "| p99 ≤ 1,000 | missed |");
        assertThat(t).contains("| latency event → alert searchable at 8,000/s, ms | n/a | p99 ≤ 1,000 | n/a |");
        assertThat(t).contains("| highest rate sustained with the generator live, p=1, records/s | 30,000 |  |  |");
        assertThat(t).contains("| latency append → read, ms | p50 3, p99 40, max 90 | | |");
        assertThat(t).contains("| latency append → evaluated, ms | p50 5, p99 50, max 95 | | |");
        assertThat(t).doesNotContain("alerts_without_every_mark");
        assertThat(t).contains("| latency append → searchable, threshold rules (20 alerts), ms | p50 700, p99 1,400, "
                + "max 1,500 | p99 ≤ 1,000 | |");
    }
}
