package io.vigil.jobs.mask;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.formats.DecoderOptions;
import io.vigil.formats.Formats;
import io.vigil.jobs.VigilJob;
import io.vigil.jobs.detect.AlertDocuments;
import io.vigil.jobs.detect.Detection;
import io.vigil.jobs.detect.DetectionSettings;
import io.vigil.jobs.io.NdjsonFileSink;
import io.vigil.jobs.io.RawRecordFileFormat;
import io.vigil.jobs.replay.ReplayJobTest;
import io.vigil.model.Alert;
import io.vigil.model.DeadLetter;
import io.vigil.model.EcsJson;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import io.vigil.model.mask.MaskingPolicy;
import io.vigil.rules.verify.RuleSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming topology masks with the policy it is given ({@link VigilJob#masking}): events,
 * alerts and dead letters, counted per kind in the masking operators' accumulators. (The replay's
 * paths and the defaults: {@code MaskingCorpusTest} in cli.)
 */
class MaskingJobTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path dir;

    @Test
    void eventsAlertsAndDeadLettersAreMaskedWithTheConfiguredPolicy() throws Exception {
        List<String> lines = new ArrayList<>();
        // in time order: a streaming job drops what comes later than its out-of-orderness
        for (int i = 0; i < 6; i++) {
            lines.add(String.format("Nov 20 09:10:%02d bastion sshd[4150]: Failed password for invalid user deploy "
                    + "from 203.0.113.45 port %d ssh2", 10 + i, 52210 + i));
        }
        for (int i = 0; i < 6; i++) {
            lines.add(String.format("Nov 20 09:20:%02d bastion sshd[4160]: Failed password for invalid user "
                    + "Winter2026# from 192.0.2.77 port %d ssh2", 10 + i, 40100 + i));
        }
        lines.add("Nov 20 09:31:00 bastion shop[77]: lookup pin=1234 card 4111-1111-1111-1111");
        lines.add("not syslog: pin=9876 card 5555 5555 5555 4444");
        Path log = dir.resolve("in/auth.log");
        Files.createDirectories(log.getParent());
        Files.write(log, lines, StandardCharsets.UTF_8);

        DecoderOptions options = DecoderOptions.defaults().withYear(2024).withZone(ZoneId.of("UTC"));
        FileSource<RawRecord> source = FileSource
                .forBulkFileFormat(new RawRecordFileFormat(Map.of(RawRecordFileFormat.key(log), Formats.SYSLOG),
                        Map.of(), null, options.maxRecordBytes()), new org.apache.flink.core.fs.Path(log.toUri()))
                .setFileEnumerator(() -> new NonSplittingRecursiveEnumerator(p -> true))
                .build();
        Path events = dir.resolve("out/events.ndjson");
        Path dead = dir.resolve("out/dead-letters.ndjson");
        Path alerts = dir.resolve("out/alerts.ndjson");
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(2);
        // every failed sign-in's user name, and a parameter the defaults do not name
        MaskingPolicy policy = new MaskingPolicy(MaskingPolicy.UserNames.ALL, List.of("pin"));
        new VigilJob(source, "log files", options)
                .masking(policy)
                .events(new VigilJob.Output<>(NdjsonFileSink.<SecurityEvent>builder().path(events.toString())
                        .encoder(EcsJson::write).build(), "events", "events", 1))
                .deadLetters(new VigilJob.Output<>(NdjsonFileSink.<DeadLetter>builder().path(dead.toString())
                        .encoder(EcsJson::write).build(), "dead letters", "dead-letters", 1))
                .detect(DetectionSettings.of(RuleSet.packaged(), Detection.DEFAULT_OUT_OF_ORDERNESS,
                        Detection.DEFAULT_STATE_TTL), List.of(new VigilJob.Output<>(NdjsonFileSink.<Alert>builder()
                        .path(alerts.toString()).encoder(AlertDocuments::write).build(), "alerts", "alerts", 1)))
                .build(env);
        JobExecutionResult result = env.execute("masking test");

        List<JsonNode> written = ReplayJobTest.read(events);
        assertThat(written).hasSize(13);
        assertThat(written).filteredOn(e -> "ssh_login".equals(e.at("/event/action").asText()))
                .allSatisfy(e -> {
                    assertThat(e.at("/user/name").asText()).isEqualTo("[masked]");
                    assertThat(e.at("/event/original").asText()).contains("invalid user [masked] from");
                });
        assertThat(Files.readString(events)).contains("pin=[masked] card 4111-11**-****-1111")
                .doesNotContain("deploy").doesNotContain("Winter2026#").doesNotContain("1234");
        assertThat(Files.readString(dead)).contains("pin=[masked] card 5555 55** **** 4444").doesNotContain("9876");
        // detection saw the user names whole: both sources alerted, each with its own alert
        List<JsonNode> alerted = ReplayJobTest.read(alerts);
        assertThat(alerted).extracting(a -> a.at("/source/ip").asText()).contains("203.0.113.45", "192.0.2.77");
        assertThat(Files.readString(alerts)).doesNotContain("Winter2026#").contains("\"[masked]\"");

        // occurrences: the shop line's pin and card are in its message and in event.original
        assertThat(result.<Map<String, Long>>getAccumulatorResult(MaskCounters.EVENTS))
                .containsEntry("password-user-name", 12L).containsEntry("secret-parameter", 2L)
                .containsEntry("card", 2L);
        assertThat(result.<Map<String, Long>>getAccumulatorResult(MaskCounters.DEAD_LETTERS))
                .containsEntry("secret-parameter", 1L).containsEntry("card", 1L);
        assertThat(result.<Map<String, Long>>getAccumulatorResult(MaskCounters.ALERTS))
                .containsKey("password-user-name");
    }
}
