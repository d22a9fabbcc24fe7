package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.fixtures.Fixture;
import io.vigil.rules.fixtures.FixtureRunner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The prefilter in front of the Drools session never changes a hit: every event some rule fires
 * on still reaches the session, with the whole pack and with each rule alone, on the fixtures and
 * on the real datasets; and a rule it cannot read from the network turns it off.
 */
class EventPrefilterTest {

    private static RulePack pack;
    private static List<SecurityEvent> fixtureEvents;

    @BeforeAll
    static void compile() throws Exception {
        pack = RulePack.packaged();
        fixtureEvents = new ArrayList<>();
        for (RuleMeta rule : pack.rules().values()) {
            for (Fixture f : FixtureRunner.packagedFixtures(rule.file(), rule.id())) {
                fixtureEvents.addAll(f.events());
            }
        }
    }

    private static RuleEvaluator unfiltered(RulePack p, Set<String> ids) {
        Map<String, RuleMeta> only = new LinkedHashMap<>(p.rules());
        only.keySet().retainAll(ids);
        return new RuleEvaluator(p.kieBase(), p.network(), only, false, RuleEvaluator.DEFAULT_QUARANTINE_AFTER);
    }

    /** Both evaluators give the same hits on every event; returns how many events were skipped. */
    private static int assertSameHits(RulePack p, Set<String> ids, List<SecurityEvent> events) {
        int skipped = 0;
        try (RuleEvaluator filtered = p.newEvaluator(ids); RuleEvaluator all = unfiltered(p, ids)) {
            for (SecurityEvent e : events) {
                List<RuleHit> expected = all.evaluate(e);
                boolean mayFire = filtered.reachesSession(e);
                assertThat(filtered.evaluate(e)).as("rules %s on %s", ids, e).isEqualTo(expected);
                if (!expected.isEmpty()) {
                    assertThat(mayFire).as("prefilter of %s skips %s, which fires %s", ids, e, expected).isTrue();
                }
                skipped += mayFire ? 0 : 1;
            }
        }
        return skipped;
    }

    @Test
    void thePackagedPackIsReadFromTheNetworkAndSkipsWhatNoRuleMatches() {
        try (RuleEvaluator evaluator = pack.newEvaluator()) {
            assertThat(evaluator.prefilter().disabledBecause()).isNull();
            assertThat(evaluator.prefilter().active()).isTrue();
            SecurityEvent sessionOpened = event("session_opened", "success");
            assertThat(evaluator.evaluate(sessionOpened)).isEmpty();
            assertThat(evaluator.reachesSession(sessionOpened)).isFalse();
            SecurityEvent failure = event("ssh_login", "failure");
            assertThat(evaluator.reachesSession(failure)).isTrue();
            assertThat(evaluator.evaluate(failure)).extracting(RuleHit::ruleId)
                    .contains("ssh-brute-force", "brute-force-then-success", "password-spray");
        }
    }

    @Test
    void theWholePackNeverSkipsAFixtureEventARuleFiresOn() {
        int skipped = assertSameHits(pack, pack.rules().keySet(), fixtureEvents);
        assertThat(skipped).as("fixture events no rule matches (the must-not-fire fixtures)").isPositive();
    }

    @Test
    void eachRuleAloneNeverSkipsAFixtureEventItFiresOn() {
        for (String id : pack.rules().keySet()) {
            assertSameHits(pack, Set.of(id), fixtureEvents);
        }
    }

    @Test
    void theWholePackNeverSkipsADatasetEventARuleFiresOn() {
        List<SecurityEvent> events = new ArrayList<>();
        DatasetEvents.FILES.keySet().forEach(name -> events.addAll(DatasetEvents.of(name)));
        int skipped = assertSameHits(pack, pack.rules().keySet(), events);
        assertThat(events).hasSizeGreaterThan(10_000);
        assertThat(skipped).as("dataset events no rule matches").isGreaterThan(events.size() / 2);
    }

    private static final String HEADER = """
            package test.prefilter;
            import io.vigil.model.SecurityEvent;
            import io.vigil.rules.Signal;
            """;

    private static final String META = """
                @name("n") @description("d") @severity("high") @riskScore(70)
                @tactics("TA0005") @techniques("T1070.001") @shape("single") @groupBy("host.name")""";

    private static String rule(String id, String when) {
        return "rule \"" + id + "\"\n" + META + "\nwhen\n" + when + "\nthen\n    insert(new Signal($e));\nend\n";
    }

    private static final String GUARDED = rule("guarded", "    $e : SecurityEvent(eventAction == \"a\")");

