package io.vigil.context.intel;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Alert;
import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntelAlertTest {

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    private static SecurityEvent matched(int confidence, String host) {
        Indicator ind = new Indicator(Indicator.Type.IPV4_ADDR, "203.0.113.7", confidence, null, null, "abuse",
                "CERT-X", "indicator--1", "scanner");
        SecurityEvent.Builder b = SecurityEvent.builder().timestamp(T).sourceIp("203.0.113.7").hostName(host)
                .origin(Origin.file("auth.log", 3));
        Map<String, String> fields = IntelFields.of(ind, "source.ip", "203.0.113.7", "indicator_match_rule");
        fields.forEach(b::field);
        return b.build();
    }

    private static SecurityEvent matchedDomain(String queried, String host) {
        Indicator ind = new Indicator(Indicator.Type.DOMAIN_NAME, "evil.example", 80, null, null, "abuse", null, null, null);
        SecurityEvent.Builder b = SecurityEvent.builder().timestamp(T).destinationDomain(queried).hostName(host)
                .origin(Origin.file("dns.log", 3));
        IntelFields.of(ind, "destination.domain", queried, "indicator_match_rule").forEach(b::field);
        return b.build();
    }

    /** Random subdomains of one listed domain are one key per host: the keys are bounded by the feed, not the input. */
    @Test
    void isKeyedByTheIndicatorNotTheMatchedValue() {
        assertThat(IntelAlert.groupKey(matchedDomain("a1b2.evil.example", "web1")))
                .isEqualTo(IntelAlert.groupKey(matchedDomain("zz9.evil.example", "web1")))
                .isEqualTo("evil.example @ web1");
        assertThat(IntelAlert.groupKey(matchedDomain("a1b2.evil.example", "web2"))).isEqualTo("evil.example @ web2");
    }

    @Test
    void severityFollowsTheIndicatorsConfidence() {
        assertThat(IntelAlert.of(List.of(matched(90, "web1")), false).severity()).isEqualTo("high");
        assertThat(IntelAlert.of(List.of(matched(50, "web1")), false).severity()).isEqualTo("medium");
        assertThat(IntelAlert.of(List.of(matched(10, "web1")), false).severity()).isEqualTo("low");
        assertThat(IntelAlert.of(List.of(matched(90, "web1")), false).riskScore()).isEqualTo(73);
    }

    @Test
    void carriesTheIndicatorAndFeedAndIsKeyedByValueAndHost() {
        Alert a = IntelAlert.of(List.of(matched(80, "web1")), false);

        assertThat(a.ruleId()).isEqualTo("threat-intel-match");
        assertThat(a.groupKey()).isEqualTo("203.0.113.7 @ web1");
        assertThat(a.context()).containsEntry("threat.indicator.name", "203.0.113.7")
                .containsEntry("threat.indicator.type", "ipv4-addr")
                .containsEntry("threat.indicator.confidence", "High")
                .containsEntry("threat.feed.name", "abuse")
                .containsEntry("threat.indicator.provider", "CERT-X")
                .containsEntry("threat.enrichments.matched.field", "source.ip")
                .doesNotContainKey(IntelAlert.RETRO);
    }

    @Test
    void aRetroAlertIsMarkedAndHasTheSameIdAsTheLiveOne() {
        Alert live = IntelAlert.of(List.of(matched(80, "web1")), false);
        Alert retro = IntelAlert.of(List.of(matched(80, "web1")), true);

        assertThat(retro.context()).containsEntry(IntelAlert.RETRO, "true");
        assertThat(retro.id()).isEqualTo(live.id());
        assertThat(retro.timestamp()).isEqualTo(T);
    }
}
