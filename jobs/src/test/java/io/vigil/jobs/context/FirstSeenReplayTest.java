package io.vigil.jobs.context;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.context.geo.MmdbWriter;
import io.vigil.formats.DecoderOptions;
import io.vigil.formats.Formats;
import io.vigil.jobs.replay.ReplayOptions;
import io.vigil.jobs.replay.ReplayRunner;
import io.vigil.model.EcsJson;
import io.vigil.rules.exceptions.RuleExceptions;
import io.vigil.rules.verify.RuleSet;
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

/** A first-seen rule through a whole replay: GeoIP places the sign-ins, a new country alerts after learning. */
class FirstSeenReplayTest {

    @TempDir
    Path dir;

    @Test
    void aSignInFromANewCountryAfterAWeekOfSignInsFromHomeIsOneAlert() throws Exception {
        Path db = new MmdbWriter("GeoIP2-City")
                .add("81.2.69.0/24", MmdbWriter.city("GB", "United Kingdom", "EU", "London", "England", 51.5142,
                        -0.0931))
                .add("216.160.83.0/24", MmdbWriter.city("US", "United States", "NA", "New York", "New York", 40.7128,
                        -74.006))
                .write(dir.resolve("city.mmdb"));
        List<String> lines = new ArrayList<>();
        for (int day = 1; day <= 9; day++) {
            lines.add(String.format("Jun %2d 09:00:00 bastion sshd[%d]: Accepted publickey for alice from 81.2.69.160 "
                    + "port 50000 ssh2", day, 100 + day));
        }
        lines.add("Jun 10 09:00:00 bastion sshd[200]: Accepted publickey for alice from 216.160.83.56 port 50001 ssh2");
        lines.add("Jun 10 21:00:00 bastion sshd[201]: Accepted publickey for alice from 216.160.83.56 port 50002 ssh2");
        lines.add("Jun 10 22:00:00 bastion sshd[202]: Accepted publickey for bob from 216.160.83.57 port 50003 ssh2");
        Path auth = Files.writeString(dir.resolve("auth.log"), String.join("\n", lines) + "\n");

        ContextConfig config = ContextConfig.DEFAULTS.withFiles(List.of(), List.of(db), null, null);
        Path out = dir.resolve("out");
        new ReplayRunner(new PrintStream(OutputStream.nullOutputStream())).run(new ReplayOptions(List.of(auth),
                Formats.SYSLOG, out, DecoderOptions.defaults().withYear(2024).withZone(ZoneId.of("UTC")), 1, 0,
                RuleSet.packaged(), Duration.ofMinutes(30), null, null, true, RuleExceptions.NONE, config));

        List<JsonNode> firstSeen = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(ReplayRunner.ALERTS_FILE))) {
            JsonNode a = EcsJson.MAPPER.readTree(line);
            if (a.at("/rule/id").asText().equals("first-country-for-user")) {
                firstSeen.add(a);
            }
        }
        assertThat(firstSeen).hasSize(1);
        JsonNode a = firstSeen.get(0);
        assertThat(a.at("/vigil/alert/group_key").asText()).isEqualTo("alice | US");
        assertThat(a.at("/vigil/first_seen/value").asText()).isEqualTo("US");
        assertThat(a.at("/vigil/first_seen/known_values").asText()).isEqualTo("1");
        assertThat(a.at("/vigil/first_seen/learning_since").asText()).isEqualTo("2024-06-01T09:00:00Z");
        assertThat(a.at("/source/geo/country_iso_code").asText()).isEqualTo("US");
    }
}
