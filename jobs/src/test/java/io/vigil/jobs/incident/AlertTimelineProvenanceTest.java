package io.vigil.jobs.incident;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Alert;
import io.vigil.model.Origin;
import io.vigil.model.RuleProvenance;
import io.vigil.model.TimelineEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The timeline line of an alert of a Sigma rule says whose rule it is (what vigil incidents show prints). */
class AlertTimelineProvenanceTest {

    private static final Instant T = Instant.parse("2024-08-01T09:30:00Z");

    private static Alert alert(RuleProvenance provenance) {
        return new Alert("a1", T, "5f1a0c3e-1111-4a2b-9c3d-000000000001", 1, "Whoami execution", "d", "high", 73,
                List.of("TA0007"), List.of("T1033"), List.of(), "host.name", "ws-7", Map.of("host.name", "ws-7"), 1,
                0, T, T, List.of(Origin.file("security.json", 3)), 1, List.of(), null, provenance);
    }

    @Test
    void aSigmaAlertsLineNamesItsAuthorsAndLicence() {
        TimelineEntry e = IncidentAssembler.alertEntry("inc1", alert(new RuleProvenance("sigma",
                List.of("Florian Roth (Nextron Systems)", "oscd.community"), "DRL-1.1", List.of(), "test")));
        assertThat(e.summary()).isEqualTo("Whoami execution: 1 event — host.name ws-7 "
                + "[sigma rule by Florian Roth (Nextron Systems), oscd.community, DRL-1.1]");
    }

    @Test
    void aVigilAlertsLineIsAsBefore() {
        TimelineEntry e = IncidentAssembler.alertEntry("inc1", alert(new RuleProvenance("vigil", List.of("Vigil"),
                null, List.of(), null)));
        assertThat(e.summary()).isEqualTo("Whoami execution: 1 event — host.name ws-7");
    }
}
