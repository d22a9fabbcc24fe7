package io.vigil.jobs.context.intel;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.context.intel.Indicator;
import io.vigil.context.intel.IntelAlert;
import io.vigil.context.intel.IntelFields;
import io.vigil.context.intel.IntelPart;
import io.vigil.model.Alert;
import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The intel alerts under Flink's operator test harness: time moves only by watermarks. */
class IntelAlertFunctionTest {

    private static final Instant T0 = Instant.parse("2015-12-10T10:00:00Z");
    private static final Indicator SCANNER = new Indicator(Indicator.Type.IPV4_ADDR, "183.62.140.253", 85, null, null,
            "acme", "ACME CERT", "indicator--a", "SSH scanner");

    private KeyedOneInputStreamOperatorTestHarness<String, SecurityEvent, Alert> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new IntelAlertFunction(Duration.ofMinutes(10)), IntelAlert::groupKey, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static SecurityEvent match(String ip, long second, long line) {
        SecurityEvent.Builder b = SecurityEvent.builder().timestamp(T0.plusSeconds(second))
                .origin(Origin.file("auth.log", line)).sourceIp(ip).hostName("LabSZ");
        // each address its own indicator: alerts are keyed by the indicator and the host
        Indicator ind = new Indicator(SCANNER.type(), ip, SCANNER.confidence(), null, null, SCANNER.feed(),
                SCANNER.provider(), SCANNER.id(), SCANNER.description());
        IntelFields.of(ind, "source.ip", ip, IntelPart.MATCH_TYPE).forEach(b::field);
        return b.build();
    }

    private void push(SecurityEvent e) throws Exception {
        harness.processElement(new StreamRecord<>(e, e.timestamp().toEpochMilli()));
    }

    private void watermark(long second) throws Exception {
        harness.processWatermark(new Watermark(T0.plusSeconds(second).toEpochMilli()));
    }

    private List<Alert> alerts() {
        return harness.extractOutputValues();
    }

    @Test
    void oneAlertPerKeyPerSuppressionThenTheSameAlertWithWhatItSuppressed() throws Exception {
        push(match("183.62.140.253", 3, 3));
        push(match("183.62.140.253", 1, 1));
        push(match("183.62.140.253", 2, 2));
        assertThat(alerts()).as("nothing before the watermark").isEmpty();

        watermark(3);
        assertThat(alerts()).hasSize(1);
        Alert first = alerts().get(0);
        assertThat(first.ruleId()).isEqualTo("threat-intel-match");
        assertThat(first.groupKey()).isEqualTo("183.62.140.253 @ LabSZ");
        assertThat(first.severity()).as("confidence 85: High").isEqualTo("high");
        assertThat(first.firstEventTime()).as("the earliest match, whatever the arrival order").isEqualTo(T0.plusSeconds(1));
        assertThat(first.origins()).extracting(Origin::offset).containsExactly(1L);
        assertThat(first.context()).containsEntry(IntelFields.NAME, "183.62.140.253")
                .containsEntry(IntelFields.PROVIDER, "ACME CERT").doesNotContainKey(IntelAlert.RETRO);

        push(match("183.62.140.253", 300, 4));
        watermark(600);
        assertThat(alerts()).as("still suppressed").hasSize(1);
        watermark(601);
        assertThat(alerts()).hasSize(2);
        Alert again = alerts().get(1);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.suppressedCount()).isEqualTo(3);
        assertThat(again.lastEventTime()).isEqualTo(T0.plusSeconds(300));
        assertThat(harness.numKeyedStateEntries()).as("state cleared when the period ends").isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        push(match("183.62.140.253", 700, 5));
        watermark(700);
        assertThat(alerts()).as("a new period, a new alert").hasSize(3);
        assertThat(alerts().get(2).id()).isNotEqualTo(first.id());
    }

    @Test
    void aPeriodWithoutFurtherMatchesEndsWithoutASecondAlertAndClearsItsState() throws Exception {
        push(match("198.51.100.7", 1, 1));
        push(match("203.0.113.9", 1, 2));
        watermark(1);
        assertThat(alerts()).extracting(Alert::groupKey)
                .containsExactlyInAnyOrder("198.51.100.7 @ LabSZ", "203.0.113.9 @ LabSZ");
        assertThat(harness.numKeyedStateEntries()).isPositive();
        watermark(601);
        assertThat(alerts()).hasSize(2);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /**
     * Every type inside the state, not only the top one, has a Flink serializer: with generic types
     * disabled, a Kryo fallback anywhere (an Alert's map, an origin, a list) fails to build or to
     * round-trip.
     */
    @Test
    void itsStateIsSerializedByFlinkItselfNotKryo() throws Exception {
        assertThat(TypeInformation.of(IntelMatchState.class)).isInstanceOf(PojoTypeInfo.class);
        push(match("183.62.140.253", 1, 1));
        watermark(1);
        IntelMatchState state = new IntelMatchState();
        state.open = alerts().get(0);
        state.until = 42;
        state.suppressed = 3;
        IntelMatchState back = roundTrip(TypeInformation.of(IntelMatchState.class), state);
        assertThat(back.open).isEqualTo(state.open);
        assertThat(back.suppressed).isEqualTo(3);
        List<SecurityEvent> events = List.of(match("198.51.100.7", 2, 2));
        assertThat(roundTrip(TypeInformation.of(new TypeHint<List<SecurityEvent>>() {}), events)).isEqualTo(events);
    }

    private static <T> T roundTrip(TypeInformation<T> info, T value) throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<T> serializer = info.createSerializer(config);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
    }

    @Test
    void aMatchBehindTheWatermarkIsAppliedAtOnce() throws Exception {
        watermark(100);
        push(match("198.51.100.7", 50, 1));
        assertThat(alerts()).hasSize(1);
        assertThat(alerts().get(0).firstEventTime()).isEqualTo(T0.plusSeconds(50));
        push(match("198.51.100.7", 60, 2));
        assertThat(alerts()).as("suppressed").hasSize(1);
        watermark(650);
        assertThat(alerts()).hasSize(2);
        assertThat(alerts().get(1).suppressedCount()).isEqualTo(1);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
