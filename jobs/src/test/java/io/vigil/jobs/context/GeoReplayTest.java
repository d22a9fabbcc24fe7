package io.vigil.jobs.context;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.context.geo.MmdbWriter;
import io.vigil.context.geo.PublicAddress;
import io.vigil.context.geo.RealGeoIpDatabase;
import io.vigil.formats.Datasets;
import io.vigil.formats.DecoderOptions;
import io.vigil.formats.Formats;
import io.vigil.jobs.replay.ReplayOptions;
import io.vigil.jobs.replay.ReplayRunner;
import io.vigil.model.EcsJson;
import io.vigil.rules.exceptions.RuleExceptions;
import io.vigil.rules.verify.RuleSet;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GeoIP and impossible travel through a whole replay (ReplayRunner on a local Flink). */
class GeoReplayTest {

    @TempDir
    Path dir;

    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(EcsJson.MAPPER.readTree(line));
        }
        return out;
    }

    private Path replay(Path input, ContextConfig context, boolean detect) throws Exception {
        return replay(input, Formats.SYSLOG, context, detect);
    }

    private Path replay(Path input, String format, ContextConfig context, boolean detect) throws Exception {
        Path out = dir.resolve("out");
        new ReplayRunner(new PrintStream(OutputStream.nullOutputStream())).run(new ReplayOptions(List.of(input),
                format, out, DecoderOptions.defaults().withYear(2024).withZone(ZoneId.of("UTC")), 1, 0,
                detect ? RuleSet.packaged() : null, Duration.ofMinutes(30), null, null, true, RuleExceptions.NONE,
                context));
        return out;
    }

    @Test
    void signInsFromLondonAndNewYorkAnHourApartAreOneImpossibleTravelAlertWithBothPlaces() throws Exception {
        Path db = new MmdbWriter("GeoIP2-City")
                .add("81.2.69.0/24", MmdbWriter.city("GB", "United Kingdom", "EU", "London", "England", 51.5142,
                        -0.0931))
                .add("216.160.83.0/24", MmdbWriter.city("US", "United States", "NA", "New York", "New York", 40.7128,
                        -74.006))
                .write(dir.resolve("city.mmdb"));
        Path auth = Files.writeString(dir.resolve("auth.log"), String.join("\n",
                "Jun  1 10:00:00 bastion sshd[100]: Accepted publickey for alice from 81.2.69.160 port 50000 ssh2",
                "Jun  1 10:20:00 bastion sshd[101]: Accepted password for bob from 81.2.69.161 port 50001 ssh2",
                "Jun  1 11:00:00 bastion sshd[102]: Accepted publickey for alice from 216.160.83.56 port 50002 ssh2",
                "Jun  1 11:05:00 bastion sshd[103]: Accepted publickey for carol from 10.0.0.5 port 50003 ssh2",
                "Jun  1 23:00:00 bastion sshd[104]: Accepted password for bob from 216.160.83.57 port 50004 ssh2",
                ""));
        ContextConfig config = ContextConfig.DEFAULTS.withFiles(List.of(), List.of(db), null, null);
        Path out = replay(auth, config, true);

        List<JsonNode> events = lines(out.resolve(ReplayRunner.EVENTS_FILE));
        assertThat(events).hasSize(5);
        assertThat(events.get(0).at("/source/geo/city_name").asText()).isEqualTo("London");
        assertThat(events.get(0).at("/source/geo/location").asText()).isEqualTo("51.5142,-0.0931");
        assertThat(events.get(3).at("/source/geo").isMissingNode()).isTrue();

        List<JsonNode> travel = lines(out.resolve(ReplayRunner.ALERTS_FILE)).stream()
                .filter(a -> a.at("/rule/id").asText().equals("impossible-travel")).toList();
        assertThat(travel).hasSize(1);
        JsonNode a = travel.get(0);
        assertThat(a.at("/vigil/alert/group_key").asText()).isEqualTo("alice");
        assertThat(a.at("/vigil/travel/from/city_name").asText()).isEqualTo("London");
        assertThat(a.at("/vigil/travel/to/city_name").asText()).isEqualTo("New York");
        assertThat(a.at("/vigil/travel/to/country_iso_code").asText()).isEqualTo("US");
        assertThat(Double.parseDouble(a.at("/vigil/travel/distance_km").asText())).isBetween(5550.0, 5590.0);
        // the alert's own source.ip is placed too (enrich-alerts)
        assertThat(a.at("/source/geo/country_iso_code").asText()).isEqualTo("US");
    }

    private static String ecsSignIn(String time, String user, String ip, String forgedLocation, String forgedCity) {
        return "{\"@timestamp\":\"" + time + "\",\"event\":{\"category\":[\"authentication\"],"
                + "\"type\":[\"start\"],\"outcome\":\"success\"},\"user\":{\"name\":\"" + user + "\"},"
                + "\"source\":{\"ip\":\"" + ip + "\",\"geo\":{\"location\":\"" + forgedLocation
                + "\",\"city_name\":\"" + forgedCity + "\"}}}";
    }

    @Test
    void placesAnEcsInputCarriesCanNeitherForgeNorHideImpossibleTravel() throws Exception {
        Path db = new MmdbWriter("GeoIP2-City")
                .add("81.2.69.0/24", MmdbWriter.city("GB", "United Kingdom", "EU", "London", "England", 51.5142,
                        -0.0931))
                .add("216.160.83.0/24", MmdbWriter.city("US", "United States", "NA", "New York", "New York", 40.7128,
                        -74.006))
                .write(dir.resolve("city.mmdb"));
        Path input = Files.writeString(dir.resolve("ecs.json"), String.join("\n",
                // alice signs in twice from London; the input claims the second was in New York
                ecsSignIn("2024-06-01T10:00:00Z", "alice", "81.2.69.160", "51.5142,-0.0931", "London"),
                ecsSignIn("2024-06-01T10:30:00Z", "alice", "81.2.69.161", "40.7128,-74.006", "New York"),
                // bob goes London to New York in an hour; the input claims both were in London
                ecsSignIn("2024-06-01T10:00:00Z", "bob", "81.2.69.162", "51.5142,-0.0931", "London"),
                ecsSignIn("2024-06-01T11:00:00Z", "bob", "216.160.83.56", "51.5142,-0.0931", "London"),
                ""));
        Path out = replay(input, Formats.ECS, ContextConfig.DEFAULTS.withFiles(List.of(), List.of(db), null, null),
                true);
        List<JsonNode> events = lines(out.resolve(ReplayRunner.EVENTS_FILE));
        assertThat(events).hasSize(4);
        assertThat(events.get(1).at("/source/geo/city_name").asText()).isEqualTo("London");
        assertThat(events.get(3).at("/source/geo/location").asText()).isEqualTo("40.7128,-74.006");
        List<JsonNode> travel = lines(out.resolve(ReplayRunner.ALERTS_FILE)).stream()
                .filter(a -> a.at("/rule/id").asText().equals("impossible-travel")).toList();
        assertThat(travel).hasSize(1);
        assertThat(travel.get(0).at("/vigil/alert/group_key").asText()).isEqualTo("bob");
        assertThat(travel.get(0).at("/vigil/travel/to/city_name").asText()).isEqualTo("New York");
    }

    @Test
    void withoutDetectionEventsArePlacedAndNoTravelIsDetected() throws Exception {
        Path db = new MmdbWriter("GeoIP2-City")
                .add("81.2.69.0/24", MmdbWriter.city("GB", "United Kingdom", "EU", "London", "England", 51.5, -0.09))
                .write(dir.resolve("city.mmdb"));
        Path auth = Files.writeString(dir.resolve("auth.log"),
                "Jun  1 10:00:00 bastion sshd[100]: Accepted publickey for alice from 81.2.69.160 port 50000 ssh2\n");
        Path out = replay(auth, ContextConfig.DEFAULTS.withFiles(List.of(), List.of(db), null, null), false);
        assertThat(lines(out.resolve(ReplayRunner.EVENTS_FILE)).get(0).at("/source/geo/country_iso_code").asText())
                .isEqualTo("GB");
    }

    /** Issue 18's "done when": with a real database every public source.ip of OpenSSH_2k has a country. */
    @Test
    void everyPublicSourceAddressOfOpenSsh2kGetsACountryFromTheRealDatabase() throws Exception {
        Path db = RealGeoIpDatabase.COUNTRY.path();
        Path out = replay(Datasets.file("loghub/OpenSSH_2k.log"),
                ContextConfig.DEFAULTS.withFiles(List.of(), List.of(db), null, null), false);
        int placed = 0;
        for (JsonNode e : lines(out.resolve(ReplayRunner.EVENTS_FILE))) {
            String ip = e.at("/source/ip").asText(null);
            if (ip == null) {
                continue;
            }
            String country = e.at("/source/geo/country_iso_code").asText(null);
            if (PublicAddress.isPublic(PublicAddress.parse(ip))) {
                assertThat(country).as("country of %s", ip).matches("[A-Z]{2}");
                placed++;
            } else {
                assertThat(country).as("country of %s", ip).isNull();
            }
        }
        assertThat(placed).isGreaterThan(1000);
    }
}
