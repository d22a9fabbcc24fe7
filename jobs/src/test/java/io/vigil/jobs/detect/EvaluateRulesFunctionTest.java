package io.vigil.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.DeadLetter;
import io.vigil.model.EcsJson;
import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleHit;
import io.vigil.rules.verify.RuleSet;
import io.vigil.rules.RuleSource;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rule evaluation under Flink's operator test harness: an event a rule fails on still yields the
 * other rules' hits, and the failure leaves on the rule-error side output as a dead letter.
 */
class EvaluateRulesFunctionTest {

    private static final String META = """
                @name("n") @description("d") @severity("low") @riskScore(10)
                @tactics("TA0005") @techniques("T1070") @shape("single") @groupBy("host.name")""";
    private static final String DRL = """
            package test.evaluate;
            import io.vigil.model.SecurityEvent;
            import io.vigil.rules.Signal;

            function boolean brokenCheck(SecurityEvent e) {
                String missing = "npe".equals(e.eventAction()) ? null : "present";
                return missing.isEmpty();
            }
            rule "every-event"
            """ + META + """

            when
                $e : SecurityEvent(hostName != null)
            then
                insert(new Signal($e));
            end
            rule "broken-condition"
            """ + META + """

            when
                $e : SecurityEvent(brokenCheck(this))
            then
                insert(new Signal($e));
            end
            rule "broken-consequence"
            """ + META + """

            when
                $e : SecurityEvent(eventAction == "then")
            then
                if (true) { throw new IllegalArgumentException("no such step"); }
            end
            """;
    private static final Instant T = Instant.parse("2024-03-01T12:00:00Z");

    private OneInputStreamOperatorTestHarness<SecurityEvent, RuleHit> harness;

    @BeforeEach
    void open() throws Exception {
        RuleSet rules = RuleSet.verified(List.of(new RuleSource("test/evaluate.drl", DRL)));
        assertThat(rules.problems()).isEmpty();
        harness = ProcessFunctionTestHarnesses.forProcessFunction(new EvaluateRulesFunction(rules, 3));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static SecurityEvent event(String action, long line, String original) {
        return SecurityEvent.builder().timestamp(T.plusSeconds(line)).eventAction(action).eventModule("system")
                .hostName("ws1").eventOriginal(original).origin(Origin.file("auth.log", line)).build();
    }

    private List<DeadLetter> letters() {
        var out = harness.getSideOutput(EvaluateRulesFunction.RULE_ERRORS);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue).filter(Objects::nonNull).toList();
    }

    @Test
    void aFailingRuleIsADeadLetterAndTheEventStillGoesThroughTheOtherRules() throws Exception {
        SecurityEvent npe = event("npe", 3, "Mar  1 12:00:03 ws1 app: npe");
        SecurityEvent then = event("then", 4, null);
        harness.processElement(npe, npe.timestamp().toEpochMilli());
        harness.processElement(then, then.timestamp().toEpochMilli());

        assertThat(harness.extractOutputValues()).extracting(RuleHit::ruleId).containsExactly("every-event", "every-event");
        assertThat(letters()).hasSize(2);
        DeadLetter condition = letters().get(0);
        assertThat(condition.kind()).isEqualTo(DeadLetter.RULE_ERROR);
        assertThat(condition.ruleId()).isEqualTo("broken-condition");
        assertThat(condition.origin()).isEqualTo(Origin.file("auth.log", 3));
        assertThat(condition.raw()).isEqualTo("Mar  1 12:00:03 ws1 app: npe");
        assertThat(condition.rawEncoding()).isEqualTo(DeadLetter.UTF_8);
        assertThat(condition.rawBytes()).isEqualTo(condition.raw().length());
        assertThat(condition.decoder()).isEqualTo("system");
        assertThat(condition.reason()).startsWith("rule 'broken-condition' failed in its condition [brokenCheck(this)]: "
                + NullPointerException.class.getName()).doesNotContain("\n\tat ");
        DeadLetter consequence = letters().get(1);
        assertThat(consequence.ruleId()).isEqualTo("broken-consequence");
        assertThat(consequence.reason()).isEqualTo("rule 'broken-consequence' failed in its consequence: "
                + IllegalArgumentException.class.getName() + ": no such step");
        // no event.original: the event itself, as ECS JSON, is the evidence
        assertThat(consequence.raw()).isEqualTo(EcsJson.write(then));
    }

    @Test
    void aRuleQuarantinedInTheTaskStopsProducingDeadLetters() throws Exception {
        for (int line = 1; line <= 5; line++) {
            SecurityEvent e = event("npe", line, "npe " + line);
            harness.processElement(e, e.timestamp().toEpochMilli());
        }
        // quarantined after the third consecutive failure
        assertThat(letters()).extracting(DeadLetter::raw).containsExactly("npe 1", "npe 2", "npe 3");
        assertThat(harness.extractOutputValues()).hasSize(5).extracting(RuleHit::ruleId).containsOnly("every-event");
    }
}
