package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class RuleProvenanceTest {

    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private static Alert alert(RuleProvenance provenance) {
        return new Alert("a1", T0, "r", 1, "R", "d", "high", 73, List.of(), List.of(), List.of(), "host.name", "web-1",
                null, 1, 0, T0, T0, List.of(), 1, List.of(), null, provenance);
    }

    @Test
    void severalSigmaAuthorsAreSeparatedByCommas() {
        assertThat(RuleProvenance.splitAuthors("Florian Roth (Nextron Systems), oscd.community,  ,Tim Shelton "))
                .containsExactly("Florian Roth (Nextron Systems)", "oscd.community", "Tim Shelton");
        assertThat(RuleProvenance.splitAuthors(null)).isEmpty();
    }

    @Test
    void anAttributionNamesRulesetAuthorsAndLicenceOfRulesFromElsewhereOnly() {
        assertThat(new RuleProvenance("sigma", List.of("A", "B"), "DRL-1.1", List.of(), "test").attribution())
                .isEqualTo("sigma rule by A, B, DRL-1.1");
        assertThat(new RuleProvenance("sigma", List.of(), null, List.of(), null).attribution()).isEqualTo("sigma rule");
        assertThat(new RuleProvenance("vigil", List.of("Vigil"), null, List.of(), null).attribution()).isNull();
    }

    @Test
    void anAlertWithoutProvenanceIsReadAsVigilsOwn() {
        assertThat(alert(null).provenance()).isEqualTo(RuleProvenance.UNKNOWN_VIGIL);
        assertThat(alert(null).provenance().ruleset()).isEqualTo("vigil");
    }

    @Test
    void provenanceSurvivesFlinksSerializerAndASuppressedCopy() throws Exception {
        RuleProvenance sigma = new RuleProvenance("sigma", List.of("Florian Roth (Nextron Systems)"), "DRL-1.1",
                List.of("https://example.org/a"), "experimental");
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        @SuppressWarnings("unchecked")
        TypeSerializer<Alert> serializer =
                ((TypeInformation<Alert>) TypeInformation.of(Alert.class)).createSerializer(config);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(alert(sigma), out);
        Alert back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back.provenance()).isEqualTo(sigma);
        assertThat(back.withSuppressed(3, T0.plusSeconds(5)).provenance()).isEqualTo(sigma);
    }
}
