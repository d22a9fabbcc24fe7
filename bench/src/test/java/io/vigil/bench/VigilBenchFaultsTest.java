package io.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.EcsJson;
import org.junit.jupiter.api.Test;

/** The results table's fault rows: met only with nothing lost and nothing duplicated. */
class VigilBenchFaultsTest {

    @Test
    void aScenarioWithNothingLostOrDuplicatedIsMetAndAnyOtherMissedOrFailed() throws Exception {
        JsonNode faults = EcsJson.MAPPER.readTree("""
                {"records": 1000000, "taskmanagers": 2, "scenarios": {
                  "taskmanager-kill": {"lost": 0, "duplicated": 0, "alerts": {"expected": 900}, "incidents": {"expected": 600},
                    "webhooks": {"expected": 1800, "redelivered": 3, "dead_lettered": 0}, "recover_ms": 12500},
                  "kafka-restart": {"lost": 2, "duplicated": 0, "alerts": {"expected": 900}, "incidents": {"expected": 600},
                    "webhooks": {"expected": 1800, "redelivered": 0, "dead_lettered": 0}, "recover_ms": 3000},
                  "rescale": {"failed": "java.io.IOException: savepoint | failed"}}}
                """);
        StringBuilder t = new StringBuilder();
        VigilBench.faultRows(t, faults);
        String[] rows = t.toString().split("\n");
        assertThat(rows).hasSize(3);
        assertThat(rows[0]).startsWith("| fault taskmanager-kill, 1,000,000 records on 2 TaskManagers: lost / duplicated | 0 / 0 ")
                .contains("900 alerts", "3 redelivered", "recovered in 12.5 s").endsWith("| 0 / 0 | met |");
        assertThat(rows[1]).contains("| 2 / 0 ").endsWith("| missed |");
        // a '|' of the failure would break the table
        assertThat(rows[2]).contains("| failed |").contains("missed: java.io.IOException: savepoint / failed");
        assertThat(rows[2].chars().filter(c -> c == '|').count()).as("four columns").isEqualTo(5);
    }
}
