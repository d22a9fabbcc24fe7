package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.connectors.webhook.WebhookReceiver;
import io.vigil.connectors.webhook.WebhookReceiver.Received;
import io.vigil.formats.DecoderOptions;
import io.vigil.formats.Formats;
import io.vigil.jobs.VigilJob;
import io.vigil.jobs.detect.AlertDocuments;
import io.vigil.jobs.detect.Detection;
import io.vigil.jobs.detect.MassActivityFunction;
import io.vigil.jobs.io.NdjsonFileSink;
import io.vigil.jobs.io.RawRecordFileFormat;
import io.vigil.model.Alert;
import io.vigil.model.EcsJson;
import io.vigil.model.MassActivity;
import io.vigil.model.RawRecord;
import io.vigil.rules.verify.RuleSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A flood of one rule through {@code vigil replay --webhook}: 150 addresses send an injection
 * attempt within one minute. The first 100 alert one by one; the other 50 become one mass-activity
 * alert and one incident, which is all responders and the alert outputs see of them. The same file
 * through the job in streaming mode gives the same alerts.
 */
class MassActivityReplayTest {

    private static final int ADDRESSES = 150;

    @TempDir
    Path dir;

    private WebhookReceiver receiver;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws IOException {
        receiver = WebhookReceiver.start(ReplayWebhookTest.SECRET);
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private int vigil(String... args) {
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private static String ip(int i) {
        return "198.51." + (100 + i / 250) + "." + (1 + i % 250);
    }

    /**
     * Address i attacks at 10:00:00 + i/3 seconds; address 0 (let through) and the last one
     * (aggregated) attack again 90 seconds later, within their 5-minute suppression, and once more
     * at 10:06, after it: that attempt ends the suppression (the later copies of their alerts) and
     * alerts anew, in a quiet minute.
     */
    private Path accessLog() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < ADDRESSES; i++) {
            lines.add(line(ip(i), Instant.parse("2024-06-01T10:00:00Z").plusSeconds(i / 3)));
        }
        lines.add(line(ip(0), Instant.parse("2024-06-01T10:01:30Z")));
        lines.add(line(ip(ADDRESSES - 1), Instant.parse("2024-06-01T10:01:31Z")));
        lines.add(line(ip(0), Instant.parse("2024-06-01T10:06:00Z")));
        lines.add(line(ip(ADDRESSES - 1), Instant.parse("2024-06-01T10:06:00Z")));
        Path log = dir.resolve("access.log");
        Files.write(log, lines, StandardCharsets.UTF_8);
        return log;
    }

    private static String line(String ip, Instant at) {
        String time = java.time.format.DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", java.util.Locale.ROOT)
                .withZone(ZoneId.of("UTC")).format(at);
        return ip + " - - [" + time + "] \"GET /index.php?id=1+union+select+password+from+users HTTP/1.1\" 200 512";
    }

