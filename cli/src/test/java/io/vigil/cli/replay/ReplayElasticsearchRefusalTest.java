package io.vigil.cli.replay;

import io.vigil.jobs.stream.StreamingServices;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.connectors.elasticsearch.FaultInjectingProxy;
import io.vigil.connectors.elasticsearch.FaultInjectingProxy.Reply;
import io.vigil.formats.Datasets;
import io.vigil.cli.VigilCli;
import io.vigil.jobs.replay.ReplayRunner;
import io.vigil.model.DeadLetter;
import io.vigil.model.EcsJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil replay --es} when Elasticsearch refuses the alert requests for good: the replay
 * still succeeds, and every alert it could not store is in {@code elasticsearch-dead-letters.ndjson}
 * with the reason.
 */
class ReplayElasticsearchRefusalTest {

    @TempDir
    Path dir;

    @Test
    void alertsElasticsearchRefusesAreKeptInAFileAndTheReplaySucceeds() throws Exception {
        Path log = Datasets.file("loghub/OpenSSH_2k.log");
        Path out = dir.resolve("out");
        StringWriter err = new StringWriter();
        int exit;
        try (FaultInjectingProxy proxy = FaultInjectingProxy.to(StreamingServices.ES.url())) {
            proxy.fault(r -> r.isBulk() && r.bodyText().contains("\"_index\":\"vigil-alerts-")
                    ? Reply.error(401, "security_exception", "missing authentication credentials") : null);
            CommandLine cl = VigilCli.commandLine();
            cl.setOut(new PrintWriter(new StringWriter(), true));
            cl.setErr(new PrintWriter(err, true));
            exit = cl.execute("replay", "--quiet", "--es", proxy.url(), "--out", out.toString(), log.toString());
        }
        assertThat(exit).as(err.toString()).isZero();

        Set<String> alertIds = new TreeSet<>();
        for (String line : Files.readAllLines(out.resolve(ReplayRunner.ALERTS_FILE), StandardCharsets.UTF_8)) {
            alertIds.add(EcsJson.MAPPER.readTree(line).at("/event/id").asText());
        }
        assertThat(alertIds).hasSizeGreaterThan(5);
        List<JsonNode> refused = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(ReplayRunner.ES_DEAD_LETTERS_FILE), StandardCharsets.UTF_8)) {
            refused.add(EcsJson.MAPPER.readTree(line));
        }
        assertThat(refused).allSatisfy(l -> {
            assertThat(l.at("/vigil/dead_letter/kind").asText()).isEqualTo(DeadLetter.ELASTICSEARCH);
            assertThat(l.path("reason").asText()).isEqualTo("401 security_exception: missing authentication credentials");
            assertThat(l.at("/vigil/origin/source").asText()).startsWith("vigil-alerts-");
        });
        Set<String> refusedIds = new TreeSet<>();
        for (JsonNode l : refused) {
            refusedIds.add(EcsJson.MAPPER.readTree(l.at("/raw/value").asText()).at("/event/id").asText());
        }
        assertThat(refusedIds).as("every alert of the replay, kept").isEqualTo(alertIds);
    }
}
