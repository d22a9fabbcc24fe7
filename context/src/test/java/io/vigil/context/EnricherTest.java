package io.vigil.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Alert;
import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnricherTest {

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    /** A part that knows hosts by name: what an assets table does, small. */
    record HostPart(Map<String, String> criticality) implements ContextPart {
        @Override
        public void enrich(SecurityEvent event, Map<String, String> fields) {
            String c = event.hostName() == null ? null : criticality.get(event.hostName());
            if (c != null) {
                fields.put("host.asset.criticality", c);
            }
        }

        @Override
        public void enrich(Alert alert, Map<String, String> fields) {
            String c = criticality.get(alert.entities().get("host.name"));
            if (c != null) {
                fields.put("host.asset.criticality", c);
            }
        }
    }

    static final ContextPart FAILING = new ContextPart() {
        @Override
        public void enrich(SecurityEvent event, Map<String, String> fields) {
            throw new IllegalStateException("a part's bug");
        }
    };

    private static SecurityEvent event(String host) {
        return SecurityEvent.builder().timestamp(T).hostName(host).origin(Origin.file("auth.log", 1)).build();
    }

    @Test
    void addsThePartsFieldsAndLeavesAnEventNoPartKnowsAsItIs() {
        Enricher enricher = new Enricher(List.of(new HostPart(Map.of("db1", "critical"))));
        SecurityEvent known = event("db1");
        SecurityEvent unknown = event("ws7");

        assertThat(enricher.enrich(known).field("host.asset.criticality")).isEqualTo("critical");
        assertThat(enricher.enrich(unknown)).isSameAs(unknown);
    }

    @Test
    void aFieldTheEventHasAlreadyIsKept() {
        Enricher enricher = new Enricher(List.of(new HostPart(Map.of("db1", "critical"))));
        SecurityEvent already = event("db1").toBuilder().field("host.asset.criticality", "low").build();

        assertThat(enricher.enrich(already).field("host.asset.criticality")).isEqualTo("low");
    }

    @Test
    void aPartThatFailsCostsOnlyItsOwnFieldsAndIsCounted() {
        Enricher enricher = new Enricher(List.of(FAILING, new HostPart(Map.of("db1", "high"))));

        SecurityEvent out = enricher.enrich(event("db1"));

        assertThat(out.field("host.asset.criticality")).isEqualTo("high");
        assertThat(enricher.failures()).isEqualTo(1);
    }

    @Test
    void anUpdateOfAKindNoPartTakesIsReportedNotTaken() {
        Enricher enricher = new Enricher(List.of(new HostPart(Map.of())));
        ContextUpdate u = new ContextUpdate("intel", "feed", "csv", "ana", T, new byte[0]);

        assertThat(enricher.update(u)).isFalse();
    }
}
