package io.vigil.jobs.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.Alert;
import io.vigil.model.Incident;
import io.vigil.model.KeyEvent;
import io.vigil.model.Origin;
import io.vigil.model.TimelineEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IncidentAssemblerTest {

    private static final Instant T0 = Instant.parse("2024-06-01T10:00:00Z");

    private final IncidentAssembler assembler = new IncidentAssembler(Duration.ofHours(24));
    private final IncidentStore store = IncidentStore.inMemory();
    private final List<Incident> incidents = new ArrayList<>();
    private final List<TimelineEntry> timeline = new ArrayList<>();
    private final IncidentAssembler.Output out = new IncidentAssembler.Output() {
        @Override
        public void incident(Incident incident) {
            incidents.add(incident);
        }

        @Override
        public void timeline(TimelineEntry entry) {
            timeline.add(entry);
        }
    };

    static Alert alert(String id, String rule, Instant at, String groupBy, String risk, List<String> tactics,
                       String... entities) {
        Map<String, String> e = new LinkedHashMap<>();
        for (int i = 0; i < entities.length; i += 2) {
            e.put(entities[i], entities[i + 1]);
        }
        String groupKey = String.join(",", java.util.Arrays.stream(groupBy.split(",")).map(e::get).toList());
        Origin origin = Origin.file("auth.log", at.getEpochSecond() % 1000);
        return new Alert(id, at, rule, 1, rule + " name", "d", risk, 47, tactics, List.of(), List.of(), groupBy,
                groupKey, e, 1, 0, at.minusSeconds(30), at, List.of(origin), 1,
                List.of(new KeyEvent(at.minusSeconds(30), origin, null)));
    }

    private Incident last(String id) {
        Incident found = null;
        for (Incident i : incidents) {
            if (i.id().equals(id)) {
                found = i;
            }
        }
        return found;
    }

    private List<String> openIds() {
        return incidents.stream().filter(i -> i.mergedInto() == null).map(Incident::id).distinct().toList();
    }

    @Test
    void alertsFromOneAddressFormOneIncidentAndAttacksOnOneServerFromTwoAddressesTwo() throws Exception {
        assembler.accept(alert("a1", "ssh-brute-force", T0, "source.ip", "medium", List.of("TA0006"),
                "source.ip", "203.0.113.5", "host.name", "bastion", "user.name", "root"), store, out);
        assembler.accept(alert("a2", "ssh-user-enumeration", T0.plusSeconds(60), "source.ip", "medium",
                List.of("TA0007", "TA0006"), "source.ip", "203.0.113.5", "host.name", "bastion", "user.name", "admin"),
                store, out);
        assembler.accept(alert("a3", "ssh-brute-force", T0.plusSeconds(90), "source.ip", "medium", List.of("TA0006"),
                "source.ip", "198.51.100.7", "host.name", "bastion", "user.name", "root"), store, out);

        assertThat(openIds()).hasSize(2);
        Incident first = last(openIds().get(0));
        assertThat(first.sourceIps()).containsExactly("203.0.113.5");
        assertThat(first.alertCount()).isEqualTo(2);
        assertThat(first.users()).containsExactly("admin", "root");
        assertThat(first.ruleIds()).containsExactly("ssh-brute-force", "ssh-user-enumeration");
        // kill-chain order, not arrival order: Credential Access (TA0006) before Discovery (TA0007)
        assertThat(first.tacticIds()).containsExactly("TA0006", "TA0007");
        // 47 + 2 for the second alert + 10 for the second tactic
        assertThat(first.riskScore()).isEqualTo(59);
        assertThat(first.severity()).isEqualTo("medium");
        assertThat(first.firstSeen()).isEqualTo(T0.minusSeconds(30));
        assertThat(first.lastSeen()).isEqualTo(T0.plusSeconds(60));
        assertThat(first.title()).isEqualTo("ssh-brute-force, ssh-user-enumeration from 203.0.113.5");
        assertThat(first.status()).isEqualTo(Incident.OPEN);
        assertThat(last(openIds().get(1)).sourceIps()).containsExactly("198.51.100.7");
    }

    @Test
    void maskedUserNamesLinkNothing() throws Exception {
        // two passwords typed as user names, both masked on the way in: not one user
        assembler.accept(alert("m1", "ssh-password-spray", T0, "user.name", "medium", List.of("TA0006"),
                "user.name", "[masked]", "source.ip", "203.0.113.5"), store, out);
        assembler.accept(alert("m2", "ssh-password-spray", T0.plusSeconds(60), "user.name", "medium",
                List.of("TA0006"), "user.name", "[masked]", "source.ip", "198.51.100.7"), store, out);
        assertThat(openIds()).hasSize(2);
        assertThat(IncidentAssembler.linkingKeys(alert("m3", "r", T0, "user.name,source.ip", "low", List.of(),
                "user.name", "[masked]", "source.ip", "203.0.113.5"))).containsExactly("source.ip=203.0.113.5");
    }

    @Test
    void activityOnOneHostIsOneIncidentEvenWhenGroupedByUser() throws Exception {
        assembler.accept(alert("b1", "account-created-and-deleted", T0, "user.target.name,user.name", "high",
                List.of("TA0003"), "user.target.name", "backdoor", "user.name", "pgustavo", "host.name", "WKS6"), store, out);
        assembler.accept(alert("b2", "security-log-cleared", T0.plusSeconds(120), "host.name", "high",
                List.of("TA0005"), "host.name", "WKS6", "user.name", "wardog"), store, out);
        assertThat(openIds()).hasSize(1);
        Incident i = last(openIds().get(0));
        assertThat(i.alertCount()).isEqualTo(2);
        assertThat(i.hosts()).containsExactly("WKS6");
        assertThat(i.users()).containsExactly("pgustavo", "wardog");
        assertThat(i.targetUsers()).containsExactly("backdoor");
    }

    @Test
    void anAlertSharingEntitiesWithTwoIncidentsMergesTheYoungerIntoTheOlder() throws Exception {
        assembler.accept(alert("c1", "ssh-brute-force", T0, "source.ip", "medium", List.of("TA0006"),
                "source.ip", "203.0.113.9", "host.name", "web1", "user.name", "root"), store, out);
        assembler.accept(alert("c2", "sudo-root-shell", T0.plusSeconds(600), "user.name", "high", List.of("TA0004"),
                "user.name", "deploy", "host.name", "db1"), store, out);
        assertThat(openIds()).hasSize(2);
        String older = openIds().get(0);
        String younger = openIds().get(1);
        // a success from the attacking address as 'deploy': both incidents are one attack
        assembler.accept(alert("c3", "brute-force-then-success", T0.plusSeconds(900), "source.ip,user.name",
                "high", List.of("TA0006", "TA0001"), "source.ip", "203.0.113.9", "user.name", "deploy",
                "host.name", "web1"), store, out);

        assertThat(last(younger).mergedInto()).isEqualTo(older);
        Incident merged = last(older);
        assertThat(merged.alertCount()).isEqualTo(3);
        assertThat(merged.ruleIds()).containsExactly("brute-force-then-success", "ssh-brute-force", "sudo-root-shell");
        assertThat(merged.tacticIds()).containsExactly("TA0001", "TA0004", "TA0006");
        assertThat(merged.hosts()).containsExactly("db1", "web1");
        assertThat(timeline).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo(TimelineEntry.ACTION);
            assertThat(e.incidentId()).isEqualTo(older);
            assertThat(e.action()).isEqualTo("merge");
            assertThat(e.refId()).isEqualTo(younger);
        });
        // later alerts on either entity go to the survivor
        assembler.accept(alert("c4", "sudo-root-shell", T0.plusSeconds(1000), "user.name", "high", List.of("TA0004"),
                "user.name", "deploy", "host.name", "db1"), store, out);
        assertThat(last(older).alertCount()).isEqualTo(4);
    }

    @Test
    void anIncidentTakesNoAlertAfterItsWindowAndIsForgottenOnExpiry() throws Exception {
        assembler.accept(alert("d1", "ssh-brute-force", T0, "source.ip", "medium", List.of("TA0006"),
                "source.ip", "203.0.113.5"), store, out);
        assembler.accept(alert("d2", "ssh-brute-force", T0.plus(Duration.ofHours(25)), "source.ip", "medium",
                List.of("TA0006"), "source.ip", "203.0.113.5"), store, out);
        assertThat(openIds()).hasSize(2);
        // each incident is forgotten when the timer of its closing time fires, not before
        long firstCloses = assembler.closesAt(T0.toEpochMilli());
        assembler.expire(firstCloses - 1, store);
        assertThat(store.incident(openIds().get(0))).isNotNull();
        assembler.expire(firstCloses, store);
        assertThat(store.incident(openIds().get(0))).isNull();
        assertThat(store.incidentOfAlert("d1")).isNull();
        assertThat(store.incidentOfKey("source.ip=203.0.113.5")).isEqualTo(openIds().get(1));
        assembler.expire(assembler.closesAt(T0.plus(Duration.ofHours(25)).toEpochMilli()), store);
        assertThat(store.incident(openIds().get(1))).isNull();
        assertThat(store.incidentOfKey("source.ip=203.0.113.5")).isNull();
        assertThat(store.incidentOfAlert("d2")).isNull();
    }

    @Test
    void oneIncidentListsAtMostItsCapOfKeysAndAlertsWhileItsCountStaysExact() throws Exception {
        // a password spray: one address, a thousand user names, each alert grouped by both
        int n = 1000;
        for (int i = 0; i < n; i++) {
            assembler.accept(alert("s" + i, "password-spray", T0.plusSeconds(i), "source.ip,user.name", "medium",
                    List.of("TA0006"), "source.ip", "203.0.113.77", "user.name", "user" + i), store, out);
        }
        assertThat(openIds()).hasSize(1);
        String id = openIds().get(0);
        Incident last = last(id);
        assertThat(last.alertCount()).isEqualTo(n);
        assertThat(last.users()).hasSize(Incident.MAX_ENTITIES);
        IncidentState state = store.incident(id);
        assertThat(state.keys).hasSize(IncidentState.MAX_LISTED_KEYS);
        assertThat(state.alertIds).hasSize(IncidentState.MAX_LISTED_ALERTS);
        // what the incident no longer lists still leads to it
        assertThat(store.incidentOfKey("user.name=user999")).isEqualTo(id);
        assertThat(store.incidentOfAlert("s999")).isEqualTo(id);
        assembler.accept(alert("s999", "password-spray", T0.plusSeconds(999), "source.ip,user.name", "medium",
                List.of("TA0006"), "source.ip", "203.0.113.77", "user.name", "user999")
                .withSuppressed(3, T0.plusSeconds(1200)), store, out);
        assertThat(last(id).alertCount()).isEqualTo(n);

        // expiry forgets what it lists (the rest is left to the state TTL of the stream's indexes)
        assembler.expire(assembler.closesAt(T0.plusSeconds(n - 1).toEpochMilli()), store);
        assertThat(store.incident(id)).isNull();
        assertThat(store.incidentOfKey("source.ip=203.0.113.77")).isNull();
        assertThat(store.incidentOfAlert("s0")).isNull();
    }

    @Test
    void anAlertAfterItsIncidentWasClosedOpensANewIncidentLinkedToItSaidOnBothTimelines() throws Exception {
        Alert first = alert("r1", "ssh-brute-force", T0, "source.ip", "medium", List.of("TA0006"),
                "source.ip", "203.0.113.5");
        assembler.accept(first, store, out);
        String closedId = incidents.get(0).id();
        // analysts closed it with the first alert in it; the stream learns it when the next alert comes
        Map<String, Long> asked = new LinkedHashMap<>();
        ClosedIncidents closedInElasticsearch = id -> {
            asked.merge(id, 1L, Long::sum);
            return id.equals(closedId) ? new ClosedIncidents.Closed(id, T0.toEpochMilli()) : null;
        };
        incidents.clear();
        timeline.clear();
        Alert returning = alert("r2", "ssh-brute-force", T0.plusSeconds(3600), "source.ip", "medium",
                List.of("TA0006"), "source.ip", "203.0.113.5");
        assembler.accept(returning, store, closedInElasticsearch, out);

        assertThat(incidents).hasSize(1);
        Incident continued = incidents.get(0);
        assertThat(continued.id()).isNotEqualTo(closedId).isEqualTo(io.vigil.model.Ids.of("incident", "r2"));
        assertThat(continued.linkedTo()).containsExactly(closedId);
        assertThat(continued.alertCount()).isEqualTo(1);
        assertThat(store.incident(closedId).alertCount).isEqualTo(1);
        assertThat(timeline).filteredOn(e -> IncidentAssembler.REOPEN.equals(e.action())).satisfiesExactlyInAnyOrder(
                e -> {
                    assertThat(e.incidentId()).isEqualTo(continued.id());
                    assertThat(e.refId()).isEqualTo(closedId);
                    assertThat(e.summary()).contains("alert r2").contains("after it was closed");
                },
                e -> {
                    assertThat(e.incidentId()).isEqualTo(closedId);
                    assertThat(e.refId()).isEqualTo("r2");
                    assertThat(e.summary()).contains("alert r2").contains(continued.id());
                });

        // later alerts of the address join the new incident; the closed one is not asked about again
        assembler.accept(alert("r3", "ssh-brute-force", T0.plusSeconds(3700), "source.ip", "medium",
                List.of("TA0006"), "source.ip", "203.0.113.5"), store, closedInElasticsearch, out);
        assertThat(last(continued.id()).alertCount()).isEqualTo(2);
        assertThat(asked).containsEntry(closedId, 1L);
    }

    @Test
    void alertsTheClosedIncidentAlreadyHeldJoinItAsBeforeWhenReplayed() throws Exception {
        ClosedIncidents closedAfterTwoAlerts = id -> new ClosedIncidents.Closed(id, T0.plusSeconds(60).toEpochMilli());
        for (int i = 0; i < 3; i++) {
            assembler.accept(alert("p" + i, "ssh-brute-force", T0.plusSeconds(60L * i), "source.ip", "medium",
                    List.of("TA0006"), "source.ip", "203.0.113.8"), store, closedAfterTwoAlerts, out);
        }
        String replayed = io.vigil.model.Ids.of("incident", "p0");
        assertThat(last(replayed).alertCount()).isEqualTo(2);
        Incident news = last(io.vigil.model.Ids.of("incident", "p2"));
        assertThat(news.linkedTo()).containsExactly(replayed);
    }

    @Test
    void theSameAlertAgainIsNotCountedTwice() throws Exception {
        Alert a = alert("e1", "ssh-brute-force", T0, "source.ip", "medium", List.of("TA0006"), "source.ip", "203.0.113.5");
        assembler.accept(a, store, out);
        assembler.accept(a.withSuppressed(4, T0.plusSeconds(300)), store, out);
        Incident i = last(openIds().get(0));
        assertThat(i.alertCount()).isEqualTo(1);
        // the timeline line of the alert is rewritten (same id), with the suppressed count
        List<TimelineEntry> alertLines = timeline.stream().filter(t -> t.kind().equals(TimelineEntry.ALERT)).toList();
        assertThat(alertLines).extracting(TimelineEntry::id).containsOnly(alertLines.get(0).id());
        assertThat(alertLines.get(alertLines.size() - 1).summary()).contains("+4 suppressed");
    }

    @Test
    void idsAreStableAndDerivedFromTheOpeningAlert() throws Exception {
        Alert a = alert("f1", "ssh-brute-force", T0, "source.ip", "medium", List.of("TA0006"), "source.ip", "203.0.113.5");
        assembler.accept(a, store, out);
        IncidentAssembler again = new IncidentAssembler(Duration.ofHours(24));
        List<Incident> second = new ArrayList<>();
        again.accept(a, IncidentStore.inMemory(), new IncidentAssembler.Output() {
            @Override
            public void incident(Incident incident) {
                second.add(incident);
            }

            @Override
            public void timeline(TimelineEntry entry) {}
        });
        assertThat(second.get(0).id()).isEqualTo(incidents.get(0).id()).hasSize(32);
        assertThatThrownBy(() -> new IncidentAssembler(Duration.ZERO)).hasMessageContaining("positive");
    }
}
