package io.vigil.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleEvaluator;
import io.vigil.rules.RulePack;
import io.vigil.rules.RuleStats;
import io.vigil.rules.exceptions.RuleExceptions;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.junit.jupiter.api.Test;

/** The per-rule Flink metrics and the accumulator of excepted hits, fed by real evaluations. */
class RuleMetricsTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    /** The operator group, handing out one intercepting group per rule. */
    private final Map<String, InterceptingOperatorMetricGroup> byRule = new HashMap<>();
    private final InterceptingOperatorMetricGroup operator = new InterceptingOperatorMetricGroup() {
        @Override
        public MetricGroup addGroup(String key, String value) {
            assertThat(key).isEqualTo(RuleErrorCounters.METRIC_GROUP);
            return byRule.computeIfAbsent(value, v -> new InterceptingOperatorMetricGroup());
        }
    };

    private static SecurityEvent sshFailure(String sourceIp, int second) {
        return SecurityEvent.builder().timestamp(T0.plusSeconds(second)).eventAction("ssh_login")
                .eventOutcome("failure").eventModule("system").hostName("bastion-1").sourceIp(sourceIp)
                .userName("root").origin(Origin.file("auth.log", second)).build();
    }

    @Test
    void countsHitsAndExceptedPerRuleAndExceptedPerEntryAndGaugesTheTime() {
        RuleExceptions ex = RuleExceptions.parse("ex.yml", """
                - id: scanner
                  rule: ssh-brute-force
                  field: source.ip
                  values: ["10.0.0.7"]
                  reason: the scanner
                  author: alice
                """);
        Map<String, Accumulator<?, ?>> accumulators = new HashMap<>();
        try (RuleEvaluator evaluator = RulePack.packaged().newEvaluator(Set.of("ssh-brute-force")).exceptions(ex)) {
            RuleMetrics metrics = new RuleMetrics(operator, accumulators::put, evaluator);
            for (int i = 0; i < 3; i++) {
                metrics.record(evaluator.evaluateWithErrors(sshFailure("10.0.0.7", i)));
            }
            metrics.record(evaluator.evaluateWithErrors(sshFailure("10.0.0.8", 4)));
            InterceptingOperatorMetricGroup rule = byRule.get("ssh-brute-force");
            assertThat(((Counter) rule.get(RuleMetrics.METRIC_HITS)).getCount()).isEqualTo(1);
            assertThat(((Counter) rule.get(RuleMetrics.METRIC_EXCEPTED)).getCount()).isEqualTo(3);
            assertThat(accumulators.get(RuleMetrics.EXCEPTED_BY_EXCEPTION).getLocalValue())
                    .isEqualTo(new java.util.TreeMap<>(Map.of("scanner", 3L)));
            // the gauge reads the snapshot taken on the task's thread, not the evaluator
            Map<String, RuleStats> now = metrics.refresh();
            Gauge<?> time = (Gauge<?>) rule.get(RuleMetrics.METRIC_EVAL_NANOS);
            assertThat(time.getValue()).isEqualTo(now.get("ssh-brute-force").evalNanos());
            assertThat((Long) time.getValue()).isPositive();
            assertThat((Long) ((Gauge<?>) byRule.get(RuleStats.DROOLS).get(RuleMetrics.METRIC_EVAL_NANOS)).getValue())
                    .isPositive();
        }
    }
}
