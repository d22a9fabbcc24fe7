package io.vigil.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.verify.RuleSet;
import io.vigil.rules.RuleHit;
import io.vigil.rules.Signal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** Every hit makes the round trip through the edge between evaluation and correlation unchanged. */
class RuleHitSerializerTest {

    private static final Instant T = Instant.parse("2024-06-01T12:34:56.123456789Z");

    private static RuleHit roundTrip(TypeSerializer<RuleHit> serializer, RuleHit hit) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(hit, out);
        serializer.serialize(hit, out); // two in a row: each reads exactly what it wrote
        DataInputDeserializer in = new DataInputDeserializer(out.getSharedBuffer(), 0, out.length());
        RuleHit first = serializer.deserialize(in);
        RuleHit second = serializer.deserialize(in);
        assertThat(in.available()).isZero();
        assertThat(second).isEqualTo(first);
        return first;
    }

    @Test
    void everyShapeOfHitComesBackEqual() throws Exception {
        Map<String, String> entities = new LinkedHashMap<>();
        entities.put("user.name", "root");
        entities.put("source.ip", "10.0.0.7");
        entities.put("not.an.entity.field", "kept in full");
        List<RuleHit> hits = List.of(
                new RuleHit("ssh-brute-force", "10.0.0.7", T, Origin.kafka("auth", 3, 42), 0, null, null, entities),
                new RuleHit("brute-force-then-success", "10.0.0.7", T, Origin.file("/var/log/auth.log", 7), 2,
                        Signal.FIRST, null, Map.of("user.name", "alice")),
                new RuleHit("r", "k", T, Origin.webhook("hooks", "id-1", 2), Long.MAX_VALUE, Signal.THEN, "v", Map.of()),
                new RuleHit("r", "k", T, new Origin("other-kind", "somewhere", null, -1), 1, "third", "", null),
                new RuleHit("r", "", Instant.EPOCH, null, 0, null, "ü ∑ 😀", Map.of("host.name", "")));
        for (RuleHit hit : hits) {
            RuleHit back = roundTrip(RuleHitSerializer.INSTANCE, hit);
            assertThat(back).isEqualTo(hit);
            assertThat(back.stateKey()).isEqualTo(hit.stateKey());
            assertThat(back.entities()).containsExactlyEntriesOf(hit.entities()); // same order too
        }
    }

    @Test
    void knownNamesComeBackAsTheSharedConstants() throws Exception {
        RuleHit hit = new RuleHit("r", "k", T, Origin.kafka(new String("auth"), 0, 1), 0, new String("first"), null,
                Map.of(new String("user.name"), "alice"));
        RuleHit back = roundTrip(RuleHitSerializer.INSTANCE, hit);
        assertThat(back.origin().kind()).isSameAs(Origin.KAFKA);
        assertThat(back.step()).isSameAs(Signal.FIRST);
        assertThat(back.entities().keySet().iterator().next()).isSameAs("user.name");
    }

    @Test
    void theStreamTypeAndItsSnapshotGiveThisSerializer() {
        TypeSerializer<RuleHit> s = RuleHitTypeInfo.INSTANCE.createSerializer(new SerializerConfigImpl());
        assertThat(s).isSameAs(RuleHitSerializer.INSTANCE);
        assertThat(s.snapshotConfiguration().restoreSerializer()).isEqualTo(RuleHitSerializer.INSTANCE);
        assertThat(s.duplicate()).isSameAs(s);
    }

    @Test
    void theDetectionTopologySendsHitsWithIt() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        var events = env.fromData(SecurityEvent.class, SecurityEvent.builder().timestamp(T).eventAction("a")
                .origin(Origin.file("x", 1)).build());
        var alerts = Detection.build(events, DetectionSettings.of(RuleSet.packaged(),
                Detection.DEFAULT_OUT_OF_ORDERNESS, Detection.DEFAULT_STATE_TTL)).alerts();
        List<TypeInformation<?>> hitTypes = new java.util.ArrayList<>();
        java.util.ArrayDeque<Transformation<?>> todo = new java.util.ArrayDeque<>(List.of(alerts.getTransformation()));
        while (!todo.isEmpty()) {
            Transformation<?> t = todo.pop();
            if (t.getOutputType().getTypeClass() == RuleHit.class) {
                hitTypes.add(t.getOutputType());
            }
            todo.addAll(t.getInputs());
        }
        assertThat(hitTypes).isNotEmpty().allSatisfy(t -> assertThat(t).isEqualTo(RuleHitTypeInfo.INSTANCE));
    }

    @Test
    void loneSurrogatesFromUntrustedInputCrossTheEdgeUnchanged() throws Exception {
        // a JSON "\ud800" escape decodes to a lone surrogate; UTF-8 would turn it into '?', merging
        // keys and moving a key to another key group between sender and receiver
        String user = "eve\uD800";
        RuleHit hit = new RuleHit("password-spray", "10.0.0.1\uDC00x", T, Origin.kafka("raw\uD801", 0, 1), 0, null,
                user, Map.of("user.name", user, "x\uDBFF", "\uD83D\uDE00 paired"));
        RuleHit back = roundTrip(RuleHitSerializer.INSTANCE, hit);
        assertThat(back).isEqualTo(hit);
        assertThat(back.stateKey()).isEqualTo(hit.stateKey()).isNotEqualTo(hit.stateKey().replace('\uDC00', '?'));
    }

    @Test
    void anOriginComesBackWithTheSharedKindAndSourceSoCorrelationKeepsIt() throws Exception {
        RuleHit hit = new RuleHit("ssh-brute-force", "10.0.0.9", T, Origin.kafka(new String("vigil.raw.auth"), 1, 7),
                0, null, null, Map.of("source.ip", "10.0.0.9"));
        RuleHit back = roundTrip(RuleHitSerializer.INSTANCE, hit);
        assertThat(back.origin().source()).isSameAs(io.vigil.rules.correlate.SharedStrings.source("vigil.raw.auth"));
        assertThat(io.vigil.rules.correlate.SharedStrings.origin(back.origin())).isSameAs(back.origin());
    }
}
