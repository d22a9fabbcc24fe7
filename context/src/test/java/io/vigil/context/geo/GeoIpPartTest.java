package io.vigil.context.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.vigil.context.ContextPart;
import io.vigil.context.Enricher;
import io.vigil.model.Alert;
import io.vigil.model.KeyEvent;
import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GeoIP over small databases the test writes, in both schemas. */
class GeoIpPartTest {

    private static final Instant T = Instant.parse("2024-06-01T10:00:00Z");

    @TempDir
    static Path dir;

    private static Path city;
    private static Path asn;
    private static Path flat;

    @BeforeAll
    static void databases() throws IOException {
        city = new MmdbWriter("GeoIP2-City")
                .add("81.2.69.0/24", MmdbWriter.city("GB", "United Kingdom", "EU", "London", "England", 51.5142, -0.0931))
                .add("2a02:ff::/32", MmdbWriter.city("DE", "Germany", "EU", "Berlin", "Berlin", 52.52, 13.405))
                // a database that places private and documentation ranges: Vigil must not believe it
                .add("10.0.0.0/8", MmdbWriter.city("US", "United States", "NA", "Nowhere", "Nowhere", 1, 1))
                .add("203.0.113.0/24", MmdbWriter.city("AU", "Australia", "OC", "Sydney", "NSW", -33.86, 151.2))
                .add("2001:db8::/32", MmdbWriter.city("AU", "Australia", "OC", "Sydney", "NSW", -33.86, 151.2))
                .write(dir.resolve("city.mmdb"));
        asn = new MmdbWriter("GeoLite2-ASN")
                .add("81.2.64.0/18", Map.of("autonomous_system_number", 20712L,
                        "autonomous_system_organization", "Andrews & Arnold Ltd"))
                .write(dir.resolve("asn.mmdb"));
        flat = new MmdbWriter("dbip-city ipvAll")
                .add("175.16.199.0/24", Map.of("country_code", "cn", "city", "Changchun", "state1", "Jilin",
                        "latitude", 43.88, "longitude", 125.3228))
                .add("89.160.20.0/24", Map.of("country_code", "SE", "city", "Linköping", "latitude", 200.0,
                        "longitude", 15.62))
                .write(dir.resolve("flat.mmdb"));
    }

    private static ContextPart part(Path... files) throws IOException {
        return new GeoIpSource(List.of(files)).open();
    }

    private static Map<String, String> enrich(ContextPart part, String source, String destination) {
        Map<String, String> fields = new TreeMap<>();
        part.enrich(SecurityEvent.builder().timestamp(T).sourceIp(source).destinationIp(destination)
                .origin(Origin.file("test.log", 1)).build(), fields);
        return fields;
    }

    @Test
    void aCityFileAndAnAsFileTogetherGiveEveryGeoAndAsFieldOfASourceAddress() throws IOException {
        assertThat(enrich(part(city, asn), "81.2.69.160", null)).containsOnly(
                entry("source.geo.country_iso_code", "GB"),
                entry("source.geo.country_name", "United Kingdom"),
                entry("source.geo.continent_code", "EU"),
                entry("source.geo.city_name", "London"),
                entry("source.geo.region_name", "England"),
                entry("source.geo.location", "51.5142,-0.0931"),
                entry("source.as.number", "20712"),
                entry("source.as.organization.name", "Andrews & Arnold Ltd"));
    }

    @Test
    void destinationAndIpv6AddressesArePlacedToo() throws IOException {
        Map<String, String> f = enrich(part(city), "2a02:ff:1::7", "81.2.69.1");
        assertThat(f).containsEntry("source.geo.city_name", "Berlin")
                .containsEntry("source.geo.location", "52.52,13.405")
                .containsEntry("destination.geo.city_name", "London")
                .containsEntry("destination.geo.country_iso_code", "GB");
    }

    @Test
    void theFlatSchemaOfIpLocationDbIsRead() throws IOException {
        assertThat(enrich(part(flat), "175.16.199.4", null)).containsOnly(
                entry("source.geo.country_iso_code", "CN"),
                entry("source.geo.city_name", "Changchun"),
                entry("source.geo.region_name", "Jilin"),
                entry("source.geo.location", "43.88,125.3228"));
    }

