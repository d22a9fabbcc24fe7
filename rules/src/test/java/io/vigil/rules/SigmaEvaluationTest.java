package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Compiled Sigma rules run in the same evaluation as the DRL pack: their hits come after the
 * session's, a Sigma rule's failure is that rule's {@link RuleError} (counted toward quarantine),
 * and one rule id can be evaluated alone ({@code vigil sigma test}).
 */
class SigmaEvaluationTest {

    private static final String DRL = """
            package test.sigma;
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
            title: Another Security event
            id: 9a1c6a8e-0000-4000-8000-000000000002
            logsource: {product: windows, service: security}
            detection:
                sel:
                    EventID: [1102, 4624]
                condition: sel
            """;

    private static SecurityEvent cleared() {
        return SecurityEvent.builder().timestamp(Instant.parse("2026-03-01T10:00:00Z"))
                .origin(Origin.file("security.json", 7)).eventCode("1102").hostName("dc1")
                .field("winlog.channel", "Security").field("winlog.event_id", "1102").build();
    }

    private static RulePack pack() {
        return RulePack.compile(List.of(new RuleSource("test/cleared.drl", DRL),
                new RuleSource("test/sigma/cleared.yml", SIGMA)));
    }

    @Test
    void aSigmaHitAndADrlHitBothComeOutForOneEvent() {
        RulePack pack = pack();
        assertThat(pack.problems()).isEmpty();
        assertThat(pack.rules()).containsKeys("log-cleared", "9a1c6a8e-0000-4000-8000-000000001102");
        assertThat(pack.rule("9a1c6a8e-0000-4000-8000-000000001102").ruleset()).isEqualTo(RuleMeta.SIGMA);
        assertThat(pack.sigmaStatuses()).hasSize(2).allSatisfy(s -> {
            assertThat(s.state()).isEqualTo(SigmaStatus.State.COMPILED);
            assertThat(s.logSource()).isEqualTo("windows//security");
        });
        try (RuleEvaluator evaluator = pack.newEvaluator()) {
            RuleEvaluator.Evaluation ev = evaluator.evaluateWithErrors(cleared());
            assertThat(ev.errors()).isEmpty();
            assertThat(ev.hits()).extracting(RuleHit::ruleId).containsExactly("log-cleared",
                    "9a1c6a8e-0000-4000-8000-000000001102", "9a1c6a8e-0000-4000-8000-000000000002");
            RuleHit sigma = ev.hits().get(1);
            assertThat(sigma.groupKey()).isEqualTo("dc1");
            assertThat(sigma.entities()).containsEntry("host.name", "dc1");
        }
        try (RuleEvaluator one = pack.newEvaluator(Set.of("9a1c6a8e-0000-4000-8000-000000001102"))) {
            assertThat(one.evaluate(cleared())).extracting(RuleHit::ruleId)
                    .containsExactly("9a1c6a8e-0000-4000-8000-000000001102");
        }
    }

    @Test
    void aSigmaRuleFailingOnAnEventIsThatRulesErrorOnlyAndIsQuarantinedWhenItKeepsFailing() {
        RulePack pack = pack();
        String bad = "9a1c6a8e-0000-4000-8000-000000001102";
        // the compiled matcher, with one rule made to throw (a Sigma rule cannot be written to fail)
        SigmaMatcher real = pack.sigmaRules().newMatcher();
        SigmaMatcher failing = (event, inPlay, hits, failed) -> {
            real.evaluate(event, id -> !id.equals(bad) && inPlay.test(id), hits, failed);
            if (inPlay.test(bad)) {
                failed.accept(bad, new IllegalStateException("boom"));
            }
        };
        java.util.Map<String, RuleMeta> active = new java.util.LinkedHashMap<>(pack.rules());
        try (RuleEvaluator evaluator = new RuleEvaluator(pack.kieBase(), pack.network(), active, true, 3, failing)) {
            for (int i = 1; i <= 3; i++) {
                RuleEvaluator.Evaluation ev = evaluator.evaluateWithErrors(cleared());
                assertThat(ev.hits()).extracting(RuleHit::ruleId)
                        .containsExactly("log-cleared", "9a1c6a8e-0000-4000-8000-000000000002");
                assertThat(ev.errors()).singleElement().satisfies(e -> {
                    assertThat(e.ruleId()).isEqualTo(bad);
                    assertThat(e.reason()).contains("boom");
                });
                if (i < 3) {
                    assertThat(ev.quarantined()).isEmpty();
                } else {
                    assertThat(ev.quarantined()).singleElement()
                            .satisfies(p -> assertThat(p.ruleId()).isEqualTo(bad));
                }
            }
            assertThat(evaluator.activeRules()).doesNotContain(bad).contains("log-cleared");
            assertThat(evaluator.evaluateWithErrors(cleared()).errors()).isEmpty();
        }
    }
}
