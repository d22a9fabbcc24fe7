package io.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.EcsJson;
import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The 261 real rows of the OTRF LSASS_campaign_01 Zeek logs, each written as Zeek's JSON writer
 * would write it (tagged, with {@code _path}, plain with the path from the stream, and with each
 * {@code JSON::TimestampFormat}), decode to the event of the TSV row itself: one mapping, two forms.
 */
class ZeekJsonDatasetTest {

    private static final String DIR = "otrf-security-datasets/zeek/LSASS_campaign_01";

    /** One data row with the header in force and the event its TSV form decodes to. */
    record Row(String file, int line, ZeekTsvToJson json, String tsv, SecurityEvent event) {}

    private static final List<Row> ROWS = new ArrayList<>();

    @BeforeAll
    static void decodeTsv() throws IOException {
        ZeekDecoder decoder = new ZeekDecoder(DecoderOptions.defaults());
        List<Path> files;
        try (Stream<Path> s = Files.list(Datasets.root().resolve(DIR))) {
            files = s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> header = new ArrayList<>();
            boolean inData = false;
            ZeekTsvToJson json = null;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("#")) {
                    if (inData) {
                        header.clear();
                        inData = false;
                    }
                    header.add(line);
                    continue;
                }
                if (!inData) {
                    json = new ZeekTsvToJson(header);
                    inData = true;
                }
                DecodeResult r = decoder.decode(new RawRecord(line.getBytes(StandardCharsets.UTF_8),
                        origin(file, i), Formats.ZEEK, String.join("\n", header), null, -1));
                assertThat(r.ok()).as("%s:%d %s", file, i + 1, r).isTrue();
                ROWS.add(new Row(file.getFileName().toString(), i + 1, json, line, r.events().get(0)));
            }
        }
        assertThat(ROWS).hasSize(261);
    }

    private static Origin origin(Path file, int i) {
        return Origin.file(DIR + "/" + file.getFileName(), i + 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tagged", "_path", "stream path", "iso ts", "string ts"})
    void everyRowInJsonDecodesToTheEventOfItsTsvRow(String shape) {
        ZeekDecoder decoder = new ZeekDecoder(DecoderOptions.defaults());
        for (Row row : ROWS) {
            ObjectNode entry = switch (shape) {
                case "tagged" -> row.json().tagged(row.tsv());
                case "_path" -> row.json().withPath(row.tsv());
                case "iso ts" -> withTs(row, e -> e.put("ts", row.event().timestamp().toString()));
                case "string ts" -> withTs(row, e -> e.put("ts", row.tsv().substring(0, row.tsv().indexOf('\t'))));
                default -> row.json().entry(row.tsv());
            };
            String header = shape.equals("tagged") || shape.equals("_path") ? null : "#path\t" + row.json().path();
            SecurityEvent event = decodeOne(decoder, row, EcsJson.toJson(entry), header);
            assertThat(event.eventOriginal()).isEqualTo(EcsJson.toJson(entry));
            assertThat(withoutOriginal(event)).as("%s:%d", row.file(), row.line()).isEqualTo(withoutOriginal(row.event()));
        }
    }

    @Test
    void millisecondTimestampsKeepMilliseconds() {
        ZeekDecoder decoder = new ZeekDecoder(DecoderOptions.defaults());
        for (Row row : ROWS) {
            Instant exact = row.event().timestamp();
            ObjectNode entry = row.json().tagged(row.tsv());
            ((ObjectNode) entry.get(row.json().path())).put("ts", exact.toEpochMilli());
            SecurityEvent event = decodeOne(decoder, row, EcsJson.toJson(entry), null);
            assertThat(event.timestamp()).isEqualTo(exact.truncatedTo(ChronoUnit.MILLIS));
            assertThat(withoutOriginal(event).toBuilder().timestamp(exact).build())
                    .isEqualTo(withoutOriginal(row.event()));
        }
    }

    private static ObjectNode withTs(Row row, Function<ObjectNode, ObjectNode> ts) {
        return ts.apply(row.json().entry(row.tsv()));
    }

    private static SecurityEvent decodeOne(ZeekDecoder decoder, Row row, String json, String header) {
        Origin origin = row.event().origin();
        DecodeResult r = decoder.decode(new RawRecord(json.getBytes(StandardCharsets.UTF_8), origin, Formats.ZEEK,
                header, null, -1));
        assertThat(r.ok()).as("%s:%d %s\n%s", row.file(), row.line(), r, json).isTrue();
        assertThat(r.events()).hasSize(1);
        return r.events().get(0);
    }

    private static SecurityEvent withoutOriginal(SecurityEvent e) {
        return e.toBuilder().eventOriginal(null).build();
    }
}
