package io.vigil.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.connectors.elasticsearch.BulkDocument;
import io.vigil.model.DeadLetter;
import io.vigil.model.EcsJson;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The record a refused document becomes: a dead letter that always fits in one Kafka record. */
class KafkaDeadLetterFallbackTest {

    @Test
    void aRefusedDocumentBecomesAnElasticsearchDeadLetter() throws Exception {
        BulkDocument doc = new BulkDocument("vigil-alerts-2024.01.01", "a1", "{\"x\":1}".getBytes(StandardCharsets.UTF_8));
        JsonNode letter = EcsJson.MAPPER.readTree(KafkaDeadLetterFallback.value(doc, "403 security_exception: no", 1 << 20));
        assertThat(letter.at("/raw/value").asText()).isEqualTo("{\"x\":1}");
        assertThat(letter.at("/raw/encoding").asText()).isEqualTo(DeadLetter.UTF_8);
        assertThat(letter.at("/raw/bytes").asLong()).isEqualTo(7);
        assertThat(letter.path("reason").asText()).isEqualTo("403 security_exception: no");
        assertThat(letter.path("decoder").asText()).isEqualTo("elasticsearch");
        assertThat(letter.at("/vigil/dead_letter/kind").asText()).isEqualTo(DeadLetter.ELASTICSEARCH);
        assertThat(letter.at("/vigil/origin/kind").asText()).isEqualTo("elasticsearch");
        assertThat(letter.at("/vigil/origin/source").asText()).isEqualTo("vigil-alerts-2024.01.01");
    }

    /** 2 MB of control characters, six times longer once escaped: the record keeps a prefix and the length. */
    @Test
    void aSourceTooLargeForOneRecordKeepsItsBeginningAndItsLength() throws Exception {
        byte[] source = ("{\"m\":\"" + "\u0001".repeat(2_000_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        BulkDocument doc = new BulkDocument("vigil-events-2024.01.01", "e1", source);
        byte[] value = KafkaDeadLetterFallback.value(doc, "413 http_error: too large",
                KafkaDeadLetterFallback.DEFAULT_MAX_RECORD_BYTES);
        assertThat(value.length).isLessThanOrEqualTo(KafkaDeadLetterFallback.DEFAULT_MAX_RECORD_BYTES);
        JsonNode letter = EcsJson.MAPPER.readTree(value);
        assertThat(letter.at("/raw/bytes").asLong()).isEqualTo(source.length);
        assertThat(letter.at("/raw/value").asText()).startsWith("{\"m\":\"\u0001\u0001").hasSizeGreaterThan(50_000);
    }

    @Test
    void aSourceThatIsNotUtf8IsKeptAsBase64AndCutAtAByteBoundaryOtherwise() throws Exception {
        byte[] notUtf8 = {'{', (byte) 0xff, '}'};
        JsonNode letter = EcsJson.MAPPER.readTree(KafkaDeadLetterFallback.value(
                new BulkDocument("i", "1", notUtf8), "400 x: y", 1 << 20));
        assertThat(letter.at("/raw/encoding").asText()).isEqualTo(DeadLetter.BASE64);
        assertThat(Base64.getDecoder().decode(letter.at("/raw/value").asText())).isEqualTo(notUtf8);

        // "é" is two bytes: a cut inside it backs off to the character before
        byte[] accents = "éééééééééé".repeat(300).getBytes(StandardCharsets.UTF_8);
        JsonNode cut = EcsJson.MAPPER.readTree(KafkaDeadLetterFallback.value(
                new BulkDocument("i", "2", accents), "413 x: y", 1_203)); // tries 1203 bytes, then 601
        assertThat(cut.at("/raw/encoding").asText()).isEqualTo(DeadLetter.UTF_8);
        assertThat(cut.at("/raw/value").asText()).matches("é+");
        assertThat(cut.at("/raw/bytes").asLong()).isEqualTo(accents.length);
    }
}
