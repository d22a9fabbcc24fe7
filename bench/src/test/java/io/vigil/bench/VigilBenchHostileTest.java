package io.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.EcsJson;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hostile section's figures in the results table of {@code BENCHMARKS.md}, and its heap figure. */
class VigilBenchHostileTest {

    private static JsonNode hostile(boolean identical, String status, long restarts) throws Exception {
        return EcsJson.MAPPER.readTree("""
                {"replay": {"exit_code": 0, "records_accounted_for": true, "rule_errors": 0,
                            "valid_alerts_identical": true, "records_per_s": 5200,
                            "peak_heap_used_bytes": 734003200, "max_heap_bytes": 2147483648},
                 "stream": {"job_status": "%s", "restarts": %d, "records_accounted_for": true, "rule_errors": 0,
                            "valid_alerts_identical": %b, "records_per_s": 7300,
                            "peak_heap_used_bytes": 1073741824}}
                """.formatted(status, restarts, identical));
    }

    private static String table(JsonNode hostile) {
        Map<String, JsonNode> details = new LinkedHashMap<>();
        details.put("hostile", hostile);
        return VigilBench.table(VigilBench.summarize(details, false));
    }

    @Test
    void aRunThatKeptEverythingStandsMet() throws Exception {
        String t = table(hostile(true, "RUNNING", 0));
        assertThat(t).contains("| hostile input through replay (and one huge line), records/s | 5,200 | exit 0, every "
                + "record accounted for, valid alerts unchanged | met |");
        assertThat(t).contains("| hostile input Kafka → Elasticsearch, records/s | 7,300 | 0 failures, 0 restarts, "
                + "every record accounted for, valid alerts unchanged | met |");
        assertThat(t).contains("| hostile input, peak heap used, MB (replay / stream) | 700 / 1,024 | bounded | "
                + "max heap 2,048 MB |");
    }

    @Test
    void aFailedJobOrDifferentAlertsAreNamed() throws Exception {
        assertThat(table(hostile(false, "FAILED", 2))).contains(
                "| missed: job FAILED, 2 restarts, valid alerts differ |");
    }

    @Test
    void withoutTheSectionTheRowsSayNotAvailable() {
        assertThat(VigilBench.table(VigilBench.summarize(Map.of(), false)))
                .contains("| hostile input Kafka → Elasticsearch, records/s | n/a | 0 failures, 0 restarts, every "
                        + "record accounted for, valid alerts unchanged | n/a |");
    }

    @Test
    void whatEachKindCostsIsATableBetweenItsMarkers() throws Exception {
        JsonNode hostile = EcsJson.MAPPER.readTree("""
                {"per_kind": {
                   "valid": {"records": 90000, "bytes_per_record": 359, "ns_per_record": {"median": 4100},
                             "cpu_ns_per_record": {"median": 4000}, "ns_vs_valid": 1.0,
                             "allocated_bytes_per_record": {"median": 5074}, "allocated_vs_valid": 1.0,
                             "events_per_record": 1.0, "dead_letters_per_record": 0.0, "dead_letters_by_kind": {}},
                   "forged-time": {"records": 1200, "bytes_per_record": 240, "ns_per_record": {"median": 6150},
                             "cpu_ns_per_record": {"median": 6000}, "ns_vs_valid": 1.5,
                             "allocated_bytes_per_record": {"median": 9635}, "allocated_vs_valid": 1.9,
                             "events_per_record": 0.0, "dead_letters_per_record": 1.0,
                             "dead_letters_by_kind": {"event-time": 1200}},
                   "passes": 5}}
                """);
        String md = "before\n" + VigilBench.HOSTILE_START + "\nold\n" + VigilBench.HOSTILE_END + "\nafter\n";
        assertThat(VigilBench.replaceBetween(md, VigilBench.HOSTILE_START, VigilBench.HOSTILE_END,
                VigilBench.hostileKindTable(hostile))).isEqualTo("before\n" + VigilBench.HOSTILE_START + "\n"
                + "| kind | records | bytes per record | ns per record (CPU) | × valid | bytes allocated per record "
                + "| × valid | events per record | dead letters per record |\n"
                + "|---|---|---|---|---|---|---|---|---|\n"
                + "| valid | 90,000 | 359 | 4,100 (4,000) | 1.00 | 5,074 | 1.00 | 1.00 | 0.00 |\n"
                + "| forged-time | 1,200 | 240 | 6,150 (6,000) | 1.50 | 9,635 | 1.90 | 0.00 | 1.00 (event-time) |\n"
                + VigilBench.HOSTILE_END + "\nafter\n");
    }

    @Test
    void theHeapPeakCountsWhatWasAllocatedSinceTheReset() {
        HeapPeak.reset();
        byte[] held = new byte[64 << 20];
        held[held.length - 1] = 1;
        assertThat(HeapPeak.usedBytes()).isGreaterThanOrEqualTo(64L << 20);
        assertThat(HeapPeak.json().get("max_heap_bytes").asLong()).isEqualTo(Runtime.getRuntime().maxMemory());
        assertThat(held[held.length - 1]).isEqualTo((byte) 1);
    }
}