    /** A pack of the guarded rule and {@code other}: the prefilter is off, and nothing is lost. */
    private static void turnsThePrefilterOff(String other, SecurityEvent firesOther, String reason) {
        RulePack p = RulePack.compile(List.of(new RuleSource("p.drl", HEADER + GUARDED + other)));
        assertThat(p.problems()).isEmpty();
        try (RuleEvaluator evaluator = p.newEvaluator()) {
            assertThat(evaluator.prefilter().active()).isFalse();
            assertThat(evaluator.prefilter().disabledBecause()).contains(reason);
            assertThat(evaluator.reachesSession(firesOther)).isTrue();
            assertThat(evaluator.evaluate(firesOther)).extracting(RuleHit::ruleId).containsExactly("other");
        }
    }

    @Test
    void aGuardedPackSkipsOnlyWhatItsConstraintsReject() {
        String drl = HEADER + GUARDED + rule("other", """
                    $e : SecurityEvent(eventAction != null, hostName != null && hostName.startsWith("web"))""");
        RulePack p = RulePack.compile(List.of(new RuleSource("p.drl", drl)));
        try (RuleEvaluator evaluator = p.newEvaluator()) {
            assertThat(evaluator.prefilter().active()).isTrue();
            assertThat(evaluator.reachesSession(event("a", null))).isTrue();
            assertThat(evaluator.reachesSession(event("b", null))).isFalse();
            SecurityEvent web = event("b", null).toBuilder().hostName("web1").build();
            assertThat(evaluator.reachesSession(web)).isTrue();
            assertThat(evaluator.evaluate(web)).extracting(RuleHit::ruleId).containsExactly("other");
        }
        assertSameHits(p, p.rules().keySet(), List.of(event("a", null), event("b", null),
                event("b", null).toBuilder().hostName("web1").build(), event(null, null)));
    }

    @Test
    void aRuleWithoutAnyConstraintTurnsItOff() {
        turnsThePrefilterOff(rule("other", "    $e : SecurityEvent()"), event("z", null), "no constraint");
    }

    @Test
    void aRuleOfTwoPatternsTurnsItOff() {
        turnsThePrefilterOff(rule("other", """
                    $e : SecurityEvent(eventAction == "z")
                    String() from "x\""""), event("z", null), "pattern");
    }

    @Test
    void aNegatedOrEvaluatedConditionTurnsItOff() {
        turnsThePrefilterOff(rule("other", """
                    $e : SecurityEvent(eventAction == "z")
                    not Signal()"""), event("z", null), "pattern");
        turnsThePrefilterOff(rule("other", """
                    $e : SecurityEvent(eventAction == "z")
                    eval(true)"""), event("z", null), "pattern");
    }

    @Test
    void aPatternOnAnotherTypeTurnsItOff() {
        String drl = """
                    $e : SecurityEvent(eventAction == "z")
                    $o : Object(this == $e)""";
        turnsThePrefilterOff(rule("other", drl), event("z", null), "pattern");
        turnsThePrefilterOff(rule("other", "    $e : Object(this instanceof SecurityEvent)").replace("new Signal($e)",
                "new Signal((SecurityEvent) $e)"), event("z", null), "not SecurityEvent");
    }

    @Test
    void aConstraintThatThrowsIsTheSameRuleErrorWithOrWithoutThePrefilter() {
        String drl = HEADER + rule("throws", "    $e : SecurityEvent(eventAction.length() > 0)");
        RulePack p = RulePack.compile(List.of(new RuleSource("p.drl", drl)));
        try (RuleEvaluator evaluator = p.newEvaluator(); RuleEvaluator all = unfiltered(p, p.rules().keySet())) {
            assertThat(evaluator.prefilter().active()).isTrue();
            assertThat(evaluator.reachesSession(event("a", null))).isTrue();
            // outside an evaluation the constraint throws, and the prefilter lets the event through
            assertThat(evaluator.reachesSession(event(null, null))).isTrue();
            assertThat(outcome(evaluator, event(null, null))).isEqualTo(outcome(all, event(null, null)))
                    .isEqualTo("hits [], errors [throws]");
        }
    }

    private static String outcome(RuleEvaluator evaluator, SecurityEvent e) {
        RuleEvaluator.Evaluation result = evaluator.evaluateWithErrors(e);
        return "hits " + result.hits() + ", errors " + result.errors().stream().map(RuleError::ruleId).toList();
    }

    private static SecurityEvent event(String action, String outcome) {
        return SecurityEvent.builder().timestamp(Instant.parse("2024-01-01T00:00:00Z")).eventAction(action)
                .eventOutcome(outcome).eventModule("system").hostName("bastion-1").sourceIp("10.0.0.7")
                .userName("alice").origin(Origin.file("x", 1)).build();
    }
}