    private static List<JsonNode> read(Path ndjson) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        for (String l : Files.readAllLines(ndjson, StandardCharsets.UTF_8)) {
            docs.add(EcsJson.MAPPER.readTree(l));
        }
        return docs;
    }

    @Test
    void aFloodBecomesOneMassActivityAlertAndIncidentForTheKeysBeyondTheLimit() throws Exception {
        Path outDir = dir.resolve("out");
        assertThat(vigil("replay", "--quiet", "--format", "access", "--out", outDir.toString(),
                "--webhook", receiver.url("/hooks/flood"), accessLog().toString())).as(err.toString()).isZero();

        List<JsonNode> alerts = read(outDir.resolve("alerts.ndjson"));
        assertThat(alerts).isNotEmpty().allSatisfy(a -> assertThat(a.at("/rule/id").asText()).isEqualTo("web-attack-pattern"));
        String massId = MassActivityFunction.id("web-attack-pattern", Instant.parse("2024-06-01T10:00:00Z").toEpochMilli());
        List<JsonNode> mass = alerts.stream().filter(a -> a.at("/event/id").asText().equals(massId)).toList();
        List<JsonNode> single = alerts.stream().filter(a -> !a.at("/event/id").asText().equals(massId)).toList();
        // the replay keeps the last copy of an alert: here the one carrying the suppressed attempt of an
        // aggregated address
        assertThat(mass).hasSize(1);
        JsonNode m = mass.get(0).at("/vigil/alert/mass_activity");
        assertThat(m.at("/alerts").asLong()).isEqualTo(ADDRESSES - MassActivityFunction.DEFAULT_MAX_NEW_KEYS_PER_MINUTE);
        assertThat(m.at("/keys").asLong()).isEqualTo(ADDRESSES - MassActivityFunction.DEFAULT_MAX_NEW_KEYS_PER_MINUTE);
        assertThat(m.at("/sample_keys")).hasSize(MassActivity.MAX_SAMPLE_KEYS);
        assertThat(m.at("/max_new_keys").asInt()).isEqualTo(MassActivityFunction.DEFAULT_MAX_NEW_KEYS_PER_MINUTE);
        assertThat(mass.get(0).at("/vigil/alert/suppressed_count").asLong()).isEqualTo(1);
        assertThat(mass.get(0).at("/event/end").asText()).isEqualTo("2024-06-01T10:01:31Z");
        assertThat(mass.get(0).at("/tags").toString()).contains(MassActivity.TAG);
        // one by one in the first minute: 100 addresses (address 0's alert as its later copy)
        List<JsonNode> firstMinute = single.stream()
                .filter(a -> a.at("/@timestamp").asText().startsWith("2024-06-01T10:00:")).toList();
        Set<String> through = new HashSet<>();
        firstMinute.forEach(a -> through.add(a.at("/source/ip").asText()));
        assertThat(through).hasSize(MassActivityFunction.DEFAULT_MAX_NEW_KEYS_PER_MINUTE).contains(ip(0))
                .doesNotContain(ip(ADDRESSES - 1));
        assertThat(firstMinute).hasSize(MassActivityFunction.DEFAULT_MAX_NEW_KEYS_PER_MINUTE);
        assertThat(firstMinute).filteredOn(a -> a.at("/source/ip").asText().equals(ip(0)))
                .extracting(a -> a.at("/vigil/alert/suppressed_count").asLong()).containsExactly(1L);
        m.at("/sample_keys").forEach(k -> assertThat(through).doesNotContain(k.asText()));
        // at 10:06 both addresses alert one by one again: two new keys in a quiet minute
        assertThat(single.stream().filter(a -> a.at("/@timestamp").asText().equals("2024-06-01T10:06:00Z"))
                .map(a -> a.at("/source/ip").asText())).containsExactlyInAnyOrder(ip(0), ip(ADDRESSES - 1));
        assertThat(single).hasSize(MassActivityFunction.DEFAULT_MAX_NEW_KEYS_PER_MINUTE + 2);

        // one incident per address let through (address 0's second alert joins its first), one for
        // the mass activity, one for the aggregated address when it alerts on its own at 10:06
        List<JsonNode> incidents = read(outDir.resolve("incidents.ndjson"));
        Set<String> incidentIds = new HashSet<>();
        incidents.forEach(i -> incidentIds.add(i.at("/vigil/incident/id").asText()));
        assertThat(incidentIds).hasSize(MassActivityFunction.DEFAULT_MAX_NEW_KEYS_PER_MINUTE + 2);
        List<JsonNode> timeline = read(outDir.resolve("timeline.ndjson"));
        assertThat(timeline).anySatisfy(t -> {
            assertThat(t.at("/vigil/timeline/ref/id").asText()).isEqualTo(massId);
            assertThat(t.at("/vigil/timeline/summary").asText()).contains("50 alerts for 50 source.ip values");
        });

        // responders get the first copies: 102 alerts and the mass activity, none of the 50 aggregated
        List<Received> received = receiver.received();
        List<String> keys = received.stream().map(Received::idempotencyKey).toList();
        JsonNode delivered = EcsJson.MAPPER.readTree(received.stream().filter(r -> r.idempotencyKey().equals(massId))
                .findFirst().orElseThrow().body());
        assertThat(delivered.at("/last_event_time").asText()).isEqualTo("2024-06-01T10:00:49Z");
        assertThat(delivered.at("/mass_activity/alerts").asLong()).isEqualTo(50);
        assertThat(delivered.at("/mass_activity/keys").asLong()).isEqualTo(50);
        Set<String> expected = new HashSet<>();
        single.forEach(a -> expected.add(a.at("/event/id").asText()));
        expected.add(massId);
        assertThat(keys).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        JsonNode summary = EcsJson.MAPPER.readTree(outDir.resolve("summary.json").toFile());
        assertThat(summary.at("/alerts").asLong()).isEqualTo(MassActivityFunction.DEFAULT_MAX_NEW_KEYS_PER_MINUTE + 3);
        assertThat(summary.at("/byRule/web-attack-pattern").asLong()).isEqualTo(
                MassActivityFunction.DEFAULT_MAX_NEW_KEYS_PER_MINUTE + 3);
    }

    @Test
    void theStreamingJobLetsTheSameAlertsThroughAsTheReplay() throws Exception {
        Path log = accessLog();
        Path outDir = dir.resolve("replay");
        assertThat(vigil("replay", "--quiet", "--format", "access", "--no-events", "--out", outDir.toString(),
                log.toString())).as(err.toString()).isZero();
        Map<String, String> replayed = lastCopies(outDir.resolve("alerts.ndjson"));

        Path streamed = dir.resolve("stream-alerts.ndjson");
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        FileSource<RawRecord> source = FileSource.forBulkFileFormat(new RawRecordFileFormat(
                Map.of(RawRecordFileFormat.key(log), Formats.ACCESS), Map.of(), null, 65536),
                new org.apache.flink.core.fs.Path(log.toUri())).build();
        new VigilJob(source, "access log", DecoderOptions.defaults())
                .deadLetters(new VigilJob.Output<>(NdjsonFileSink.<io.vigil.model.DeadLetter>builder()
                        .path(dir.resolve("dead.ndjson").toString()).encoder(EcsJson::write).build(), "dead", "dead", 1))
                .detect(io.vigil.jobs.detect.DetectionSettings.of(RuleSet.packaged(), Duration.ofSeconds(10), Detection.DEFAULT_STATE_TTL),
                        List.of(new VigilJob.Output<>(NdjsonFileSink.<Alert>builder().path(streamed.toString())
                                .encoder(AlertDocuments::write).build(), "alerts", "alerts", 1)))
                .build(env);
        env.execute("mass activity, streaming");
        assertThat(lastCopies(streamed)).hasSize(MassActivityFunction.DEFAULT_MAX_NEW_KEYS_PER_MINUTE + 3)
                .isEqualTo(replayed);
    }

    /** The last copy of each alert, by id: what Elasticsearch holds, and what a replay writes. */
    private static Map<String, String> lastCopies(Path ndjson) throws IOException {
        Map<String, String> byId = new java.util.TreeMap<>();
        for (JsonNode a : read(ndjson)) {
            byId.put(a.at("/event/id").asText(), EcsJson.toJson(a));
        }
        return byId;
    }
}
