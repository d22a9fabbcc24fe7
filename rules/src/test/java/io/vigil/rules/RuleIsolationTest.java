package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.fixtures.Fixture;
import io.vigil.rules.fixtures.FixtureRunner;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a rule throws on one event is that rule's error for that event: the event still goes
 * through every other rule, the error is reported once under the right rule, the evaluator works
 * on for the next event, and a rule that keeps failing is quarantined (and one that also succeeds
 * is not). The rules below throw on purpose, each on its own event action.
 */
class RuleIsolationTest {

    private static final String HEADER = """
            package test.isolation;
            import io.vigil.model.SecurityEvent;
import io.vigil.rules.fixtures.Fixture;
import io.vigil.rules.fixtures.FixtureRunner;
            import io.vigil.rules.Signal;

            function int deeper(int n) {
                return n < 0 ? 0 : 1 + deeper(n + 1);
            }

            function boolean nullPointer(SecurityEvent e) {
                String missing = e.eventAction().equals("npe") ? null : "present";
                return missing.length() > 100;
            }

            function boolean overflows(SecurityEvent e) {
                return "overflow".equals(e.eventAction()) && deeper(1) > 0;
            }

            function boolean failsInit(SecurityEvent e) {
                if ("init".equals(e.eventAction())) {
                    throw new ExceptionInInitializerError("static state of a helper failed");
                }
                return false;
            }

            function boolean asserts(SecurityEvent e) {
                if ("assert".equals(e.eventAction())) {
                    throw new AssertionError("a rule's own check");
                }
                return false;
            }

            function boolean outOfMemory(SecurityEvent e) {
                if ("oom".equals(e.eventAction())) {
                    throw new OutOfMemoryError("pretend");
                }
                return false;
            }
            """;

    private static final String META = """
                @name("n") @description("d") @severity("low") @riskScore(10)
                @tactics("TA0005") @techniques("T1070") @shape("single") @groupBy("host.name")""";

    private static String rule(String id, String when, String then) {
        return "rule \"" + id + "\"\n" + META + "\nwhen\n" + when + "\nthen\n" + then + "\nend\n";
    }

    private static String rule(String id, String when) {
        return rule(id, "    $e : SecurityEvent(" + when + ")", "    insert(new Signal($e));");
    }

    /** Fires on every event: the hit every other rule's failure must leave alone. */
    private static final String HEALTHY = rule("healthy", "hostName != null");

    private static RulePack pack;

    @BeforeAll
    static void compile() {
        String drl = HEADER + HEALTHY
                + rule("null-pointer", "nullPointer(this)")
                + rule("stack-overflow", "overflows(this)")
                + rule("class-init", "failsInit(this)")
                + rule("assertion", "asserts(this)")
                + rule("out-of-memory", "outOfMemory(this)")
                + rule("then-throws", "    $e : SecurityEvent(eventAction == \"then\")",
                        "    insert(new Signal($e));\n    if (true) { throw new IllegalStateException(\"consequence failed\"); }")
                + rule("then-overflows", "    $e : SecurityEvent(eventAction == \"then-deep\")",
                        "    insert(new Signal($e));\n    deeper(1);");
        pack = RulePack.compile(List.of(new RuleSource("isolation.drl", drl)));
        assertThat(pack.problems()).isEmpty();
    }

    private static SecurityEvent event(String action) {
        return SecurityEvent.builder().timestamp(Instant.parse("2024-01-01T00:00:00Z")).eventAction(action)
                .hostName("ws1").origin(Origin.file("events.log", 7)).build();
    }

    private static RuleEvaluator evaluator(int quarantineAfter) {
        return pack.newEvaluator(pack.rules().keySet(), quarantineAfter);
    }

