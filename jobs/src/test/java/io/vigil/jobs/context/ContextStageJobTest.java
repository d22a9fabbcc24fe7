package io.vigil.jobs.context;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.context.ContextAlert;
import io.vigil.context.ContextRule;
import io.vigil.context.ContextUpdate;
import io.vigil.formats.DecoderOptions;
import io.vigil.formats.Formats;
import io.vigil.jobs.VigilJob;
import io.vigil.jobs.detect.AlertDocuments;
import io.vigil.jobs.detect.Detection;
import io.vigil.jobs.detect.DetectionSettings;
import io.vigil.jobs.incident.IncidentDocuments;
import io.vigil.jobs.io.NdjsonFileSink;
import io.vigil.jobs.io.RawRecordFileFormat;
import io.vigil.model.Alert;
import io.vigil.model.DeadLetter;
import io.vigil.model.EcsJson;
import io.vigil.model.Incident;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import io.vigil.model.TimelineEntry;
import io.vigil.rules.RuleSource;
import io.vigil.rules.verify.RuleSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The context stage in the whole topology on a MiniCluster: events reach their outputs and the
 * rules enriched, a context detection's alerts join the rules' alerts, and every alert (the rules'
 * and the context's) is enriched before incidents and the alert outputs.
 */
class ContextStageJobTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final String DRL = """
            package test.context;
            import io.vigil.model.SecurityEvent;
            import io.vigil.rules.Signal;
            rule "accepted-login"
                @name("Accepted login") @description("a sign-in") @severity("low") @riskScore(20)
                @tactics("TA0001") @techniques("T1078") @shape("single") @groupBy("user.name")
            when
                $e : SecurityEvent(eventOutcome == "success")
            then
                insert(new Signal($e));
            end
            """;

    static final ContextRule CRITICAL_FAILURE = new ContextRule("failure-on-critical-host", 1,
            "Failure on a critical host", "a failed sign-in on a host the assets table calls critical", "medium",
            50, List.of(), List.of(), List.of());

    /** A context detection over the enriched, timed events: what intel, travel and first seen plug in as. */
    static final class FailuresOnCriticalHosts implements ContextAlerts {
        @Override
        public DataStream<Alert> build(DataStream<SecurityEvent> events, DataStream<ContextUpdate> updates) {
            return events.filter((FilterFunction<SecurityEvent>) e -> "failure".equals(e.eventOutcome())
                            && "critical".equals(e.field("host.asset.criticality")))
                    .name("critical failures").uid("critical-failures")
                    .map((MapFunction<SecurityEvent, Alert>) e -> ContextAlert.of(CRITICAL_FAILURE, "host.name",
                            e.hostName(), List.of(e), Map.of()))
                    .returns(TypeInformation.of(Alert.class)).name("critical failure alerts").uid("critical-alerts");
        }
    }

    @TempDir
    Path dir;

    @Test
    void enrichedEventsAndContextAlertsGoEverywhereRulesAlertsGo() throws Exception {
        Path auth = dir.resolve("in/auth.log");
        Files.createDirectories(auth.getParent());
        Files.writeString(auth, String.join("\n",
                "Dec 10 06:55:48 LabSZ sshd[24200]: Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2",
                "Dec 10 09:32:20 LabSZ sshd[24680]: Accepted password for fztu from 119.137.62.142 port 49116 ssh2",
                "Dec 10 09:40:00 other sshd[1]: Failed password for root from 10.1.1.1 port 1 ssh2", ""));
        DecoderOptions options = DecoderOptions.defaults().withYear(2024).withZone(ZoneId.of("UTC"));
        FileSource<RawRecord> source = FileSource
                .forBulkFileFormat(new RawRecordFileFormat(Map.of(RawRecordFileFormat.key(auth), Formats.SYSLOG),
                        Map.of(), null, options.maxRecordBytes()), new org.apache.flink.core.fs.Path(dir.resolve("in").toUri()))
                .setFileEnumerator(() -> new NonSplittingRecursiveEnumerator(p -> true)).build();
        Path events = dir.resolve("out/events.ndjson");
        Path alerts = dir.resolve("out/alerts.ndjson");
        Path incidents = dir.resolve("out/incidents.ndjson");
        RuleSet rules = RuleSet.verified(List.of(new RuleSource("test/context.drl", DRL)));
        assertThat(rules.problems()).isEmpty();

        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        new VigilJob(source, "log files", options)
                .events(new VigilJob.Output<>(NdjsonFileSink.<SecurityEvent>builder().path(events.toString())
                        .encoder(EcsJson::write).build(), "events", "events", 1))
                .deadLetters(new VigilJob.Output<>(NdjsonFileSink.<DeadLetter>builder()
                        .path(dir.resolve("out/dead.ndjson").toString()).encoder(EcsJson::write).build(), "dead", "dead", 1))
                .context(new ContextSettings(List.of(new HostsByUpdate(Map.of("LabSZ", "critical"))), null,
                        List.of(new FailuresOnCriticalHosts())))
                .detect(DetectionSettings.of(rules, Detection.DEFAULT_OUT_OF_ORDERNESS, Duration.ofHours(1)),
                        List.of(new VigilJob.Output<>(NdjsonFileSink.<Alert>builder().path(alerts.toString())
                                .encoder(AlertDocuments::write).build(), "alerts", "alerts", 1)))
                .incidents(Duration.ofHours(24), List.of(new VigilJob.Output<>(NdjsonFileSink.<Incident>builder()
                                .path(incidents.toString()).encoder(IncidentDocuments::write).build(), "incidents",
                                "incidents", 1)),
                        List.of(new VigilJob.Output<>(NdjsonFileSink.<TimelineEntry>builder()
                                .path(dir.resolve("out/timeline.ndjson").toString()).encoder(IncidentDocuments::write)
                                .build(), "timeline", "timeline", 1)))
                .build(env);
        env.execute("context stage test");

        List<JsonNode> ev = read(events);
        assertThat(ev).hasSize(3);
        assertThat(ev).filteredOn(e -> "LabSZ".equals(e.at("/host/name").asText()))
                .allSatisfy(e -> assertThat(e.at("/host/asset/criticality").asText()).isEqualTo("critical"));
        assertThat(ev).filteredOn(e -> "other".equals(e.at("/host/name").asText()))
                .allSatisfy(e -> assertThat(e.at("/host/asset").isMissingNode()).isTrue());

        List<JsonNode> al = read(alerts);
        assertThat(al).extracting(a -> a.at("/rule/id").asText())
                .containsExactlyInAnyOrder("accepted-login", "failure-on-critical-host");
        assertThat(al).allSatisfy(a -> assertThat(a.at("/host/asset/criticality").asText()).isEqualTo("critical"));
        assertThat(al).filteredOn(a -> a.at("/rule/id").asText().equals("failure-on-critical-host"))
                .singleElement().satisfies(a -> assertThat(a.at("/host/name").asText()).isEqualTo("LabSZ"));

        // the context detection's alert is an alert like any other: it joins an incident
        assertThat(read(incidents)).anySatisfy(i -> assertThat(i.toString()).contains("failure-on-critical-host"));
    }

    private static List<JsonNode> read(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(json.readTree(line));
            }
        }
        return out;
    }
}
