package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Alert;
import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.exceptions.RuleExceptions;
import io.vigil.rules.fixtures.LocalCorrelation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Exceptions are applied in the evaluator, so every path that runs rules leaves excepted hits out
 * of correlation; the evaluator counts hits, excepted hits, errors and time per rule.
 */
class RuleEvaluatorExceptionsTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static final String DRL = """
            package test.stats;
            import io.vigil.model.SecurityEvent;
            import io.vigil.rules.Signal;

            rule "log-cleared"
                @version(1) @name("Log cleared") @description("d") @severity("high") @riskScore(73)
                @tactics("TA0005") @techniques("T1070.001") @shape("single") @groupBy("host.name")
            when
                $e : SecurityEvent(eventCode == "1102")
            then
                insert(new Signal($e));
            end

            rule "always-fails"
                @version(1) @name("Fails") @description("d") @severity("low") @riskScore(10)
                @tactics("TA0005") @techniques("T1070.001") @shape("single") @groupBy("host.name")
            when
                $e : SecurityEvent(eventCode == "1102")
            then
                if (true) { throw new IllegalStateException("consequence fails"); }
            end
            """;

    private static final String SIGMA = """
            title: Security log cleared (Sigma)
            id: 9a1c6a8e-0000-4000-8000-000000001102
            logsource: {product: windows, service: security}
            detection:
                sel:
                    EventID: 1102
                condition: sel
            level: high
            ---
            title: A logon
            id: 9a1c6a8e-0000-4000-8000-000000004624
            logsource: {product: windows, service: security}
            detection:
                sel:
                    EventID: 4624
                condition: sel
            level: low
            """;

    private static final String SIGMA_ID = "9a1c6a8e-0000-4000-8000-000000001102";

    private static SecurityEvent cleared(String host, int n) {
        return SecurityEvent.builder().timestamp(T0.plusSeconds(n)).origin(Origin.file("security.json", n))
                .eventCode("1102").hostName(host).field("winlog.channel", "Security").field("winlog.event_id", "1102")
                .build();
    }

    private static SecurityEvent sshFailure(String sourceIp, int second) {
        return SecurityEvent.builder().timestamp(T0.plusSeconds(second)).eventAction("ssh_login")
                .eventOutcome("failure").eventModule("system").hostName("bastion-1").sourceIp(sourceIp)
                .userName("root").origin(Origin.file("auth.log", second)).build();
    }

    @Test
    void anExceptedHitIsReturnedApartWithItsEntryAndCountedPerRule() {
        RulePack pack = RulePack.compile(List.of(new RuleSource("test/stats.drl", DRL),
                new RuleSource("test/sigma/cleared.yml", SIGMA)));
        assertThat(pack.problems()).isEmpty();
        RuleExceptions ex = RuleExceptions.parse("ex.yml", """
                - id: dc1-maintenance
                  rule: "*"
                  field: host.name
                  values: [dc1]
                  reason: the log is cleared by the backup job on dc1
                  author: alice
                """);
        try (RuleEvaluator evaluator = pack.newEvaluator().exceptions(ex)) {
            RuleEvaluator.Evaluation onDc1 = evaluator.evaluateWithErrors(cleared("dc1", 1));
            assertThat(onDc1.hits()).isEmpty();
            assertThat(onDc1.excepted()).extracting(e -> e.hit().ruleId() + " by " + e.entry().id())
                    .containsExactly("log-cleared by dc1-maintenance", SIGMA_ID + " by dc1-maintenance");
            assertThat(onDc1.errors()).extracting(RuleError::ruleId).containsExactly("always-fails");
            RuleEvaluator.Evaluation onDc2 = evaluator.evaluateWithErrors(cleared("dc2", 2));
            assertThat(onDc2.hits()).extracting(RuleHit::ruleId).containsExactly("log-cleared", SIGMA_ID);
            assertThat(onDc2.excepted()).isEmpty();

            Map<String, RuleStats> stats = evaluator.stats();
            assertThat(stats.get("log-cleared")).extracting(RuleStats::hits, RuleStats::excepted, RuleStats::errors)
                    .containsExactly(1L, 1L, 0L);
            assertThat(stats.get(SIGMA_ID)).extracting(RuleStats::hits, RuleStats::excepted, RuleStats::errors)
                    .containsExactly(1L, 1L, 0L);
            assertThat(stats.get("always-fails")).extracting(RuleStats::hits, RuleStats::excepted, RuleStats::errors)
                    .containsExactly(0L, 0L, 2L);
            // time: the consequences that ran, the Sigma rule that was a candidate, and the shared parts
            assertThat(stats.get("log-cleared").evalNanos()).isPositive();
            assertThat(stats.get(SIGMA_ID).evalNanos()).isPositive();
            assertThat(stats.get(RuleStats.DROOLS).evalNanos()).isPositive();
            assertThat(stats.get(RuleStats.SIGMA).evalNanos()).isPositive();
            assertThat(stats.get(RuleStats.EXCEPTIONS).evalNanos()).isPositive();
            // the 4624 rule was never a candidate for a 1102 event: no time, no entry
            assertThat(stats).doesNotContainKey("9a1c6a8e-0000-4000-8000-000000004624");
        }
    }

    @Test
    void anExceptedHitDoesNotCountTowardAThreshold() {
        RulePack pack = RulePack.packaged();
        // 10.0.0.7 fails seven times in 7 s (threshold 5 in 60 s); the entry covers the first three
        List<SecurityEvent> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            events.add(sshFailure("10.0.0.7", i));
        }
        RuleExceptions expiring = RuleExceptions.parse("ex.yml", """
                - id: scanner
                  rule: ssh-brute-force
                  field: source.ip
                  cidr: [10.0.0.0/24]
                  reason: the scanner's window
                  author: alice
                  expires: 2026-03-01T10:00:03Z
                """);
        assertThat(alerts(pack, RuleExceptions.NONE, events)).containsExactly("ssh-brute-force 10.0.0.7");
        // four failures left to count: below the threshold
        assertThat(alerts(pack, expiring, events)).isEmpty();
        events.add(sshFailure("10.0.0.7", 7));
        assertThat(alerts(pack, expiring, events)).containsExactly("ssh-brute-force 10.0.0.7");
    }

    private static List<String> alerts(RulePack pack, RuleExceptions ex, List<SecurityEvent> events) {
        try (RuleEvaluator evaluator = pack.newEvaluator(Set.of("ssh-brute-force")).exceptions(ex)) {
            List<Alert> alerts = LocalCorrelation.run(pack, evaluator, events);
            return alerts.stream().map(a -> a.ruleId() + " " + a.groupKey()).toList();
        }
    }
}