    @Test
    void eachFailureIsOneErrorOfItsRuleAndTheOtherRulesStillSeeTheEvent() {
        record Case(String action, String rule, RuleError.Stage stage, Class<? extends Throwable> error) {}
        List<Case> cases = List.of(
                new Case("npe", "null-pointer", RuleError.Stage.CONDITION, NullPointerException.class),
                new Case("overflow", "stack-overflow", RuleError.Stage.CONDITION, StackOverflowError.class),
                new Case("init", "class-init", RuleError.Stage.CONDITION, ExceptionInInitializerError.class),
                new Case("assert", "assertion", RuleError.Stage.CONDITION, AssertionError.class),
                new Case("then", "then-throws", RuleError.Stage.CONSEQUENCE, IllegalStateException.class),
                new Case("then-deep", "then-overflows", RuleError.Stage.CONSEQUENCE, StackOverflowError.class));
        try (RuleEvaluator evaluator = evaluator(0)) {
            for (Case c : cases) {
                SecurityEvent e = event(c.action());
                RuleEvaluator.Evaluation result = evaluator.evaluateWithErrors(e);
                assertThat(result.hits()).as(c.action()).extracting(RuleHit::ruleId).containsExactly("healthy");
                assertThat(result.errors()).as(c.action()).singleElement().satisfies(error -> {
                    assertThat(error.ruleId()).isEqualTo(c.rule());
                    assertThat(error.stage()).isEqualTo(c.stage());
                    assertThat(error.event()).isSameAs(e);
                    assertThat(RuleError.describe(error.error())).startsWith(c.error().getName());
                    assertThat(error.reason()).startsWith("rule '" + c.rule() + "' failed in its " + c.stage())
                            .contains(c.error().getName()).doesNotContain("\n")
                            .hasSizeLessThanOrEqualTo(RuleError.MAX_REASON_CHARS);
                });
                // the same evaluator goes on as if nothing happened
                RuleEvaluator.Evaluation next = evaluator.evaluateWithErrors(event("logon"));
                assertThat(next.hits()).as("after " + c.action()).extracting(RuleHit::ruleId).containsExactly("healthy");
                assertThat(next.errors()).as("after " + c.action()).isEmpty();
            }
            assertThat(evaluator.activeRules()).hasSize(pack.rules().size());
        }
    }

    @Test
    void aConditionFailingInThePrefilterAndInTheSessionIsReportedOnce() {
        // the prefilter and the session evaluate the same guarded constraints
        try (RuleEvaluator evaluator = evaluator(0)) {
            assertThat(evaluator.prefilter().active()).isTrue();
            assertThat(evaluator.evaluateWithErrors(event("npe")).errors()).extracting(RuleError::ruleId)
                    .containsExactly("null-pointer");
        }
    }

    @Test
    void runningOutOfMemoryIsNotCaughtEvenWrappedByTheEngine() {
        // a pack of its own: its condition is still interpreted, and MVEL wraps what the function throws
        RulePack fresh = RulePack.compile(List.of(new RuleSource("oom.drl", HEADER + HEALTHY
                + rule("out-of-memory", "outOfMemory(this)"))));
        try (RuleEvaluator evaluator = fresh.newEvaluator()) {
            assertThatThrownBy(() -> evaluator.evaluateWithErrors(event("oom"))).isInstanceOf(OutOfMemoryError.class);
        }
        try (RuleEvaluator evaluator = evaluator(0)) {
            assertThatThrownBy(() -> evaluator.evaluateWithErrors(event("oom"))).isInstanceOf(OutOfMemoryError.class);
        }
    }

    @Test
    void aRuleFailingOnEveryEventReachingItIsQuarantinedAfterNInARow() {
        try (RuleEvaluator evaluator = evaluator(3)) {
            for (int i = 0; i < 2; i++) {
                assertThat(evaluator.evaluateWithErrors(event("npe")).quarantined()).isEmpty();
            }
            RuleEvaluator.Evaluation third = evaluator.evaluateWithErrors(event("npe"));
            assertThat(third.errors()).extracting(RuleError::ruleId).containsExactly("null-pointer");
            assertThat(third.quarantined()).singleElement().satisfies(p -> {
                assertThat(p.ruleId()).isEqualTo("null-pointer");
                assertThat(p.file()).isEqualTo("isolation.drl");
                assertThat(p.message()).contains("quarantined after 3 consecutive failures of its condition")
                        .contains(NullPointerException.class.getName());
            });
            assertThat(evaluator.quarantined()).hasSize(1);
            assertThat(evaluator.activeRules()).doesNotContain("null-pointer").contains("healthy");
            // inactive now: no more errors, the other rules as before
            RuleEvaluator.Evaluation after = evaluator.evaluateWithErrors(event("npe"));
            assertThat(after.errors()).isEmpty();
            assertThat(after.quarantined()).isEmpty();
            assertThat(after.hits()).extracting(RuleHit::ruleId).containsExactly("healthy");
        }
    }

