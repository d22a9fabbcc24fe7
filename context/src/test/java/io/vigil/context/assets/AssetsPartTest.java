package io.vigil.context.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.context.ContextPart;
import io.vigil.context.ContextUpdate;
import io.vigil.context.Enricher;
import io.vigil.model.Alert;
import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assets part opened from real files, on events and alerts, and its live tables. */
class AssetsPartTest {

    private static final Instant T = Instant.parse("2024-03-01T12:00:00Z");

    @TempDir
    Path dir;

    private ContextPart part;

    @BeforeEach
    void open() throws IOException {
        Path hosts = Files.writeString(dir.resolve("hosts.csv"), """
                name,criticality,owner,environment,zone,ip
                dc01.corp.example,critical,Identity Team,prod,internal,10.0.0.10
                db01,high,Data Team,prod,internal,10.0.0.20
                """);
        Path ids = Files.writeString(dir.resolve("identities.json"), """
                [{"user": "Administrator", "domain": "CORP", "privileged": true, "department": "IT"},
                 {"user": "svc-backup", "service_account": true, "criticality": "medium"}]""");
        part = new AssetsSource(hosts, ids).open();
    }

    private static SecurityEvent.Builder event() {
        return SecurityEvent.builder().timestamp(T).origin(Origin.file("auth.log", 1));
    }

    private Map<String, String> fields(SecurityEvent e) {
        Map<String, String> f = new TreeMap<>();
        part.enrich(e, f);
        return f;
    }

    private Map<String, String> fields(Map<String, String> entities) {
        Alert a = new Alert("a1", T, "r", 1, "n", "d", "high", 47, List.of(), List.of(), List.of(), "host.name", "k",
                entities, 1, 0, T, T, List.of(Origin.file("auth.log", 1)), 1, List.of());
        Map<String, String> f = new TreeMap<>();
        part.enrich(a, f);
        return f;
    }

    @Test
    void anEventGetsItsHostsAndAccountsFields() {
        SecurityEvent e = event().hostName("DC01").userName("administrator").userDomain("corp.example")
                .userTargetName("svc-backup").build();
        assertThat(fields(e)).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("host.asset.criticality", "critical"),
                Map.entry("host.asset.owner", "Identity Team"),
                Map.entry("host.asset.environment", "prod"),
                Map.entry("host.asset.zone", "internal"),
                Map.entry("vigil.identity.privileged", "true"),
                Map.entry("vigil.identity.service_account", "false"),
                Map.entry("vigil.identity.department", "IT"),
                Map.entry("user.target.asset.criticality", "medium"),
                Map.entry("vigil.identity.target.privileged", "false"),
                Map.entry("vigil.identity.target.service_account", "true")));
    }

    @Test
    void anEventWithoutHostNameIsMatchedByItsDestinationAddressOnly() {
        assertThat(fields(event().destinationIp("10.0.0.20").build()))
                .containsEntry("host.asset.criticality", "high").containsEntry("host.asset.owner", "Data Team");
        assertThat(fields(event().hostHostname("db01").build())).containsEntry("host.asset.criticality", "high");
        // a named host is that host, whatever it talks to
        assertThat(fields(event().hostName("laptop-7").destinationIp("10.0.0.20").build())).isEmpty();
        assertThat(fields(event().hostName("nobody").userName("nobody").build())).isEmpty();
    }

    @Test
    void anAlertGetsTheFieldsOfItsEntitiesAndTheEnricherWritesThemOnce() {
        assertThat(fields(Map.of("host.name", "dc01.corp.example", "user.name", "Administrator", "user.domain", "CORP")))
                .containsEntry("host.asset.criticality", "critical").containsEntry("vigil.identity.privileged", "true");
        assertThat(fields(Map.of("source.ip", "203.0.113.9", "destination.ip", "10.0.0.10")))
                .containsEntry("host.asset.criticality", "critical");
        assertThat(fields(Map.of("user.target.name", "svc-backup")))
                .containsEntry("vigil.identity.target.service_account", "true");

        SecurityEvent enriched = new Enricher(List.of(part)).enrich(event().hostName("db01").build());
        assertThat(enriched.field("host.asset.criticality")).isEqualTo("high");
        assertThat(enriched.field("host.asset.zone")).isEqualTo("internal");
    }

    @Test
    void liveTablesComeBeforeTheFilesAndReplaceTheirOwnNameOnly() {
        assertThat(part.update(update("assets", "cmdb", "csv", "name,criticality\ndb01,low\nweb09,medium\n"))).isTrue();
        assertThat(fields(event().hostName("db01").build())).containsEntry("host.asset.criticality", "low");
        assertThat(fields(event().hostName("web09").build())).containsEntry("host.asset.criticality", "medium");
        // the file's rows are still found when no live table has the host
        assertThat(fields(event().hostName("dc01").build())).containsEntry("host.asset.criticality", "critical");

        assertThat(part.update(update("assets", "cmdb", "json", "[{\"name\": \"web09\", \"criticality\": \"high\"}]")))
                .isTrue();
        assertThat(fields(event().hostName("db01").build())).containsEntry("host.asset.criticality", "high");
        assertThat(fields(event().hostName("web09").build())).containsEntry("host.asset.criticality", "high");

        assertThat(part.update(update("identities", "hr", "csv", "user,privileged\nmscott,true\n"))).isTrue();
        assertThat(fields(event().userName("mscott").build())).containsEntry("vigil.identity.privileged", "true");
        assertThat(part.update(update("intel", "abuse", "csv", "x\n"))).isFalse();
    }

    @Test
    void anUnreadableLiveTableIsRefusedAndTheTableInForceKept() {
        assertThat(part.update(update("assets", "cmdb", "csv", "name,criticality\ndb01,low\n"))).isTrue();
        assertThatThrownBy(() -> part.update(update("assets", "cmdb", "csv", "name,criticality\ndb01,urgent\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("assets/cmdb: line 2, column 2 (criticality): 'urgent' is not a criticality");
        assertThatThrownBy(() -> part.update(update("identities", "hr", "stix", "{}")))
                .hasMessage("identities/hr: identities tables are csv or json, not stix");
        assertThat(fields(event().hostName("db01").build())).containsEntry("host.asset.criticality", "low");
    }

    @Test
    void aBadFileIsRefusedNamingItsPathLineAndColumn() throws IOException {
        Path hosts = Files.writeString(dir.resolve("bad.csv"), "name,criticality\nweb01,high\nweb02,urgent\n");
        assertThatThrownBy(() -> new AssetsSource(hosts, null).open())
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("assets table " + hosts + ": line 3, column 2 (criticality): 'urgent'");
        assertThatThrownBy(() -> new AssetsSource(null, dir.resolve("missing.json")).open())
                .hasMessage(dir.resolve("missing.json") + ": no such table file");
    }

    private static ContextUpdate update(String kind, String name, String format, String body) {
        return new ContextUpdate(kind, name, format, "test", T, body.getBytes(StandardCharsets.UTF_8));
    }
}
