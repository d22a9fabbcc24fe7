package io.vigil.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Alert;
import io.vigil.model.KeyEvent;
import io.vigil.model.Origin;
import io.vigil.model.RuleProvenance;
import io.vigil.rules.correlate.CorrelationState;
import io.vigil.rules.correlate.WindowEntry;
import java.lang.reflect.Field;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The open alert of a suppression keeps its rule's provenance through a checkpoint, and an alert
 * checkpointed before alerts had provenance is restored as Vigil's own.
 */
class CorrelationStateProvenanceTest {

    private static final long T0 = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli();
    private static final RuleProvenance SIGMA = new RuleProvenance("sigma",
            List.of("Florian Roth (Nextron Systems)", "oscd.community"), "DRL-1.1",
            List.of("https://attack.mitre.org/techniques/T1110/"), "experimental");

    private static CorrelationState suppressing(RuleProvenance provenance) {
        Origin o = Origin.kafka("vigil.raw.windows", 0, 11);
        CorrelationState st = new CorrelationState();
        st.window.add(new WindowEntry(T0, o, "alice"));
        st.entities.put("user.name", "alice");
        st.open = new Alert("a1", Instant.ofEpochMilli(T0), "0e95725d-7320-415d-80f7-004da920fc11", 1,
                "Failed logons from one source", "d", "medium", 47, List.of("TA0006"), List.of("T1110"),
                List.of("attack.t1110"), "source.ip", "203.0.113.9", Map.of("source.ip", "203.0.113.9"), 10, 0,
                Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0), List.of(o), 10,
                List.of(new KeyEvent(Instant.ofEpochMilli(T0), o, null)), null, provenance);
        st.suppressUntil = T0 + 600_000;
        st.suppressed = 4;
        st.lastSuppressed = T0 + 60_000;
        return st;
    }

    private static byte[] write(TypeSerializer<CorrelationState> s, CorrelationState st) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        s.serialize(st, out);
        return out.getCopyOfBuffer();
    }

    private static CorrelationState read(TypeSerializer<CorrelationState> s, byte[] bytes) throws Exception {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        CorrelationState st = s.deserialize(in);
        assertThat(in.available()).as("bytes left unread").isZero();
        return st;
    }

    @Test
    void theOpenAlertsProvenanceComesBack() throws Exception {
        CorrelationStateSerializer serializer = new CorrelationStateSerializer();
        CorrelationState st = suppressing(SIGMA);
        CorrelationState back = read(serializer, write(serializer, st));
        assertThat(back.open.provenance()).isEqualTo(SIGMA);
        assertThat(back).usingRecursiveComparison().isEqualTo(st);
        assertThat(serializer.copy(st).open.provenance()).isEqualTo(SIGMA);
    }

    @Test
    void anAlertCheckpointedWithoutProvenanceIsRestoredAsVigilsOwn() throws Exception {
        // the alert serializer as it was before Alert had provenance: every field but that one
        CorrelationStateSerializer before = new CorrelationStateSerializer(alertSerializerWithout("provenance"));
        CorrelationState st = suppressing(null);
        byte[] checkpoint = write(before, st);
        DataOutputSerializer snapshotBytes = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(snapshotBytes, before.snapshotConfiguration());
        TypeSerializerSnapshot<CorrelationState> old = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(snapshotBytes.getCopyOfBuffer()), getClass().getClassLoader());

        CorrelationStateSerializer now = new CorrelationStateSerializer();
        TypeSerializerSchemaCompatibility<CorrelationState> compatibility =
                now.snapshotConfiguration().resolveSchemaCompatibility(old);
        assertThat(compatibility.isCompatibleAfterMigration()).isTrue();

        // Flink's migration: read with the restored old serializer, write with the current one
        CorrelationState migrated = read(now, write(now, read(old.restoreSerializer(), checkpoint)));
        assertThat(migrated.open.provenance()).isEqualTo(RuleProvenance.UNKNOWN_VIGIL);
        assertThat(migrated).usingRecursiveComparison().isEqualTo(st);
    }

    @SuppressWarnings("unchecked")
    private static TypeSerializer<Alert> alertSerializerWithout(String name) {
        SerializerConfigImpl config = new SerializerConfigImpl();
        PojoTypeInfo<Alert> info = (PojoTypeInfo<Alert>) TypeInformation.of(Alert.class);
        List<Field> fields = new ArrayList<>();
        List<TypeSerializer<?>> serializers = new ArrayList<>();
        for (int i = 0; i < info.getArity(); i++) {
            if (!info.getPojoFieldAt(i).getField().getName().equals(name)) {
                fields.add(info.getPojoFieldAt(i).getField());
                serializers.add(info.getPojoFieldAt(i).getTypeInformation().createSerializer(config));
            }
        }
        assertThat(fields).hasSize(info.getArity() - 1);
        return new PojoSerializer<>(Alert.class, serializers.toArray(new TypeSerializer<?>[0]),
                fields.toArray(new Field[0]), config);
    }
}
