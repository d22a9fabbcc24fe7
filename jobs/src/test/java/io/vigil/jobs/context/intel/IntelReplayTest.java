package io.vigil.jobs.context.intel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.formats.Datasets;
import io.vigil.formats.DecoderOptions;
import io.vigil.jobs.context.ContextConfig;
import io.vigil.jobs.replay.ReplayOptions;
import io.vigil.jobs.replay.ReplayRunner;
import io.vigil.model.EcsJson;
import io.vigil.rules.exceptions.RuleExceptions;
import io.vigil.rules.verify.RuleSet;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's "done when" for threat intelligence: a replay of loghub's OpenSSH_2k with a STIX bundle
 * naming one of its attacking addresses (GROUND_TRUTH.md: 183.62.140.253, 286 failed passwords)
 * raises a threat-intel-match alert on that address, and only on it.
 */
class IntelReplayTest {

    static final String ATTACKER = "183.62.140.253";

    static final String BUNDLE = """
            {"type": "bundle", "id": "bundle--6f1c", "objects": [
              {"type": "identity", "spec_version": "2.1", "id": "identity--9c1b", "name": "Example CERT",
               "identity_class": "organization", "created": "2015-11-01T00:00:00Z", "modified": "2015-11-01T00:00:00Z"},
              {"type": "indicator", "spec_version": "2.1", "id": "indicator--1f0e", "created_by_ref": "identity--9c1b",
               "created": "2015-11-01T00:00:00Z", "modified": "2015-11-01T00:00:00Z",
               "name": "SSH password guessing source", "indicator_types": ["malicious-activity"],
               "pattern_type": "stix", "pattern": "[ipv4-addr:value = '%s']",
               "valid_from": "2015-11-01T00:00:00Z", "confidence": 80}
            ]}""".formatted(ATTACKER);

    @Test
    void replayWithAStixBundleAlertsOnTheNamedAttacker(@TempDir Path dir) throws Exception {
        Path bundle = Files.writeString(dir.resolve("example-cert.json"), BUNDLE);
        Path out = dir.resolve("out");
        ContextConfig context = ContextConfig.DEFAULTS.withFiles(List.of(bundle), List.of(), null, null);
        ReplayOptions options = new ReplayOptions(List.of(Datasets.file("loghub/OpenSSH_2k.log")), null, out,
                DecoderOptions.defaults().withYear(2015), 1, 0, RuleSet.packaged(), Duration.ofMinutes(30), null,
                null, true, RuleExceptions.NONE, context);

        new ReplayRunner(new PrintStream(OutputStream.nullOutputStream())).run(options);

        List<JsonNode> intel = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(ReplayRunner.ALERTS_FILE))) {
            JsonNode a = EcsJson.MAPPER.readTree(line);
            if (a.at("/rule/id").asText().equals("threat-intel-match")) {
                intel.add(a);
            }
        }
        assertThat(intel).as("threat-intel-match alerts").isNotEmpty();
        assertThat(intel).allSatisfy(a -> {
            assertThat(a.at("/threat/indicator/name").asText()).isEqualTo(ATTACKER);
            assertThat(a.at("/threat/indicator/provider").asText()).isEqualTo("Example CERT");
            assertThat(a.at("/threat/feed/name").asText()).isEqualTo("example-cert");
            assertThat(a.at("/threat/enrichments/matched/field").asText()).isEqualTo("source.ip");
            assertThat(a.at("/event/severity").asInt()).as("confidence 80: high").isEqualTo(73);
        });
        long matchedEvents = 0;
        for (String line : Files.readAllLines(out.resolve(ReplayRunner.EVENTS_FILE))) {
            JsonNode e = EcsJson.MAPPER.readTree(line);
            if (e.at("/threat/enrichments/matched/atomic").isTextual()) {
                matchedEvents++;
                assertThat(e.at("/source/ip").asText()).isEqualTo(ATTACKER);
            }
        }
        // every line naming the attacker as source: its 286 failures, 9 invalid users and the rest of its session
        assertThat(matchedEvents).isGreaterThanOrEqualTo(286);
    }
}
