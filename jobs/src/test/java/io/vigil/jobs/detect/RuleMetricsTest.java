package io.vigil.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleEvaluator;
import io.vigil.rules.RulePack;
import io.vigil.rules.RuleStats;
import io.vigil.rules.exceptions.RuleExceptions;
import java.time.Instant;
import io.vigil.jobs.metrics.VigilMetrics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
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

    /** Live rules: out-of-order events switch between the packs' evaluators, A, B, A, B; each is counted once. */
    @Test
    void evaluatorsSwitchedBackAndForthAreEachCountedOnce() {
        try (RuleEvaluator a = RulePack.packaged().newEvaluator(Set.of("ssh-brute-force"));
             RuleEvaluator b = RulePack.packaged().newEvaluator(Set.of("ssh-brute-force"))) {
            RuleMetrics metrics = new RuleMetrics(new Tree(), new HashMap<String, Accumulator<?, ?>>()::put, a);
            int second = 0;
            for (RuleEvaluator e : List.of(a, b, a, b)) {
                metrics.use(e);
                for (int i = 0; i < 3; i++) {
                    metrics.record(e.evaluateWithErrors(sshFailure("10.0.0.8", second++)));
                }
            }
            assertTotals(metrics.refresh(), a, b);
            assertThat(metrics.refresh().get("ssh-brute-force").hits()).isEqualTo(12);

            // B's pack leaves the timeline while B is in use: its numbers stay, A goes on from there
            metrics.forget(b);
            assertTotals(metrics.refresh(), a, b);
            metrics.use(a);
            metrics.record(a.evaluateWithErrors(sshFailure("10.0.0.8", second)));
            assertTotals(metrics.refresh(), a, b);
            assertThat(metrics.refresh().get("ssh-brute-force").hits()).isEqualTo(13);
        }
    }

    /** Each rule's numbers in {@code total} are A's plus B's, evaluation time included. */
    private static void assertTotals(Map<String, RuleStats> total, RuleEvaluator a, RuleEvaluator b) {
        Set<String> ids = new TreeSet<>(a.stats().keySet());
        ids.addAll(b.stats().keySet());
        assertThat(total.keySet()).isEqualTo(ids);
        for (String id : ids) {
            RuleStats x = a.stats().getOrDefault(id, RuleStats.ZERO);
            RuleStats y = b.stats().getOrDefault(id, RuleStats.ZERO);
            assertThat(total.get(id)).as(id).isEqualTo(new RuleStats(x.hits() + y.hits(), x.excepted() + y.excepted(),
                    x.errors() + y.errors(), x.evalNanos() + y.evalNanos()));
        }
    }

    /** A rule's evaluation-time histogram and gauge are registered once it spent time, not for every active rule. */
    @Test
    void aRulesTimeHistogramAndGaugeAreRegisteredOnceItSpentTime() {
        try (RuleEvaluator evaluator = RulePack.packaged().newEvaluator(Set.of("ssh-brute-force", "kerberoasting"))) {
            Tree operator = new Tree();
            RuleMetrics metrics = new RuleMetrics(operator, new HashMap<String, Accumulator<?, ?>>()::put, evaluator);
            // nothing evaluated: neither a cumulative-time gauge nor a histogram yet
            assertThat(operator.children).doesNotContainKeys("rule=kerberoasting", "rule=ssh-brute-force");
            assertThat(operator.child("vigil").children).isEmpty();

            metrics.record(evaluator.evaluateWithErrors(sshFailure("10.0.0.8", 0)));
            metrics.refresh();
            Tree vigil = operator.child("vigil");
            assertThat(vigil.children.keySet()).contains("rule=ssh-brute-force").doesNotContain("rule=kerberoasting");
            // the cumulative-time gauge likewise: the rule that ran has one, the one never a candidate none
            assertThat(operator.child("rule=ssh-brute-force").get(RuleMetrics.METRIC_EVAL_NANOS)).isNotNull();
            assertThat(operator.children).doesNotContainKey("rule=kerberoasting");
            Histogram time = (Histogram) vigil.child("rule=ssh-brute-force").get(VigilMetrics.RULE_EVALUATION_NANOS);
            assertThat(time.getCount()).isEqualTo(1);
            assertThat(time.getStatistics().getMax()).isPositive();
            // each later snapshot with events is one more sample
            metrics.record(evaluator.evaluateWithErrors(sshFailure("10.0.0.9", 1)));
            metrics.refresh();
            assertThat(time.getCount()).isEqualTo(2);
        }
    }

    /** A metric group that keeps its sub-groups, by "name" or "key=value", each intercepting its metrics. */
    private static final class Tree extends InterceptingOperatorMetricGroup {
        final Map<String, Tree> children = new HashMap<>();

        Tree child(String path) {
            return children.computeIfAbsent(path, k -> new Tree());
        }

        @Override
        public MetricGroup addGroup(String name) {
            return child(name);
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return child(key + "=" + value);
        }
    }
}
