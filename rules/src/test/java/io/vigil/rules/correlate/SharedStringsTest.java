package io.vigil.rules.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Origin;
import io.vigil.rules.RuleEvaluator;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RulePack;
import io.vigil.rules.verify.RuleSet;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SharedStringsTest {

    /** A copy no other code holds, as a deserialized hit brings it. */
    private static String fresh(String s) {
        return new String(s.toCharArray());
    }

    @Test
    void knownNamesKindsAndSourcesComeBackAsOneInstance() {
        assertThat(SharedStrings.name(fresh("source.ip"))).isSameAs(RuleEvaluator.ENTITY_FIELDS.get(0));
        assertThat(SharedStrings.kind(fresh("kafka"))).isSameAs(Origin.KAFKA);
        String topic = SharedStrings.source(fresh("vigil.raw.shared-strings-test"));
        assertThat(SharedStrings.source(fresh("vigil.raw.shared-strings-test"))).isSameAs(topic);

        String other = fresh("process.name");
        assertThat(SharedStrings.name(other)).isSameAs(other);
    }

    @Test
    void anOriginAlreadySharedIsKeptAndAFreshOneIsRebuiltEqual() {
        Origin fresh = new Origin(fresh("kafka"), fresh("vigil.raw.auth"), 2, 99);
        Origin shared = SharedStrings.origin(fresh);
        assertThat(shared).isEqualTo(fresh);
        assertThat(shared.kind()).isSameAs(Origin.KAFKA);
        assertThat(SharedStrings.origin(shared)).isSameAs(shared);
    }

    @Test
    void correlationStateHoldsTheSharedInstances() {
        RulePack pack = RulePack.compile(RuleSet.packaged().sources());
        CorrelationState st = new CorrelationState();
        for (int i = 0; i < 2; i++) {
            RuleHit hit = new RuleHit("ssh-brute-force", "203.0.113.5",
                    Instant.parse("2024-05-01T10:00:00Z").plusSeconds(i),
                    new Origin(fresh("kafka"), fresh("vigil.raw.auth"), 0, i), 0, null, null,
                    Map.of(fresh("source.ip"), "203.0.113.5", fresh("user.name"), "root"));
            Correlator.onHit(pack.rule("ssh-brute-force"), st, hit);
        }
        assertThat(st.window).hasSize(2);
        assertThat(st.window.get(1).origin.source()).isSameAs(st.window.get(0).origin.source());
        assertThat(st.window.get(0).origin.kind()).isSameAs(Origin.KAFKA);
        assertThat(st.entities).hasSize(2);
        for (String name : st.entities.keySet()) {
            assertThat(RuleEvaluator.ENTITY_FIELDS.stream().anyMatch(known -> known == name))
                    .as("%s is the shared instance", name).isTrue();
        }
    }
}
