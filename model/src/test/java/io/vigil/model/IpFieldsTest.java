package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Values of fields mapped as ip that are not IP literals leave them for {@code vigil.invalid.*} when the event is built. */
class IpFieldsTest {

    private static final Origin ORIGIN = Origin.kafka("vigil.raw.ecs", 0, 7);

    private static SecurityEvent.Builder event() {
        return SecurityEvent.builder().timestamp(Instant.parse("2024-06-01T10:00:00Z")).origin(ORIGIN);
    }

    @Test
    void ipLiteralsStay() {
        SecurityEvent e = event().sourceIp("203.0.113.5").destinationIp("2001:db8::1").relatedIp("198.51.100.2").build();
        assertThat(e.sourceIp()).isEqualTo("203.0.113.5");
        assertThat(e.destinationIp()).isEqualTo("2001:db8::1");
        assertThat(e.relatedIp()).containsExactly("198.51.100.2", "203.0.113.5", "2001:db8::1");
        assertThat(e.fields()).isEmpty();
    }

    @Test
    void otherValuesMoveToVigilInvalid() {
        SecurityEvent e = event().sourceIp("evil.example").destinationIp("010.0.0.1").relatedIp("not an ip")
                .relatedIp("192.0.2.9").relatedIp("1.2.3.4; DROP").build();
        assertThat(e.sourceIp()).isNull();
        assertThat(e.destinationIp()).isNull();
        // the invalid source and destination are kept once, not again under related.ip
        assertThat(e.relatedIp()).containsExactly("192.0.2.9");
        assertThat(e.field(IpFields.INVALID_SOURCE_IP)).isEqualTo("evil.example");
        assertThat(e.field(IpFields.INVALID_DESTINATION_IP)).isEqualTo("010.0.0.1");
        assertThat(e.field(IpFields.INVALID_RELATED_IP)).isEqualTo("[\"not an ip\",\"1.2.3.4; DROP\"]");
        // and the document Elasticsearch gets has nothing but IP literals where ip is mapped
        var doc = EcsJson.toTree(e);
        assertThat(doc.has("source")).isFalse();
        assertThat(doc.at("/related/ip").toString()).isEqualTo("[\"192.0.2.9\"]");
        assertThat(doc.at("/vigil/invalid/source/ip").asText()).isEqualTo("evil.example");
    }

    @Test
    void rebuildingAnEventChangesNothing() throws Exception {
        SecurityEvent e = event().sourceIp("evil.example").relatedIp("x y").userName("root").build();
        assertThat(e.toBuilder().build()).isEqualTo(e);
        assertThat(EcsJson.read(EcsJson.toTree(e), ORIGIN)).isEqualTo(e);
    }

    @Test
    void emptyValuesAreDroppedNotKept() {
        SecurityEvent e = event().sourceIp("").destinationIp("").build();
        assertThat(e.sourceIp()).isNull();
        assertThat(e.destinationIp()).isNull();
        assertThat(e.fields()).isEmpty();
    }

    @Test
    void anEcsDocumentCannotPutAHostNameIntoAnIpField() throws Exception {
        var doc = EcsJson.MAPPER.readTree("{\"@timestamp\":\"2024-06-01T10:00:00Z\",\"source\":{\"ip\":\"attacker.example\"},"
                + "\"destination\":{\"ip\":\"10.0.0.1\"},\"related\":{\"ip\":[\"10.0.0.1\",\"::ffff:999.1.1.1\"]}}");
        SecurityEvent e = EcsJson.read(doc, ORIGIN);
        assertThat(e.sourceIp()).isNull();
        assertThat(e.destinationIp()).isEqualTo("10.0.0.1");
        assertThat(e.relatedIp()).containsExactly("10.0.0.1");
        assertThat(e.field(IpFields.INVALID_SOURCE_IP)).isEqualTo("attacker.example");
        assertThat(e.field(IpFields.INVALID_RELATED_IP)).isEqualTo("[\"::ffff:999.1.1.1\"]");
    }

    @Test
    void theInvalidNamesAreInTheCatalog() {
        assertThat(ExtraFields.CATALOG).containsAll(IpFields.INVALID_NAMES);
    }
}
