package io.vigil.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Alert;
import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContextAlertTest {

    private static final ContextRule RULE = new ContextRule("impossible-travel", 2, "Impossible travel",
            "Two sign-ins too far apart", "high", 73, List.of("TA0001"), List.of("T1078"), List.of("identity"));

    private static SecurityEvent signIn(int second, long line) {
        return SecurityEvent.builder().timestamp(Instant.parse("2026-03-01T10:00:00Z").plusSeconds(second))
                .userName("ana").sourceIp("198.51.100.4").hostName("bastion")
                .origin(Origin.file("auth.log", line)).build();
    }

    @Test
    void theIdDependsOnTheRuleTheKeyAndTheFirstEventOnly() {
        Alert a = ContextAlert.of(RULE, "user.name", "ana", List.of(signIn(0, 1), signIn(60, 2)), Map.of());
        Alert again = ContextAlert.of(RULE, "user.name", "ana", List.of(signIn(0, 1), signIn(90, 3)), Map.of());
        Alert otherFirst = ContextAlert.of(RULE, "user.name", "ana", List.of(signIn(0, 4)), Map.of());

        assertThat(again.id()).isEqualTo(a.id());
        assertThat(otherFirst.id()).isNotEqualTo(a.id());
    }

    @Test
    void carriesTheRuleTheEntitiesTimesAndContext() {
        Alert a = ContextAlert.of(RULE, "user.name", "ana", List.of(signIn(0, 1), signIn(60, 2)),
                Map.of("vigil.travel.speed_kmh", "5200"));

        assertThat(a.ruleId()).isEqualTo("impossible-travel");
        assertThat(a.ruleVersion()).isEqualTo(2);
        assertThat(a.severity()).isEqualTo("high");
        assertThat(a.techniques()).containsExactly("T1078");
        assertThat(a.entities()).containsEntry("user.name", "ana").containsEntry("source.ip", "198.51.100.4")
                .containsEntry("host.name", "bastion");
        assertThat(a.firstEventTime()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(a.timestamp()).isEqualTo(Instant.parse("2026-03-01T10:01:00Z"));
        assertThat(a.count()).isEqualTo(2);
        assertThat(a.context()).containsEntry("vigil.travel.speed_kmh", "5200");
    }

    @Test
    void keepsABoundedNumberOfOriginsAndKeyEvents() {
        List<SecurityEvent> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(signIn(i, i + 1));
        }
        Alert a = ContextAlert.of(RULE, "user.name", "ana", many, Map.of());

        assertThat(a.origins()).hasSize(Alert.MAX_ORIGINS);
        assertThat(a.keyEvents()).hasSize(Alert.MAX_KEY_EVENTS);
        assertThat(a.originsTotal()).isEqualTo(40);
    }
}
