package io.vigil.rules.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.rules.RuleHit;
import io.vigil.rules.RuleMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A compiled rule that throws on an event is reported under its own id; the other rules still match. */
class SigmaRuleIsolationTest {

    @Test
    void aThrowingRuleIsThatRulesFailureAndTheOthersGoOn() {
        Matcher throwing = e -> {
            throw new IllegalStateException("broken");
        };
        Matcher always = e -> true;
        CompiledRule bad = new CompiledRule(meta("bad"), null, null, throwing, n -> null);
        CompiledRule good = new CompiledRule(meta("good"), null, null, always, n -> null);
        LogSourceGroup group = new LogSourceGroup(new LogSourceKey("windows", null, "security"), always,
                List.of(bad, good));
        SigmaEventMatcher m = new SigmaEventMatcher(List.of(group), new EventFields(new FieldTable()));
        List<RuleHit> hits = new ArrayList<>();
        Map<String, Throwable> failed = new TreeMap<>();
        m.evaluate(Sigma.sysmon(1), id -> true, hits, failed::put);
        assertThat(hits).extracting(RuleHit::ruleId).containsExactly("good");
        assertThat(failed).containsOnlyKeys("bad");
        assertThat(failed.get("bad")).hasMessage("broken");
    }

    private static RuleMeta meta(String id) {
        return RuleMeta.builder().id(id).name(id).ruleset(RuleMeta.SIGMA).groupBy(List.of("host.name")).build();
    }
}
