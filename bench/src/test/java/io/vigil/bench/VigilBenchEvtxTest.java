package io.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.EcsJson;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The EVTX figures of the decode section in the results table of {@code BENCHMARKS.md}. */
class VigilBenchEvtxTest {

    @Test
    void readerAndDecoderFiguresAreRowsWithTheirBytesPerSecond() throws Exception {
        JsonNode decode = EcsJson.MAPPER.readTree("""
                {"syslog": {"median": 1084721, "bytes_per_s": 119000000},
                 "evtx-read": {"median": 151234, "min": 150000, "max": 152000, "bytes_per_s": 71234567},
                 "evtx": {"median": 60321, "min": 60000, "max": 61000, "bytes_per_s": 28400000}}
                """);
        Map<String, JsonNode> details = new LinkedHashMap<>();
        details.put("decode", decode);
        String t = VigilBench.table(VigilBench.summarize(details, false));

        assertThat(t).contains("| EVTX read only (file → evtx_dump JSON, 1 thread), records/s | 151,234 | reference: "
                + "Rust evtx, -t 1 -o jsonl, ~160–190k records/s, 75–90 MB/s | 71.2 MB/s |");
        assertThat(t).contains("| EVTX read + decode (file → events, 1 thread), records/s | 60,321 |  | 28.4 MB/s |");
        assertThat(t).contains("| decode only (syslog, 1 thread), records/s | 1,084,721 |");
    }

    @Test
    void withoutEvtxFiguresTheRowsSayNotAvailable() {
        String t = VigilBench.table(VigilBench.summarize(Map.of(), false));
        assertThat(t).contains("| EVTX read + decode (file → events, 1 thread), records/s | n/a |  | n/a |");
    }
}