    @Test
    void aValueOutOfRangeIsLeftOutAndTheRestKept() throws IOException {
        assertThat(enrich(part(flat), "89.160.20.9", null)).containsOnly(
                entry("source.geo.country_iso_code", "SE"),
                entry("source.geo.city_name", "Linköping"));
    }

    @Test
    void privateAndReservedAddressesGetNoGeoWhateverTheDatabaseSays() throws IOException {
        ContextPart part = part(city);
        for (String ip : List.of("10.1.2.3", "203.0.113.5", "2001:db8::1", "::ffff:10.1.2.3")) {
            assertThat(enrich(part, ip, ip)).as(ip).isEmpty();
        }
    }

    @Test
    void addressesNoDatabaseKnowsAndNonAddressesGetNothing() throws IOException {
        ContextPart part = part(city, asn);
        assertThat(enrich(part, "8.8.8.8", null)).isEmpty();
        assertThat(enrich(part, null, null)).isEmpty();
    }

    @Test
    void theGeoGroupComesWholeFromTheFirstFileThatHasAnyOfItNeverMergedFieldByField() throws IOException {
        Path other = new MmdbWriter("GeoIP2-Country")
                .add("81.2.69.0/24", Map.of("country", Map.of("iso_code", "IE")))
                .write(dir.resolve("other.mmdb"));
        // Ireland's country beside London's city would name no real place
        assertThat(enrich(part(other, city, asn), "81.2.69.160", null)).containsOnly(
                entry("source.geo.country_iso_code", "IE"),
                entry("source.as.number", "20712"),
                entry("source.as.organization.name", "Andrews & Arnold Ltd"));
    }

    @Test
    void theInputsGeoAndAsFieldsAreReplacedWholeNeverKeptOrMerged() throws IOException {
        Enricher enricher = new Enricher(List.of(part(city)));
        SecurityEvent.Builder forged = SecurityEvent.builder().timestamp(T).origin(Origin.file("ecs.json", 1))
                .field("source.geo.location", "40.7128,-74.006").field("source.geo.city_name", "New York")
                .field("source.geo.country_iso_code", "US").field("source.as.number", "666")
                .field("destination.geo.location", "1,1");
        // an address the database places: the database's group, none of the input's
        SecurityEvent placed = enricher.enrich(forged.sourceIp("81.2.69.160").build());
        assertThat(placed.fields()).containsOnly(
                entry("source.geo.country_iso_code", "GB"),
                entry("source.geo.country_name", "United Kingdom"),
                entry("source.geo.continent_code", "EU"),
                entry("source.geo.city_name", "London"),
                entry("source.geo.region_name", "England"),
                entry("source.geo.location", "51.5142,-0.0931"));
        // an address no database knows: no place at all, rather than the input's
        assertThat(enricher.enrich(forged.sourceIp("8.8.8.8").build()).fields()).isEmpty();
    }

    @Test
    void anAlertGetsTheGeoOfItsSourceAddress() throws IOException {
        Origin o = Origin.file("auth.log", 3);
        Alert alert = new Alert("a1", T, "r", 1, "r", "d", "high", 73, List.of(), List.of(), List.of(), "source.ip",
                "81.2.69.160", Map.of("source.ip", "81.2.69.160", "user.name", "alice"), 1, 0, T, T, List.of(o), 1,
                List.of(new KeyEvent(T, o, null)));
        Map<String, String> fields = new TreeMap<>();
        part(city).enrich(alert, fields);
        assertThat(fields).containsEntry("source.geo.country_iso_code", "GB")
                .containsEntry("source.geo.location", "51.5142,-0.0931")
                .doesNotContainKey("destination.geo.country_iso_code");
    }

    @Test
    void aMissingOrUnreadableFileIsRefusedByName() throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.mmdb"), "not a database");
        assertThatThrownBy(() -> part(dir.resolve("absent.mmdb")))
                .hasMessageContaining("absent.mmdb").hasMessageContaining("no such file");
        assertThatThrownBy(() -> part(junk))
                .hasMessageContaining("junk.mmdb").hasMessageContaining("not a readable MaxMind DB file");
    }

    @Test
    void aFloatCoordinateIsWrittenWithItsOwnDigitsNotThoseOfTheWidenedDouble() {
        assertThat(GeoRecord.location(51.5142f, -0.0931f)).isEqualTo("51.5142,-0.0931");
        assertThat(GeoRecord.location(51.5142, -0.0931)).isEqualTo("51.5142,-0.0931");
    }
}
