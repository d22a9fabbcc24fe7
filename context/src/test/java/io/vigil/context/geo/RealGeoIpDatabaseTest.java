package io.vigil.context.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.context.ContextPart;
import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** GeoIP over a real database from the npm registry (fetched once, checked against its integrity). */
class RealGeoIpDatabaseTest {

    private static Map<String, String> enrich(ContextPart part, String ip) {
        Map<String, String> fields = new TreeMap<>();
        part.enrich(SecurityEvent.builder().timestamp(Instant.parse("2024-06-01T10:00:00Z")).sourceIp(ip)
                .origin(Origin.file("test.log", 1)).build(), fields);
        return fields;
    }

    @Test
    void publicAddressesGetTheirCountryAndReservedOnesNothingThoughTheDatabasePlacesThem() throws IOException {
        ContextPart part = new GeoIpSource(List.of(RealGeoIpDatabase.COUNTRY.path())).open();
        assertThat(enrich(part, "8.8.8.8")).containsExactly(Map.entry("source.geo.country_iso_code", "US"));
        assertThat(enrich(part, "81.2.69.160")).containsEntry("source.geo.country_iso_code", "GB");
        assertThat(enrich(part, "2a00:1450:4001::1")).containsKey("source.geo.country_iso_code");
        // this release places TEST-NET-3 in Australia: Vigil never writes that
        assertThat(GeoIpDatabase.open(RealGeoIpDatabase.COUNTRY.path().toString())
                .lookup(PublicAddress.parse("203.0.113.5"))).isNotNull();
        assertThat(enrich(part, "203.0.113.5")).isEmpty();
        assertThat(enrich(part, "192.168.1.1")).isEmpty();
    }

    @Test
    void aDatabaseThatCannotBeFetchedFailsTheTestSayingWhich() {
        RealGeoIpDatabase absent = new RealGeoIpDatabase(RealGeoIpDatabase.COUNTRY.npmPackage(), "0.0.0-no-such-version",
                RealGeoIpDatabase.COUNTRY.integrity(), RealGeoIpDatabase.COUNTRY.file());
        assertThatThrownBy(absent::path).isInstanceOf(AssertionError.class)
                .hasMessageContaining("needs the real GeoIP database")
                .hasMessageContaining("@ip-location-db/geo-whois-asn-country-mmdb@0.0.0-no-such-version");
    }
}
