package io.vigil.jobs.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.formats.DecoderOptions;
import io.vigil.formats.Formats;
import io.vigil.jobs.VigilJob;
import io.vigil.jobs.decode.DecodeCounters;
import io.vigil.jobs.io.NdjsonFileSink;
import io.vigil.jobs.io.RawRecordFileFormat;
import io.vigil.model.DeadLetter;
import io.vigil.model.EcsJson;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.api.common.JobExecutionResult;
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

/** The decode topology on a Flink MiniCluster: every record ends as events or one dead letter. */
public class ReplayJobTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @TempDir
    Path dir;

    @Test
    void decodesMixedFilesAndDeadLettersWhatCannotBeDecoded() throws Exception {
        Path auth = write("in/auth.log", String.join("\r\n",
                "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186",
                "Dec 10 06:55:48 LabSZ sshd[24200]: Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2",
                "Dec 10 07:13:56 LabSZ sshd[24227]: message repeated 5 times: [ Failed password for root from 5.36.59.76 port 42393 ssh2]",
                "this line is not syslog at all",
                "Dec 10 09:32:20 LabSZ sshd[24680]: Accepted password for fztu from 119.137.62.142 port 49116 ssh2"));
        Path windows = write("in/security.json",
                "{\"EventID\":4625,\"Channel\":\"Security\",\"Hostname\":\"WS5\",\"@timestamp\":\"2020-10-22T08:29:53.908Z\","
                        + "\"TargetUserName\":\"pbeesly\",\"IpAddress\":\"-\",\"Status\":\"0xc000006d\",\"SubStatus\":\"0xc000006a\"}\n"
                        + "{\"EventID\":4624,\"Channel\":\"security\",\"Hostn\n");
        Path gz = dir.resolve("in/auth.log.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("Dec 10 10:00:00 LabSZ sshd[1]: Accepted publickey for alice from 2001:db8::7 port 2222 ssh2\n"
                    .getBytes(StandardCharsets.UTF_8));
        }
        StringBuilder big = new StringBuilder("Dec 10 11:00:00 LabSZ sshd[2]: ");
        big.append("x".repeat(200_000));
        Path huge = write("in/huge.log", big + "\nDec 10 11:00:01 LabSZ sshd[2]: Connection closed by 10.0.0.1 port 22\n");

        Map<String, String> formats = Map.of(
                RawRecordFileFormat.key(auth), Formats.SYSLOG,
                RawRecordFileFormat.key(windows), Formats.WINDOWS,
                RawRecordFileFormat.key(gz), Formats.SYSLOG,
                RawRecordFileFormat.key(huge), Formats.SYSLOG);
        DecoderOptions options = DecoderOptions.defaults().withYear(2024).withZone(ZoneId.of("UTC"));
        FileSource<RawRecord> source = FileSource
                .forBulkFileFormat(new RawRecordFileFormat(formats, Map.of(), null, options.maxRecordBytes()),
                        new org.apache.flink.core.fs.Path(dir.resolve("in").toUri()))
                .setFileEnumerator(() -> new NonSplittingRecursiveEnumerator(p -> true))
                .build();
        Path eventsFile = dir.resolve("out/events.ndjson");
        Path deadFile = dir.resolve("out/dead-letters.ndjson");

        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        new VigilJob(source, "log files", options)
                .events(new VigilJob.Output<>(NdjsonFileSink.<SecurityEvent>builder().path(eventsFile.toString())
                        .encoder(EcsJson::write).build(), "events", "events", 1))
                .deadLetters(new VigilJob.Output<>(NdjsonFileSink.<DeadLetter>builder().path(deadFile.toString())
                        .encoder(EcsJson::write).build(), "dead letters", "dead-letters", 1))
                .build(env);
        JobExecutionResult result = env.execute("replay test");

        List<JsonNode> events = read(eventsFile);
        List<JsonNode> dead = read(deadFile);
        // 5 + 2 + 1 + 2 records; events: 1 + 1 + 5 + 1 (auth) + 1 (windows) + 1 (gz) + 1 (huge's 2nd line)
        assertThat(result.<Long>getAccumulatorResult(DecodeCounters.RECORDS)).isEqualTo(10L);
        assertThat(result.<Long>getAccumulatorResult(DecodeCounters.EVENTS)).isEqualTo(11L).isEqualTo(events.size());
        assertThat(result.<Long>getAccumulatorResult(DecodeCounters.DEAD_LETTERS)).isEqualTo(3L).isEqualTo(dead.size());
        assertThat(result.<Long>getAccumulatorResult(DecodeCounters.DECODED) + dead.size()).isEqualTo(10L);

        assertThat(events).filteredOn(e -> "ssh_login".equals(e.at("/event/action").asText())
                && "failure".equals(e.at("/event/outcome").asText())).hasSize(6);
        assertThat(events).filteredOn(e -> "5.36.59.76".equals(e.at("/source/ip").asText()))
                .extracting(e -> e.at("/event/sequence").asLong()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
        assertThat(events).anySatisfy(e -> {
            assertThat(e.at("/source/ip").asText()).isEqualTo("2001:db8::7");
            assertThat(e.at("/vigil/origin/source").asText()).endsWith("auth.log.gz");
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.at("/event/code").asText()).isEqualTo("4625");
            assertThat(e.at("/@timestamp").asText()).isEqualTo("2020-10-22T08:29:53.908Z");
        });

        assertThat(dead).extracting(d -> d.at("/vigil/origin/source").asText() + ":" + d.at("/vigil/origin/offset").asLong())
                .containsExactlyInAnyOrder(auth.toString() + ":4", windows.toString() + ":2", huge.toString() + ":1");
        JsonNode tooLong = dead.stream().filter(d -> d.at("/vigil/origin/source").asText().endsWith("huge.log")).findFirst().orElseThrow();
        assertThat(tooLong.at("/reason").asText()).contains("exceeds the limit of 65536 bytes");
        assertThat(tooLong.at("/raw/bytes").asLong()).isEqualTo(big.length());
        assertThat(tooLong.at("/raw/value").asText()).hasSize(65536);
        JsonNode truncated = dead.stream().filter(d -> d.at("/decoder").asText().equals("windows")).findFirst().orElseThrow();
        assertThat(truncated.at("/raw/value").asText()).isEqualTo("{\"EventID\":4624,\"Channel\":\"security\",\"Hostn");
    }

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    public static List<JsonNode> read(Path ndjson) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(ndjson, StandardCharsets.UTF_8)) {
            out.add(EcsJson.MAPPER.readTree(line));
        }
        return out;
    }
}
