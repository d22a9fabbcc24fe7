package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.common.typeutils.CompositeType;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every model type Flink moves between operators is serialized by Flink itself, never by Kryo. */
class FlinkTypesTest {

    @ParameterizedTest
    @ValueSource(classes = {SecurityEvent.class, DeadLetter.class, RawRecord.class, Origin.class, Alert.class,
            KeyEvent.class, Incident.class, TimelineEntry.class, MassActivity.class, RuleProvenance.class})
    void isAPojoWithoutGenericFields(Class<?> type) {
        TypeInformation<?> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        assertThat(genericFields(info, type.getSimpleName())).isEmpty();
    }

    @Test
    void eventSurvivesASerializerRoundTripWithGenericTypesDisabled() throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        @SuppressWarnings("unchecked")
        TypeSerializer<SecurityEvent> serializer =
                ((TypeInformation<SecurityEvent>) TypeInformation.of(SecurityEvent.class)).createSerializer(config);
        SecurityEvent event = SecurityEvent.builder()
                .timestamp(Instant.parse("2024-12-10T06:55:46Z"))
                .eventAction("ssh_login").eventOutcome("failure").eventCategory("authentication")
                .sourceIp("203.0.113.9").sourcePort(2222).userName("root")
                .field("log.syslog.appname", "sshd")
                .origin(Origin.file("auth.log", 7))
                .build();
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(event, out);
        SecurityEvent back = serializer.deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        assertThat(back).isEqualTo(event);
        assertThat(back.relatedIp()).containsExactly("203.0.113.9");
        assertThat(back.fields()).containsEntry("log.syslog.appname", "sshd");
    }

    private static List<String> genericFields(TypeInformation<?> info, String path) {
        List<String> found = new ArrayList<>();
        if (info instanceof GenericTypeInfo) {
            found.add(path + ": " + info);
        } else if (info instanceof CompositeType<?> composite) {
            for (int i = 0; i < composite.getArity(); i++) {
                String name = composite instanceof PojoTypeInfo<?> p ? p.getPojoFieldAt(i).getField().getName() : "#" + i;
                found.addAll(genericFields(composite.getTypeAt(i), path + "." + name));
            }
        } else if (info.getGenericParameters() != null) {
            info.getGenericParameters().forEach((k, v) -> found.addAll(genericFields(v, path + "<" + k + ">")));
        }
        return found;
    }

}
