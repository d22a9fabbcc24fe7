package io.vigil.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Alert;
import io.vigil.model.KeyEvent;
import io.vigil.model.Origin;
import io.vigil.rules.correlate.CorrelationState;
import io.vigil.rules.correlate.WindowEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class CorrelationStateSerializerTest {

    private static final long T0 = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli();

    private final CorrelationStateSerializer serializer = new CorrelationStateSerializer();

    private static CorrelationState state() {
        CorrelationState st = new CorrelationState();
        st.window.add(new WindowEntry(T0 + 5_000, Origin.kafka("vigil.raw.auth", 3, 1_234_567_890L), "alice"));
        // out of time order (a late hit), another topic, a file origin without partition, no value
        st.window.add(new WindowEntry(T0 + 1_000, Origin.kafka("vigil.raw.windows", 0, 7), null));
        st.window.add(new WindowEntry(T0 + 9_000, Origin.file("logs/auth.log", 42), ""));
        st.window.add(new WindowEntry(T0 + 9_000, Origin.kafka("vigil.raw.auth", 3, 1_234_567_891L), "bob"));
        st.entities.put("source.ip", "203.0.113.9");
        st.entities.put("user.name", "bob");
        st.entities.put("host.name", "web-1");
        st.entities.put("process.name", "sshd"); // not one of the names written as bits
        st.pending = 2;
        return st;
    }

    private static Alert alert() {
        Origin o = Origin.kafka("vigil.raw.auth", 0, 11);
        return new Alert("a1", Instant.ofEpochMilli(T0), "ssh-brute-force", 1, "SSH brute force", "d", "medium", 47,
                List.of("TA0006"), List.of("T1110.001"), List.of("ssh"), "source.ip", "203.0.113.9",
                Map.of("source.ip", "203.0.113.9"), 5, 0, Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0),
                List.of(o), 1, List.of(new KeyEvent(Instant.ofEpochMilli(T0), o, null)));
    }

    private byte[] bytes(TypeSerializer<CorrelationState> s, CorrelationState st) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        s.serialize(st, out);
        return out.getCopyOfBuffer();
    }

    private CorrelationState read(byte[] bytes) throws Exception {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        CorrelationState st = serializer.deserialize(in);
        assertThat(in.available()).as("bytes left unread").isZero();
        return st;
    }

    private static void assertSame(CorrelationState actual, CorrelationState expected) {
        assertThat(actual).usingRecursiveComparison().isEqualTo(expected);
    }

    @Test
    void aStateComesBackAsItWasWritten() throws Exception {
        CorrelationState st = state();
        assertSame(read(bytes(serializer, st)), st);
    }

    @Test
    void anOpenAlertAndItsSuppressionComeBack() throws Exception {
        CorrelationState st = state();
        st.open = alert();
        st.suppressUntil = T0 + 600_000;
        st.suppressed = 17;
        st.lastSuppressed = T0 + 300_000;
        assertSame(read(bytes(serializer, st)), st);
    }

    @Test
    void aClosingWindowAndSequenceSlotsComeBack() throws Exception {
        CorrelationState st = state();
        st.count = 1_234;
        st.windowStart = T0 + 1_000;
        st.lastTime = T0 + 9_000;
        st.sum = 98_765.25;
        st.groupKey = "host-1\u0000alice";
        st.window.get(1).slot = 0;
        st.window.get(2).slot = 1;
        st.window.get(3).slot = 1;
        CorrelationState back = read(bytes(serializer, st));
        assertSame(back, st);
        assertSame(serializer.copy(st), st);
        // and with an open alert before them
        st.open = alert();
        st.suppressUntil = T0 + 600_000;
        assertSame(read(bytes(serializer, st)), st);
    }

    @Test
    void bytesOfTheFirstCompactFormStillRead() throws Exception {
        // written by this serializer before closing windows and slots existed (commit bd1aabf)
        byte[] v1 = java.util.HexFormat.of().parseHex("0002020c6b61666b611e766967696c2e7261772e617574680a66696c651c6c6f"
                + "67732f617574682e6c6f67020004a48bb0990990d2c6b9e6630c616c696365010054bf3e0001183230332e302e3131332e3901"
                + "1a70726f636573732e6e616d650a73736864");
        CorrelationState expected = new CorrelationState();
        expected.window.add(new WindowEntry(T0 + 5_000, Origin.kafka("vigil.raw.auth", 3, 1_234_567_890L), "alice"));
        expected.window.add(new WindowEntry(T0 + 1_000, Origin.file("logs/auth.log", 42), null));
        expected.entities.put("source.ip", "203.0.113.9");
        expected.entities.put("process.name", "sshd");
        expected.pending = 2;
        assertSame(read(v1), expected);
        // a state without the new parts is written exactly as before
        assertThat(bytes(serializer, expected)).isEqualTo(v1);
    }

    @Test
    void unknownPartsFailToReadRatherThanBeingSkipped() {
        byte[] future = {16, 0, 0, 0, 0, 0};
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> serializer.deserialize(new DataInputDeserializer(future)))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("flags 16");
    }

    @Test
    void theRuleVersionOfLiveRulesComesBackAndCostsNothingWhenNotRecorded() throws Exception {
        CorrelationState st = state();
        byte[] without = bytes(serializer, st);
        st.ruleVersion = 7;
        byte[] with = bytes(serializer, st);
        assertThat(with.length).isEqualTo(without.length + 1);
        CorrelationState back = serializer.deserialize(new DataInputDeserializer(with));
        assertThat(back.ruleVersion).isEqualTo(7);
        assertThat(serializer.copy(st).ruleVersion).isEqualTo(7);
        assertThat(serializer.deserialize(new DataInputDeserializer(without)).ruleVersion).isZero();
    }

    @Test
    void anEmptyStateComesBack() throws Exception {
        CorrelationState st = new CorrelationState();
        assertSame(read(bytes(serializer, st)), st);
    }

    @Test
    void repeatedStringsAreSharedAfterReading() throws Exception {
        CorrelationState a = read(bytes(serializer, state()));
        CorrelationState b = read(bytes(serializer, state()));
        assertThat(a.window.get(0).origin.source()).isSameAs(b.window.get(0).origin.source());
        assertThat(a.window.get(0).origin.kind()).isSameAs(Origin.KAFKA);
        assertThat(a.entities.keySet()).contains("source.ip");
    }

    @Test
    void itIsLessThanHalfOfThePojoForm() throws Exception {
        // the point of this form: the POJO serializer's bytes for the same state, measured, not assumed
        TypeSerializer<CorrelationState> pojo =
                TypeInformation.of(CorrelationState.class).createSerializer(new SerializerConfigImpl());
        CorrelationState st = state();
        int compact = bytes(serializer, st).length;
        int before = bytes(pojo, st).length;
        assertThat(compact).isLessThan(before / 2);
    }

    @Test
    void aCopyIsDeepAndEqual() {
        CorrelationState st = state();
        st.open = alert();
        CorrelationState copy = serializer.copy(st);
        assertSame(copy, st);
        copy.window.clear();
        copy.entities.clear();
        assertThat(st.window).hasSize(4);
        assertThat(st.entities).hasSize(4);
    }

    @Test
    void truncatedBytesFailToReadRatherThanGivingAnotherState() throws Exception {
        byte[] all = bytes(serializer, state());
        byte[] cut = java.util.Arrays.copyOf(all, all.length - 3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> serializer.deserialize(new DataInputDeserializer(cut)))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void itsSnapshotRestoresAnEqualSerializerAndThePojoFormMigrates() throws Exception {
        TypeSerializerSnapshot<CorrelationState> snapshot = serializer.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<CorrelationState> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(read.restoreSerializer()).isEqualTo(serializer);
        assertThat(serializer.snapshotConfiguration().resolveSchemaCompatibility(read).isCompatibleAsIs()).isTrue();

        TypeSerializerSnapshot<CorrelationState> pojo = TypeInformation.of(CorrelationState.class)
                .createSerializer(new SerializerConfigImpl()).snapshotConfiguration();
        TypeSerializerSchemaCompatibility<CorrelationState> fromPojo =
                serializer.snapshotConfiguration().resolveSchemaCompatibility(pojo);
        assertThat(fromPojo.isCompatibleAfterMigration()).isTrue();
    }

    @Test
    void everyFieldOfTheStateIsOneThisFormWrites() {
        // a field added to the state without a new version of this form would be lost in checkpoints
        assertThat(java.util.Arrays.stream(CorrelationState.class.getFields()).map(java.lang.reflect.Field::getName))
                .containsExactlyInAnyOrder("window", "entities", "open", "suppressUntil", "suppressed",
                        "lastSuppressed", "pending", "count", "windowStart", "lastTime", "sum", "groupKey", "ruleVersion");
        assertThat(java.util.Arrays.stream(WindowEntry.class.getFields()).map(java.lang.reflect.Field::getName))
                .containsExactlyInAnyOrder("time", "origin", "value", "slot");
        assertThat(java.util.Arrays.stream(Origin.class.getRecordComponents()).map(c -> c.getName()))
                .containsExactly("kind", "source", "partition", "offset");
    }

    @Test
    void distinctValuesThatDifferOnlyInALoneSurrogateStayDistinct() throws Exception {
        CorrelationState st = new CorrelationState();
        st.window.add(new WindowEntry(T0, Origin.kafka("raw", 0, 1), "a\uD800"));
        st.window.add(new WindowEntry(T0 + 1, Origin.kafka("raw", 0, 2), "a\uD801"));
        st.window.add(new WindowEntry(T0 + 2, Origin.kafka("raw", 0, 3), "\uD83D\uDE00"));
        st.entities.put("user.name", "\uDFFFend");
        CorrelationState back = read(bytes(serializer, st));
        assertSame(back, st);
        assertThat(back.window.get(0).value).isNotEqualTo(back.window.get(1).value);
    }
}
