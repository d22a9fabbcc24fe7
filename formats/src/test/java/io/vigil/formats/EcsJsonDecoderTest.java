package io.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.EcsJson;
import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EcsJsonDecoderTest {

    private static final Origin HERE = Origin.kafka("ecs-in", 0, 12);

    private final EcsJsonDecoder decoder = new EcsJsonDecoder(DecoderOptions.defaults());

    private DecodeResult decode(String text) {
        return decode(text.getBytes(StandardCharsets.UTF_8));
    }

    private DecodeResult decode(byte[] bytes) {
        return decoder.decode(RawRecord.of(bytes, HERE, Formats.ECS));
    }

    private static SecurityEvent sample() {
        return SecurityEvent.builder()
                .timestamp(Instant.parse("2024-05-01T10:11:12.123456Z"))
                .origin(Origin.file("/var/log/auth.log", 33))
                .message("Failed password for root from 203.0.113.5 port 2222 ssh2")
                .tag("ssh")
                .eventCategory("authentication")
                .eventType("start")
                .eventAction("ssh_login")
                .eventOutcome("failure")
                .eventModule("system")
                .eventDataset("system.auth")
                .eventOriginal("<original line>")
                .sourceIp("203.0.113.5")
                .sourcePort(2222)
                .userName("root")
                .hostName("web1")
                .processName("sshd")
                .processPid(4242L)
                .httpResponseBodyBytes(1L << 40)
                .field("zeek.conn.conn_state", "S0")
                .field("aws.cloudtrail.user_identity.arn", "arn:aws:iam::1:user/x")
                .build();
    }

    @Test
    void roundTripGivesAnEqualEventApartFromOrigin() {
        SecurityEvent original = sample();
        DecodeResult r = decode(EcsJson.write(original));
        assertThat(r.ok()).as("%s", r).isTrue();
        assertThat(r.events()).hasSize(1);
        SecurityEvent back = r.events().get(0);
        assertThat(back.origin()).isEqualTo(HERE);
        assertThat(back).isEqualTo(original.toBuilder().origin(HERE).build());
    }

    @Test
    void recordTextBecomesTheOriginalWhenTheDocumentHasNone() {
        String doc = "{\"@timestamp\":\"2024-05-01T10:11:12Z\",\"event\":{\"action\":\"x\"},\"source\":{\"ip\":\"10.1.2.3\"}}";
        SecurityEvent e = decode(doc + "\n").events().get(0);
        assertThat(e.eventOriginal()).isEqualTo(doc);
        assertThat(e.eventAction()).isEqualTo("x");
        assertThat(e.sourceIp()).isEqualTo("10.1.2.3");
        assertThat(e.relatedIp()).containsExactly("10.1.2.3");
    }

    @Test
    void dottedKeysAndUnknownNamesAreHandledByTheCodec() {
        String doc = "{\"@timestamp\":\"2024-05-01T10:11:12Z\",\"event.original\":\"raw\",\"user.name\":\"bob\","
                + "\"Weird Name!\":1}";
        SecurityEvent e = decode(doc).events().get(0);
        assertThat(e.eventOriginal()).isEqualTo("raw");
        assertThat(e.userName()).isEqualTo("bob");
        assertThat(e.tags()).contains("vigil_fields_dropped");
        assertThat(e.fields()).isEmpty();
    }

    @Test
    void failures() {
        assertThat(decode("{\"event\":{\"action\":\"x\"}}").error()).isEqualTo("ECS document: ECS document has no @timestamp string");
        assertThat(decode("{\"@timestamp\":\"last tuesday\"}").error()).contains("@timestamp is not ISO-8601");
        assertThat(decode("{\"@timestamp\":\"2024-05-01T10:11:12Z\",\"source\":{\"port\":\"http\"}}").error())
                .contains("source.port is not a number");
        assertThat(decode("[{\"@timestamp\":\"2024-05-01T10:11:12Z\"}]").error()).contains("expected a JSON object, found ARRAY");
        assertThat(decode("{\"@timestamp\":\"2024-05-01T10:11:12Z\"").error())
                .startsWith("ECS document: invalid JSON at line 1, column");
        assertThat(decode("not json").error()).contains("invalid JSON");
        assertThat(decode("  ").error()).contains("empty record");
        assertThat(decode(new byte[] {'{', (byte) 0xFF, '}'}).error()).isEqualTo("ECS document is not valid UTF-8");
    }
}
