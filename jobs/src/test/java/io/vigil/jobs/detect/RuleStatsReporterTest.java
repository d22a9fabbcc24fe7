package io.vigil.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.rules.RuleStats;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-rule reports of an evaluation subtask: at most once a minute, only what changed. */
class RuleStatsReporterTest {

    @Test
    void reportsOnlyChangedRulesAtMostOncePerInterval() {
        long t0 = 1_700_000_000_000L;
        RuleStatsReporter reporter = new RuleStatsReporter("shadow", 3, t0);
        Map<String, RuleStats> first = Map.of("a", new RuleStats(2, 1, 0, 500), "b", new RuleStats(0, 0, 0, 90));
        assertThat(reporter.due(first, t0 + RuleStatsReporter.EVERY_MS - 1)).isEmpty();
        assertThat(reporter.due(first, t0 + RuleStatsReporter.EVERY_MS)).extracting(RuleStatsReport::ruleId)
                .containsExactlyInAnyOrder("a", "b");
        Map<String, RuleStats> second = Map.of("a", new RuleStats(2, 1, 0, 500), "b", new RuleStats(1, 0, 0, 120));
        // within the next interval nothing, then only b, which changed
        assertThat(reporter.due(second, t0 + RuleStatsReporter.EVERY_MS + 1)).isEmpty();
        assertThat(reporter.due(second, t0 + 2 * RuleStatsReporter.EVERY_MS)).singleElement().satisfies(r -> {
            assertThat(r.ruleId()).isEqualTo("b");
            assertThat(r.slot()).isEqualTo("shadow");
            assertThat(r.subtask()).isEqualTo(3);
            assertThat(r.hits()).isEqualTo(1);
            assertThat(r.evalNanos()).isEqualTo(120);
            assertThat(r.since()).isEqualTo(t0);
        });
    }
}
