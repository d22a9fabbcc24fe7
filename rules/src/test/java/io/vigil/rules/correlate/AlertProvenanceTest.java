package io.vigil.rules.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Alert;
import io.vigil.model.Origin;
import io.vigil.model.RuleProvenance;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.RulePack;
import io.vigil.rules.RuleSource;
import io.vigil.rules.Shape;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An alert carries its rule's ruleset, authors, licence, references and status. */
class AlertProvenanceTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private static Alert fire(RuleMeta rule) {
        List<Alert> alerts = Correlator.onHit(rule, new CorrelationState(), new RuleHit(rule.id(), "web-1", T0,
                Origin.file("security.json", 1), 0, null, null, Map.of("host.name", "web-1")));
        assertThat(alerts).hasSize(1);
        return alerts.get(0);
    }

    /** The alert of a window with one event, whatever the rule's shape. */
    private static Alert alertOf(RuleMeta rule) {
        RuleHit hit = new RuleHit(rule.id(), "203.0.113.9", T0, Origin.file("auth.log", 1), 0, null, null,
                Map.of("source.ip", "203.0.113.9"));
        return Correlator.alert(rule, hit, List.of(new WindowEntry(T0.toEpochMilli(), hit.origin(), null)),
                new CorrelationState());
    }

    @Test
    void aSigmaAlertKeepsWhatTheDetectionRuleLicenseAsksFor() {
        RuleMeta sigma = RuleMeta.builder().id("5f1a0c3e-1111-4a2b-9c3d-000000000001").name("Suspicious whoami")
                .shape(Shape.SINGLE).groupBy(List.of("host.name")).ruleset(RuleMeta.SIGMA)
                .author("Florian Roth (Nextron Systems), oscd.community").license("DRL-1.1")
                .references(List.of("https://attack.mitre.org/techniques/T1033/")).status("test").build();

        assertThat(fire(sigma).provenance()).isEqualTo(new RuleProvenance("sigma",
                List.of("Florian Roth (Nextron Systems)", "oscd.community"), "DRL-1.1",
                List.of("https://attack.mitre.org/techniques/T1033/"), "test"));
    }

    @Test
    void theShippedPackIsVigilsOwnAndARulesDirectoryNamesNoAuthor() {
        RuleSource shipped = RuleSource.packaged().stream().filter(s -> s.file().endsWith("/ssh/ssh.drl"))
                .findFirst().orElseThrow();
        RuleMeta packaged = RulePack.compile(List.of(shipped)).rule("ssh-brute-force");
        RuleProvenance p = alertOf(packaged).provenance();
        assertThat(p.ruleset()).isEqualTo(RuleMeta.VIGIL);
        assertThat(p.authors()).containsExactly("Vigil");
        assertThat(p.references()).isEqualTo(packaged.references()).isNotEmpty();
        assertThat(p.license()).isNull();

        RuleMeta operators = RulePack.compile(List.of(new RuleSource("my-rules/ssh.drl", shipped.drl())))
                .rule("ssh-brute-force");
        assertThat(alertOf(operators).provenance()).isEqualTo(
                new RuleProvenance("vigil", List.of(), null, packaged.references(), null));
    }
}
