package io.vigil.connectors.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** What the delivery operator keeps in state and emits is serialized by Flink itself, never by Kryo. */
class WebhookFlinkTypesTest {

    @ParameterizedTest
    @ValueSource(classes = {WebhookRequest.class, DeliveryAttempt.class, DeadDelivery.class, PendingDelivery.class})
    void isAPojoSerializableWithGenericTypesDisabled(Class<?> type) {
        TypeInformation<?> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        // throws when any field would fall back to Kryo
        assertThat(info.createSerializer(config)).isNotNull();
    }

    @Test
    void aPendingDeliverySurvivesASerializerRoundTrip() throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<PendingDelivery> serializer = TypeInformation.of(PendingDelivery.class).createSerializer(config);
        PendingDelivery p = new PendingDelivery(new WebhookRequest("soar", "a1", "alert", "a1", "application/json",
                "{\"id\":\"a1\"}", 1_700_000_000_000L, WebhookRequest.Priority.URGENT), 1_700_000_001_000L);
        p.attempts = 3;
        p.lastStatus = 503;
        p.lastError = "HTTP 503";
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(p, out);
        PendingDelivery back = serializer.deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        assertThat(back).usingRecursiveComparison().isEqualTo(p);
    }
}