    @Test
    void aRuleThatAlsoSucceedsBetweenFailuresIsNotQuarantined() {
        try (RuleEvaluator evaluator = evaluator(3)) {
            for (int round = 0; round < 5; round++) {
                evaluator.evaluateWithErrors(event("npe"));
                evaluator.evaluateWithErrors(event("npe"));
                // its condition runs on this one without failing: the streak starts again
                assertThat(evaluator.evaluateWithErrors(event("logon")).errors()).isEmpty();
            }
            assertThat(evaluator.quarantined()).isEmpty();
            assertThat(evaluator.activeRules()).contains("null-pointer");
        }
    }

    @Test
    void aConsequenceFailingEveryTimeItRunsIsQuarantined() {
        try (RuleEvaluator evaluator = evaluator(2)) {
            evaluator.evaluateWithErrors(event("then-deep"));
            // other events do not run this consequence: they neither reset nor extend its streak
            evaluator.evaluateWithErrors(event("logon"));
            assertThat(evaluator.evaluateWithErrors(event("then-deep")).quarantined()).extracting(RuleProblem::ruleId)
                    .containsExactly("then-overflows");
            RuleEvaluator.Evaluation after = evaluator.evaluateWithErrors(event("then-deep"));
            assertThat(after.errors()).isEmpty();
            assertThat(after.hits()).extracting(RuleHit::ruleId).containsExactly("healthy");
        }
    }

    @Test
    void aFailureInAJoinIsNamedWhenOneRuleCanHaveItAndUnknownOtherwise() {
        String joinThrows = rule("join-throws", """
                    $e : SecurityEvent(eventAction == "join")
                    eval(nullPointer(SecurityEvent.builder().timestamp($e.timestamp()).eventAction("npe").origin($e.origin()).build()))""",
                "    insert(new Signal($e));");
        String joinFine = rule("join-fine", """
                    $e : SecurityEvent(eventAction == "join")
                    eval(true)""", "    insert(new Signal($e));");
        RulePack one = RulePack.compile(List.of(new RuleSource("join.drl", HEADER + HEALTHY + joinThrows)));
        try (RuleEvaluator evaluator = one.newEvaluator()) {
            RuleEvaluator.Evaluation result = evaluator.evaluateWithErrors(event("join"));
            assertThat(result.errors()).singleElement().satisfies(e -> {
                assertThat(e.ruleId()).isEqualTo("join-throws");
                assertThat(e.stage()).isEqualTo(RuleError.Stage.EVALUATION);
            });
            assertThat(result.hits()).extracting(RuleHit::ruleId).containsExactly("healthy");
            assertThat(evaluator.evaluateWithErrors(event("logon")).hits()).extracting(RuleHit::ruleId)
                    .containsExactly("healthy");
        }
        RulePack two = RulePack.compile(List.of(new RuleSource("join.drl", HEADER + HEALTHY + joinThrows + joinFine)));
        try (RuleEvaluator evaluator = two.newEvaluator()) {
            RuleEvaluator.Evaluation result = evaluator.evaluateWithErrors(event("join"));
            assertThat(result.errors()).extracting(RuleError::ruleId).containsExactly(RuleError.UNKNOWN_RULE);
            // evaluated again without the rules whose failures cannot be named
            assertThat(result.hits()).extracting(RuleHit::ruleId).containsExactly("healthy");
            assertThat(evaluator.evaluateWithErrors(event("logon")).hits()).extracting(RuleHit::ruleId)
                    .containsExactly("healthy");
        }
    }

    @Test
    void aRuleThatThrowsOnItsOwnFixtureFailsIt() {
        List<Fixture> fixtures = List.of(
                new Fixture("f.json", "null-pointer", "fires", List.of(event("npe")), 1, List.of()),
                new Fixture("f.json", "null-pointer", "stays quiet", List.of(event("logon")), 0, List.of()));
        FixtureRunner.RuleReport report = FixtureRunner.run(pack, "null-pointer", fixtures);
        assertThat(report.passed()).isFalse();
        assertThat(report.results().get(0).detail()).startsWith("throws on event 1: rule 'null-pointer' failed");
        assertThat(report.results().get(1).passed()).isTrue();
    }
}
