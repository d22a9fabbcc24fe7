package io.vigil.jobs.incident;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Alert;
import io.vigil.model.Incident;
import io.vigil.model.TimelineEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Flink side of incident assembly: time order by watermark, and state forgotten at window end. */
class AssembleIncidentsFunctionTest {

    private static final Instant T0 = Instant.parse("2024-06-01T10:00:00Z");

    private KeyedOneInputStreamOperatorTestHarness<String, Alert, Incident> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AssembleIncidentsFunction(Duration.ofHours(1))),
                a -> AssembleIncidentsFunction.KEY, Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void alert(String id, Instant at, String ip) throws Exception {
        Alert a = IncidentAssemblerTest.alert(id, "ssh-brute-force", at, "source.ip", "medium", List.of("TA0006"),
                "source.ip", ip);
        harness.processElement(new StreamRecord<>(a, at.toEpochMilli()));
    }

    private List<Incident> incidents() {
        return harness.extractOutputValues();
    }

    @Test
    void alertsWaitForTheWatermarkAndAreAssembledInTimeOrder() throws Exception {
        // arrive out of order: the later one first
        alert("a2", T0.plusSeconds(60), "203.0.113.5");
        alert("a1", T0, "203.0.113.5");
        assertThat(incidents()).isEmpty();
        harness.processWatermark(T0.plusSeconds(60).toEpochMilli());
        List<Incident> out = incidents();
        assertThat(out).extracting(Incident::alertCount).containsExactly(1L, 2L);
        // the id comes from the earlier alert, as in a replay that sees them in order
        assertThat(out.get(0).id()).isEqualTo(io.vigil.model.Ids.of("incident", "a1"));
        List<TimelineEntry> timeline = harness.getSideOutput(AssembleIncidentsFunction.TIMELINE).stream()
                .map(StreamRecord::getValue).toList();
        assertThat(timeline).filteredOn(e -> e.kind().equals(TimelineEntry.ALERT)).extracting(TimelineEntry::refId)
                .containsExactly("a1", "a2");
    }

    @Test
    void anIncidentIsForgottenAtTheEndOfItsWindowLeavingNoStateOrTimers() throws Exception {
        alert("b1", T0, "198.51.100.1");
        harness.processWatermark(T0.toEpochMilli());
        assertThat(harness.numKeyedStateEntries()).isPositive();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1); // the window end
        harness.processWatermark(T0.plus(Duration.ofHours(1)).toEpochMilli() + 1);
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
        // the same address later starts a new incident
        alert("b2", T0.plus(Duration.ofHours(2)), "198.51.100.1");
        harness.processWatermark(T0.plus(Duration.ofHours(2)).toEpochMilli());
        assertThat(incidents()).extracting(Incident::id).doesNotHaveDuplicates().hasSize(2);
    }
}
