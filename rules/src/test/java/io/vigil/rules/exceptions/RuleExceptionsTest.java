package io.vigil.rules.exceptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleExceptionsTest {

    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    private static SecurityEvent event(String sourceIp, String user, Instant at) {
        return SecurityEvent.builder().timestamp(at).eventAction("ssh_login").eventOutcome("failure")
                .sourceIp(sourceIp).userName(user).hostName("bastion-1").origin(Origin.file("x", 1)).build();
    }

    private static String error(String yaml) {
        return assertThrows(IllegalArgumentException.class, () -> RuleExceptions.parse("ex.yml", yaml)).getMessage();
    }

    @Test
    void readsAListOrAnExceptionsKeyWithDefaultIdsAndExpiry() {
        String list = """
                - rule: ssh-brute-force
                  field: source.ip
                  values: ["10.0.0.7"]
                  reason: the vulnerability scanner
                  author: alice
                  expires: 2026-04-01
                - id: lab
                  rule: "*"
                  field: source.ip
                  cidr: [192.168.0.0/16, "2001:db8::/32"]
                  reason: the lab network
                  author: bob
                  expires: 2026-03-15T12:30:00Z
                """;
        RuleExceptions ex = RuleExceptions.parse("ex.yml", list);
        assertEquals(List.of(
                new RuleException("ex.yml#1", "ssh-brute-force", "source.ip", List.of("10.0.0.7"), List.of(),
                        "the vulnerability scanner", "alice", Instant.parse("2026-04-01T00:00:00Z")),
                new RuleException("lab", "*", "source.ip", List.of(), List.of("192.168.0.0/16", "2001:db8::/32"),
                        "the lab network", "bob", Instant.parse("2026-03-15T12:30:00Z"))), ex.entries());
        String keyed = "exceptions:\n" + list.indent(2);
        assertEquals(ex, RuleExceptions.parse("ex.yml", keyed));
        assertTrue(RuleExceptions.parse("ex.yml", "").isEmpty());
    }

    @Test
    void refusesWhatIsNotAnEntryNamingFileEntryAndKey() {
        String ok = "rule: r\n  field: source.ip\n  values: [a]\n  reason: why\n  author: me\n";
        assertEquals("ex.yml: entry 1 (ex.yml#1): key 'field': 'source.ipp' is not an ECS field Vigil reads "
                + "(the fields of docs/formats.md and its extra-field catalog)",
                error("- " + ok.replace("source.ip", "source.ipp")));
        assertEquals("ex.yml: entry 2 (x): unknown key 'valeus' (keys: id, rule, field, values, cidr, reason, author,"
                + " expires)", error("- " + ok + "- id: x\n  " + ok.replace("values", "valeus")));
        assertEquals("ex.yml: entry 1 (ex.yml#1): key 'reason' is required", error("- " + ok.replace("reason: why\n  ", "")));
        assertEquals("ex.yml: entry 1 (ex.yml#1): key 'author' is required", error("- " + ok.replace("author: me\n", "")));
        assertEquals("ex.yml: entry 1 (ex.yml#1): key 'cidr': '10.0.0.0/33' is not an IPv4 or IPv6 network "
                + "(address/prefix, or one address)", error("- " + ok.replace("values: [a]", "cidr: [10.0.0.0/33]")));
        assertTrue(error("- " + ok.replace("values: [a]", "cidr: [host.example/8]")).contains("'host.example/8'"));
        assertEquals("ex.yml: entry 1 (ex.yml#1): give 'values' or 'cidr' (at least one value)",
                error("- " + ok.replace("values: [a]\n  ", "")));
        assertEquals("ex.yml: entry 1 (ex.yml#1): key 'values': expected a list", error("- " + ok.replace("[a]", "a")));
        assertEquals("ex.yml: entry 1 (ex.yml#1): key 'values': expected a list of non-empty values, got object",
                error("- " + ok.replace("[a]", "[{b: c}]")));
        assertEquals("ex.yml: entry 1 (ex.yml#1): key 'rule': expected non-empty text",
                error("- " + ok.replace("rule: r", "rule: [r]")));
        assertTrue(error("- " + ok + "  expires: next week\n").startsWith("ex.yml: entry 1 (ex.yml#1): key 'expires': "
                + "'next week' is not an ISO date"));
        assertEquals("ex.yml: entry 2: key 'id': 'a' is the id of an earlier entry (counts are kept per id)",
                error("- id: a\n  " + ok + "- id: a\n  " + ok));
        assertEquals("ex.yml: unknown key 'exception' (the document is a list of entries, or 'exceptions:' holding one)",
                error("exception:\n- " + ok));
        assertEquals("ex.yml: expected a list of exception entries", error("just text"));
    }

    @Test
    void coversTheFirstLiveEntryOfTheRuleOrStarByValueOrAddressAtTheEventsTime() {
        RuleExceptions ex = RuleExceptions.parse("ex.yml", """
                - id: old
                  rule: ssh-brute-force
                  field: source.ip
                  values: ["10.0.0.7"]
                  reason: scanner, retired
                  author: alice
                  expires: 2026-03-01
                - id: scanner
                  rule: ssh-brute-force
                  field: source.ip
                  values: ["10.0.0.7"]
                  reason: the scanner
                  author: alice
                - id: lab
                  rule: "*"
                  field: source.ip
                  cidr: [192.168.0.0/16, "2001:db8::/32"]
                  reason: the lab
                  author: bob
                - id: svc
                  rule: other-rule
                  field: user.name
                  values: [svc-backup]
                  reason: the backup account
                  author: bob
                  expires: 2026-03-01T10:00:00.001Z
                """);
        // the first entry expired before the event: the second, with the same value, covers it
        assertEquals("scanner", ex.covering("ssh-brute-force", event("10.0.0.7", "root", T)).id());
        assertEquals("old", ex.covering("ssh-brute-force", event("10.0.0.7", "root", Instant.parse("2026-02-28T23:59:59Z"))).id());
        assertNull(ex.covering("other-rule", event("10.0.0.7", "root", T)), "values are per rule");
        assertNull(ex.covering("ssh-brute-force", event("10.0.0.70", "root", T)), "values are exact");
        // * covers every rule; ranges by address, v4 and v6, never text
        assertEquals("lab", ex.covering("other-rule", event("192.168.44.1", "root", T)).id());
        assertEquals("lab", ex.covering("ssh-brute-force", event("2001:db8:0:1::5", "root", T)).id());
        assertNull(ex.covering("ssh-brute-force", event("192.169.0.1", "root", T)));
        assertNull(ex.covering("ssh-brute-force", event("2001:db9::1", "root", T)));
        // a field other than the address; expiry is exclusive, at the event's time
        assertEquals("svc", ex.covering("other-rule", event("10.1.1.1", "svc-backup", T)).id());
        assertNull(ex.covering("other-rule", event("10.1.1.1", "svc-backup", T.plusMillis(1))));
        assertNull(ex.covering("other-rule", event("10.1.1.1", "SVC-backup", T)), "values are case-sensitive");
        assertNull(RuleExceptions.NONE.covering("ssh-brute-force", event("10.0.0.7", "root", T)));
    }

    @Test
    void anExtraFieldOfTheCatalogCanBeExcepted() {
        RuleExceptions ex = RuleExceptions.parse("ex.yml", """
                - rule: r
                  field: log.syslog.appname
                  values: [sshd]
                  reason: noise
                  author: me
                """);
        SecurityEvent e = SecurityEvent.builder().timestamp(T).field("log.syslog.appname", "sshd")
                .origin(Origin.file("x", 1)).build();
        assertEquals("ex.yml#1", ex.covering("r", e).id());
    }

    @Test
    void aCopyShippedToATaskMatchesTheSame() throws Exception {
        RuleExceptions ex = RuleExceptions.parse("ex.yml", """
                - rule: "*"
                  field: source.ip
                  cidr: [10.0.0.0/8]
                  reason: internal
                  author: me
                """);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(ex);
        }
        RuleExceptions copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (RuleExceptions) in.readObject();
        }
        assertEquals("ex.yml#1", copy.covering("any", event("10.2.3.4", "root", T)).id());
    }
}
