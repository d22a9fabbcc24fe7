package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EcsJsonTest {

    private static final Origin ORIGIN = Origin.file("auth.log", 42);

    private static SecurityEvent sample() {
        return SecurityEvent.builder()
                .timestamp(Instant.parse("2024-12-10T06:55:48.123Z"))
                .message("Failed password for root from 5.36.59.76 port 42393 ssh2")
                .eventCategory("authentication").eventType("start")
                .eventAction("ssh_login").eventOutcome("failure").eventModule("system").eventDataset("system.auth")
                .eventSequence(3L).eventOriginal("Dec 10 06:55:48 LabSZ sshd[24227]: Failed password …")
                .sourceIp("5.36.59.76").sourcePort(42393).userName("root").hostName("LabSZ")
                .processName("sshd").processPid(24227L).httpResponseStatusCode(404).httpResponseBodyBytes(1L << 40)
                .field("log.syslog.appname", "sshd")
                .field("winlog.keywords", "-9214364837600034816")
                .origin(ORIGIN)
                .build();
    }

    @Test
    void writesNestedEcsDocuments() throws Exception {
        JsonNode doc = EcsJson.MAPPER.readTree(EcsJson.write(sample()));
        assertThat(doc.get("@timestamp").asText()).isEqualTo("2024-12-10T06:55:48.123Z");
        assertThat(doc.at("/event/action").asText()).isEqualTo("ssh_login");
        assertThat(doc.at("/event/category/0").asText()).isEqualTo("authentication");
        assertThat(doc.at("/source/port").isInt()).isTrue();
        assertThat(doc.at("/http/response/body/bytes").asLong()).isEqualTo(1L << 40);
        assertThat(doc.at("/related/ip/0").asText()).isEqualTo("5.36.59.76");
        assertThat(doc.at("/related/user/0").asText()).isEqualTo("root");
        assertThat(doc.at("/log/syslog/appname").asText()).isEqualTo("sshd");
        assertThat(doc.at("/log/file/path").asText()).isEqualTo("auth.log");
        assertThat(doc.at("/vigil/origin/offset").asLong()).isEqualTo(42);
        assertThat(doc.at("/winlog/keywords").asText()).isEqualTo("-9214364837600034816");
        assertThat(doc.has("destination")).isFalse();
    }

    @Test
    void readsBackWhatItWrites() throws Exception {
        SecurityEvent event = sample();
        JsonNode doc = EcsJson.MAPPER.readTree(EcsJson.write(event));
        assertThat(EcsJson.read(doc, ORIGIN)).isEqualTo(event);
    }

    @Test
    void readsDottedKeysAndKeepsOnlyAllowedExtraNames() throws Exception {
        JsonNode doc = EcsJson.MAPPER.readTree("{\"@timestamp\":\"2024-01-02T03:04:05Z\",\"source.ip\":\"10.1.2.3\","
                + "\"event\":{\"action\":\"x\"},\"dns\":{\"question\":{\"name\":\"example.org\"}},"
                + "\"Evil Field\":1,\"../etc\":2}");
        SecurityEvent e = EcsJson.read(doc, ORIGIN);
        assertThat(e.sourceIp()).isEqualTo("10.1.2.3");
        assertThat(e.eventAction()).isEqualTo("x");
        assertThat(e.field("dns.question.name")).isEqualTo("example.org");
        assertThat(e.fields()).doesNotContainKeys("Evil Field", "../etc");
        assertThat(e.tags()).contains("vigil_fields_dropped");
    }

    @Test
    void refusesDocumentsWithoutAUsableTimestamp() throws Exception {
        assertThatThrownBy(() -> EcsJson.read(EcsJson.MAPPER.readTree("{\"event\":{}}"), ORIGIN))
                .hasMessageContaining("@timestamp");
        assertThatThrownBy(() -> EcsJson.read(EcsJson.MAPPER.readTree("{\"@timestamp\":\"yesterday\"}"), ORIGIN))
                .hasMessageContaining("not ISO-8601");
        assertThatThrownBy(() -> EcsJson.read(EcsJson.MAPPER.readTree("[1,2]"), ORIGIN))
                .hasMessageContaining("JSON object");
    }

    @Test
    void extraFieldNamesMustBeAllowListedShapes() {
        assertThat(ExtraFields.isAllowed("winlog.event_data.TargetUserName")).isTrue();
        assertThat(ExtraFields.isAllowed("zeek.conn.conn_state")).isTrue();
        assertThat(ExtraFields.isAllowed("winlog.event_data.Target User")).isFalse();
        assertThat(ExtraFields.isAllowed("mystery.field")).isFalse();
        assertThat(ExtraFields.isAllowed("winlog")).isFalse();
        assertThatThrownBy(() -> SecurityEvent.builder().timestamp(Instant.EPOCH).origin(ORIGIN)
                .field("winlog.event_data.$(rm -rf)", "x").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deadLettersKeepUtf8AsTextAndOtherBytesAsBase64() throws Exception {
        RawRecord text = RawRecord.of("héllo".getBytes(StandardCharsets.UTF_8), ORIGIN, "syslog");
        DeadLetter a = DeadLetter.of(text, "not syslog");
        assertThat(a.raw()).isEqualTo("héllo");
        assertThat(a.rawEncoding()).isEqualTo(DeadLetter.UTF_8);
        assertThat(a.rawBytes()).isEqualTo(6);

        RawRecord binary = RawRecord.of(new byte[] {'a', (byte) 0xff, 'b'}, ORIGIN, "syslog");
        DeadLetter b = DeadLetter.of(binary, "not syslog");
        assertThat(b.rawEncoding()).isEqualTo(DeadLetter.BASE64);
        assertThat(b.raw()).isEqualTo("Yf9i");

        JsonNode doc = EcsJson.MAPPER.readTree(EcsJson.write(b));
        assertThat(doc.at("/raw/encoding").asText()).isEqualTo("base64");
        assertThat(doc.at("/reason").asText()).isEqualTo("not syslog");
        assertThat(doc.at("/vigil/origin/source").asText()).isEqualTo("auth.log");
    }

    @Test
    void truncatedRecordsReportTheirFullLength() {
        RawRecord cut = new RawRecord(new byte[] {'x', 'y'}, ORIGIN, "syslog", null, null, 10_000_000);
        assertThat(DeadLetter.of(cut, "too long").rawBytes()).isEqualTo(10_000_000);
    }

    @Test
    void eventsAreImmutable() {
        SecurityEvent e = sample();
        assertThatThrownBy(() -> e.tags().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> e.fields().put("log.x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(e.toBuilder().userName("alice").build().userName()).isEqualTo("alice");
        assertThat(e.userName()).isEqualTo("root");
        assertThat(Map.copyOf(e.fields())).hasSize(2);
    }
}
