package io.vigil.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.formats.Datasets;
import io.vigil.formats.ZeekTsvToJson;
import io.vigil.cli.VigilCli;
import io.vigil.model.EcsJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil replay} of Zeek JSON logs: files of entries as {@code LogAscii::use_json=T}
 * writes them (named after their log) and as a consumer dumps a zeek-kafka topic (tagged) are
 * detected as Zeek and decode like the TSV logs they were written from: the real rows of the
 * OTRF LSASS campaign.
 */
class ReplayZeekJsonTest {

    private static final String DIR = "otrf-security-datasets/zeek/LSASS_campaign_01";

    @TempDir
    Path dir;

    private final StringWriter printed = new StringWriter();

    private int vigil(String... args) {
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(printed, true));
        cl.setErr(new PrintWriter(printed, true));
        return cl.execute(args);
    }

    @Test
    void zeekJsonFilesAreDetectedAndDecodeAsTheirTsvRows() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        // LogAscii::use_json=T: plain entries, the log named by the file (a rotated name here)
        writeJson(DIR + "/conn.log", in.resolve("conn.04:00:00-05:00:00.log"), ZeekTsvToJson::entry);
        // a dump of a zeek-kafka topic: tagged entries, whatever the file's name
        writeJson(DIR + "/dns.log", in.resolve("zeek-topic.json"), ZeekTsvToJson::tagged);
        Path out = dir.resolve("out");

        assertThat(vigil("replay", "--quiet", "--out", out.toString(), in.toString())).as("%s", printed).isZero();

        JsonNode summary = EcsJson.MAPPER.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.at("/byFormat/zeek").asLong()).isEqualTo(112 + 96);
        assertThat(summary.get("records").asLong()).isEqualTo(112 + 96);
        assertThat(summary.get("deadLetters").asLong()).isZero();
        Map<String, Integer> byDataset = new TreeMap<>();
        for (String line : Files.readAllLines(out.resolve("events.ndjson"))) {
            byDataset.merge(EcsJson.MAPPER.readTree(line).at("/event/dataset").asText(), 1, Integer::sum);
        }
        assertThat(byDataset).containsExactlyInAnyOrderEntriesOf(Map.of("zeek.conn", 112, "zeek.dns", 96));
    }

    private static void writeJson(String dataset, Path to, BiFunction<ZeekTsvToJson, String, JsonNode> shape)
            throws Exception {
        List<String> lines = Files.readAllLines(Datasets.file(dataset), StandardCharsets.UTF_8);
        // one header block at the top of each of these logs
        ZeekTsvToJson writer = new ZeekTsvToJson(lines.stream().takeWhile(l -> l.startsWith("#")).toList());
        List<String> json = new ArrayList<>();
        for (String line : lines) {
            if (!line.startsWith("#")) {
                json.add(EcsJson.toJson(shape.apply(writer, line)));
            }
        }
        Files.write(to, json, StandardCharsets.UTF_8);
    }
}
