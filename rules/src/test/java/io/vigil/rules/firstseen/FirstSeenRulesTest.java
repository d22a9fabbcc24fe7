package io.vigil.rules.firstseen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Reading a first-seen rule: what it declares, and the problems a bad file is refused with. */
class FirstSeenRulesTest {

    private static final String GOOD = """
            {"id": "new-host-for-user", "version": 2, "name": "New host", "description": "d",
             "severity": "High", "riskScore": 73, "tactics": ["TA0008"], "techniques": ["T1021"],
             "when": {"event.outcome": "success", "event.action": ["logged-in", "logged-in-explicit"]},
             "unless": {"user.name": ["SYSTEM", "*$", "DWM-*"]},
             "key": ["user.name"], "value": ["host.name", "source.ip"],
             "ignoreCase": true, "learning": "3d", "retention": "10d", "maxValues": 50}
            """;

    @Test
    void aRuleDeclaresItsMetadataFilterTuplesAndPeriods() {
        FirstSeenRule r = FirstSeenRules.parse("dir/new-host-for-user.firstseen.json", GOOD);
        assertThat(r.id()).isEqualTo("new-host-for-user");
        assertThat(r.version()).isEqualTo(2);
        assertThat(r.severity()).isEqualTo("high");
        assertThat(r.keyFields()).containsExactly("user.name");
        assertThat(r.valueFields()).containsExactly("host.name", "source.ip");
        assertThat(r.learningMs()).isEqualTo(Duration.ofDays(3).toMillis());
        assertThat(r.retentionMs()).isEqualTo(Duration.ofDays(10).toMillis());
        assertThat(r.withDefaultRetention(1)).isEqualTo(r);
        assertThat(r.maxValues()).isEqualTo(50);
        assertThat(r.groupBy()).isEqualTo("user.name,host.name,source.ip");
    }

    @Test
    void theFilterTakesEveryWhenAndNoUnlessWithPrefixAndSuffixPatterns() {
        FirstSeenRule r = FirstSeenRules.parse("new-host-for-user.firstseen.json", GOOD);
        SecurityEvent ok = event("logged-in", "alice", "WS-1", "192.0.2.1");
        assertThat(r.accepts(ok)).isTrue();
        assertThat(r.accepts(event("logged-in-explicit", "Alice", "WS-1", "192.0.2.1"))).isTrue();
        assertThat(r.accepts(event("logon-failed", "alice", "WS-1", "192.0.2.1"))).isFalse();
        assertThat(r.accepts(event("logged-in", "system", "WS-1", "192.0.2.1"))).isFalse();
        assertThat(r.accepts(event("logged-in", "WS-1$", "WS-1", "192.0.2.1"))).isFalse();
        assertThat(r.accepts(event("logged-in", "dwm-2", "WS-1", "192.0.2.1"))).isFalse();
        assertThat(r.accepts(event("logged-in", "dwm", "WS-1", "192.0.2.1"))).isTrue();
        assertThat(r.key(ok).display()).isEqualTo("alice");
        assertThat(r.value(event("logged-in", "alice", "WS-1", "192.0.2.1")).display()).isEqualTo("ws-1 | 192.0.2.1");
        assertThat(r.value(event("logged-in", "alice", null, "192.0.2.1"))).isNull();
    }

    @Test
    void tuplesAreUnambiguousAndBounded() {
        FirstSeenRule r = FirstSeenRules.parse("new-host-for-user.firstseen.json", GOOD);
        Tuple a = r.value(event("logged-in", "alice", "a | b", "192.0.2.1"));
        Tuple b = r.value(event("logged-in", "alice", "a", "192.0.2.1"));
        assertThat(a.encoded()).isNotEqualTo(b.encoded());
        Tuple longOne = r.value(event("logged-in", "alice", "h".repeat(10_000), "192.0.2.1"));
        assertThat(longOne.display()).hasSize(Tuple.MAX_VALUE_CHARS + " | 192.0.2.1".length());
    }

    @Test
    void aBadFileIsRefusedNamingTheFileAndEveryProblem() {
        String bad = """
                {"id": "Bad_Id", "name": "n", "description": "d", "severity": "urgent", "riskScore": 200,
                 "tactics": ["TA9"], "techniques": [], "when": {"no.such.field": "x"}, "colour": "red",
                 "key": ["user.name", "host.name", "source.ip", "destination.ip"], "value": ["user.name"],
                 "learning": "soon", "maxValues": 0}
                """;
        assertThatThrownBy(() -> FirstSeenRules.parse("rules/bad.firstseen.json", bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("rules/bad.firstseen.json: ")
                .hasMessageContaining("unknown property \"colour\"")
                .hasMessageContaining("'Bad_Id' is not kebab-case")
                .hasMessageContaining("\"severity\" is one of")
                .hasMessageContaining("\"riskScore\" is 0 to 100")
                .hasMessageContaining("'TA9' is not an ATT&CK tactic id")
                .hasMessageContaining("'no.such.field' is not a field Vigil events carry")
                .hasMessageContaining("\"key\" names 1 to 3 ECS fields, not 4")
                .hasMessageContaining("'user.name' is in both \"key\" and \"value\"")
                .hasMessageContaining("\"learning\": not a duration: 'soon'")
                .hasMessageContaining("\"maxValues\" is 1 to 100000, not 0");
        assertThatThrownBy(() -> FirstSeenRules.parse("x.firstseen.json", "{\"id\": "))
                .hasMessageStartingWith("x.firstseen.json: not JSON (line 1)");
        assertThatThrownBy(() -> FirstSeenRules.parse("other.firstseen.json", GOOD))
                .hasMessageContaining("the file of rule 'new-host-for-user' is named new-host-for-user.firstseen.json");
        assertThatThrownBy(() -> FirstSeenRules.parse("new-host-for-user.firstseen.json",
                GOOD.replace("\"learning\": \"3d\"", "\"learning\": \"30d\"")))
                .hasMessageContaining("\"learning\" (30d) is longer than \"retention\" (10d)");
    }

    private static SecurityEvent event(String action, String user, String host, String ip) {
        return SecurityEvent.builder().origin(Origin.file("test.log", 1)).timestamp(Instant.parse("2024-05-01T08:00:00Z")).eventAction(action)
                .eventOutcome("success").userName(user).hostName(host).sourceIp(ip).build();
    }
}
