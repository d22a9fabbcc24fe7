package io.vigil.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Alert;
import io.vigil.model.RuleProvenance;
import io.vigil.rules.verify.RuleSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** A mass-activity alert keeps the provenance of the rule whose alerts it aggregates. */
class MassActivityProvenanceTest {

    private static final Instant T0 = Instant.parse("2024-06-01T10:00:00Z");
    private static final RuleProvenance SIGMA = new RuleProvenance("sigma", List.of("Nasreddine Bencherchali"),
            "DRL-1.1", List.of("https://example.org/scanner"), "stable");

    private static Alert sigma(Alert a) {
        return new Alert(a.id(), a.timestamp(), a.ruleId(), a.ruleVersion(), a.ruleName(), a.description(),
                a.severity(), a.riskScore(), a.tactics(), a.techniques(), a.tags(), a.groupBy(), a.groupKey(),
                a.entities(), a.count(), a.suppressedCount(), a.firstEventTime(), a.lastEventTime(), a.origins(),
                a.originsTotal(), a.keyEvents(), null, SIGMA);
    }

    @Test
    void theMassActivityAlertIsOfTheSameRulesetAuthorsAndLicence() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new MassActivityFunction(RuleSet.packaged(), 2, Duration.ofHours(24))),
                Alert::ruleId, Types.STRING);
        try {
            h.open();
            for (int i = 1; i <= 5; i++) {
                Alert a = sigma(MassActivityFunctionTest.alert("sigma-scanner-test", "198.51.100." + i,
                        T0.plusSeconds(i)));
                h.processElement(new StreamRecord<>(a, a.timestamp().toEpochMilli()));
            }
            h.processWatermark(T0.plusSeconds(60).toEpochMilli());
            List<Alert> out = h.extractOutputValues();
            assertThat(out).hasSize(3);
            Alert mass = out.get(2);
            assertThat(mass.massActivity()).isNotNull();
            assertThat(mass.provenance()).isEqualTo(SIGMA);
            assertThat(out).extracting(Alert::provenance).containsOnly(SIGMA);
        } finally {
            h.close();
        }
    }
}
