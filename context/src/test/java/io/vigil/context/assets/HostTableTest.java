package io.vigil.context.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HostTableTest {

    private static HostTable csv(String text) {
        return HostTable.parse("hosts.csv", "csv", text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rowsReadWithBothCriticalitySpellingsAndLowerCaseEnvironmentAndZone() {
        HostTable t = csv("""
                name,criticality,owner,environment,zone,ip,rack
                dc01.corp.example,extreme_impact,Identity Team,PROD,Internal,10.0.0.10 10.0.0.11,r1
                web01,High,Web Team,prod,DMZ,2001:DB8::1,r2
                laptop-7,,,dev,,,
                """);
        assertThat(t.size()).isEqualTo(3);
        Host dc = t.byName("dc01.corp.example");
        assertThat(dc).isEqualTo(new Host("dc01.corp.example", Criticality.CRITICAL, "Identity Team", "prod",
                "internal", java.util.List.of("10.0.0.10", "10.0.0.11")));
        assertThat(t.byName("web01").criticality()).isEqualTo(Criticality.HIGH);
        assertThat(t.byName("laptop-7").criticality()).isNull();
        assertThat(t.byName("laptop-7").owner()).isNull();
    }

    @Test
    void namesMatchCaseInsensitivelyAndByShortNameWhenOneSideIsShort() {
        HostTable t = csv("""
                name,criticality
                dc01.corp.example.,critical
                web01,high
                app.one.example,low
                app.two.example,medium
                """);
        assertThat(t.byName("DC01.Corp.Example").name()).isEqualTo("dc01.corp.example.");
        assertThat(t.byName("dc01.corp.example.").name()).isEqualTo("dc01.corp.example.");
        assertThat(t.byName("DC01").name()).isEqualTo("dc01.corp.example.");
        assertThat(t.byName("web01.corp.example").name()).isEqualTo("web01");
        // two qualified names never match on their first label alone
        assertThat(t.byName("dc01.lab.example")).isNull();
        // a short name two qualified rows share is ambiguous
        assertThat(t.byName("app")).isNull();
        assertThat(t.byName("app.two.example").criticality()).isEqualTo(Criticality.MEDIUM);
        assertThat(t.byName("10.0.0.1")).isNull();
        assertThat(t.byName(null)).isNull();
    }

    @Test
    void addressesMatchInAnySpelling() {
        HostTable t = HostTable.parse("hosts.json", "json", """
                [{"name": "db01", "ip": ["10.1.2.3", "2001:db8:0:0::7"]}]""".getBytes(StandardCharsets.UTF_8));
        assertThat(t.byIp("10.1.2.3").name()).isEqualTo("db01");
        assertThat(t.byIp("2001:DB8::7").name()).isEqualTo("db01");
        assertThat(t.byIp("10.1.2.4")).isNull();
        assertThat(t.byIp("db01")).isNull();
    }

    @Test
    void badRowsAreRefusedNamingLineAndColumn() {
        assertThatThrownBy(() -> csv("name,criticality\nweb01,urgent\n"))
                .hasMessage("hosts.csv: line 2, column 2 (criticality): 'urgent' is not a criticality: low, medium, "
                        + "high, critical (or low_impact, medium_impact, high_impact, extreme_impact)");
        assertThatThrownBy(() -> csv("name,owner\n,ops\n"))
                .hasMessage("hosts.csv: line 2, column 1 (name): no name");
        assertThatThrownBy(() -> csv("owner\nops\n"))
                .hasMessage("hosts.csv: line 2: no name");
        assertThatThrownBy(() -> csv("name\nWEB01\nweb01\n"))
                .hasMessage("hosts.csv: line 3, column 1 (name): host web01 is already at line 2, column 1 (name)");
        assertThatThrownBy(() -> csv("name,ip\nweb01,10.0.0.1;web02\n"))
                .hasMessage("hosts.csv: line 2, column 2 (ip): 'web02' is not an IP address");
        assertThatThrownBy(() -> csv("name,ip\nweb01,10.0.0.1\nweb02,10.0.0.1\n"))
                .hasMessage("hosts.csv: line 3, column 2 (ip): address 10.0.0.1 is already at line 2, column 2 (ip)");
        assertThatThrownBy(() -> csv("name,owner\nweb01," + "o".repeat(Cells.MAX_VALUE_CHARS + 1) + "\n"))
                .hasMessage("hosts.csv: line 2, column 2 (owner): longer than 256 characters");
    }

    @Test
    void zonedIpv6AddressesMatchWithoutTheirZoneAndNeverLookUpAnInterface() {
        // the zone names an interface of the machine that logged the address: meaningless here, and
        // InetAddress would look that interface up on this machine
        assertThat(Cells.canonicalIp("fe80::1%nosuchif0")).isEqualTo("fe80:0:0:0:0:0:0:1");
        assertThat(Cells.canonicalIp("FE80::1%eth0")).isEqualTo("fe80:0:0:0:0:0:0:1");
        assertThat(Cells.canonicalIp("fe80::1%1")).isEqualTo("fe80:0:0:0:0:0:0:1");
        HostTable t = csv("""
                name,ip
                gw01,fe80::1%eth0
                """);
        assertThat(t.byIp("fe80::1").name()).isEqualTo("gw01");
        assertThat(t.byIp("fe80::1%nosuchif0").name()).isEqualTo("gw01");
    }

    @Test
    void hostileHeadersAreRefusedWithTheReason() {
        // two 4,096-character column names over a million rows of "," once cost gigabytes
        String longName = "x".repeat(TableReader.MAX_CELL_CHARS);
        assertThatThrownBy(() -> csv(longName + "," + longName + "\n" + ",\n".repeat(1000)))
                .hasMessage("hosts.csv: line 1, column 1: a column name is longer than "
                        + TableReader.MAX_NAME_CHARS + " characters");
        StringBuilder wide = new StringBuilder("name");
        for (int i = 1; i <= TableReader.MAX_COLUMNS; i++) {
            wide.append(",c").append(i);
        }
        assertThatThrownBy(() -> csv(wide + "\nweb01" + ",".repeat(TableReader.MAX_COLUMNS) + "\n"))
                .hasMessage("hosts.csv: line 1: more than " + TableReader.MAX_COLUMNS + " columns");
        StringBuilder wideJson = new StringBuilder("[{\"name\": \"web01\"");
        for (int i = 1; i <= TableReader.MAX_COLUMNS; i++) {
            wideJson.append(", \"c").append(i).append("\": 1");
        }
        assertThatThrownBy(() -> HostTable.parse("hosts.json", "json",
                        (wideJson + "}]").getBytes(StandardCharsets.UTF_8)))
                .hasMessage("hosts.json: entry 1 (line 1, column 2): more than " + TableReader.MAX_COLUMNS + " keys");
        assertThatThrownBy(() -> HostTable.parse("hosts.json", "json",
                        ("[{\"name\": \"web01\", \"" + longName + "\": 1}]").getBytes(StandardCharsets.UTF_8)))
                .hasMessage("hosts.json: entry 1 (line 1, column 2): a key is longer than "
                        + TableReader.MAX_NAME_CHARS + " characters");
    }
}
