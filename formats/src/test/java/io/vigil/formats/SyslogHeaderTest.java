package io.vigil.formats;

import static io.vigil.formats.SyslogTesting.one;
import static io.vigil.formats.SyslogTesting.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.SecurityEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The three header layouts, line endings, bytes and what is not syslog. */
class SyslogHeaderTest {

    @Test
    void rfc3164WithSpacePaddedDay() {
        SecurityEvent e = one("Jun  4 03:04:05 web1 sshd[77]: Connection closed by 192.0.2.1 [preauth]");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2024-06-04T03:04:05Z"));
        assertThat(e.hostName()).isEqualTo("web1");
        assertThat(e.field("log.syslog.priority")).isNull();
    }

    @Test
    void rfc3164WithPriority() {
        SecurityEvent e = one("<38>Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2024-06-14T15:16:01Z"));
        assertThat(e.field("log.syslog.priority")).isEqualTo("38");
        assertThat(e.field("log.syslog.facility.code")).isEqualTo("4");
        assertThat(e.field("log.syslog.facility.name")).isEqualTo("auth");
        assertThat(e.field("log.syslog.severity.code")).isEqualTo("6");
        assertThat(e.field("log.syslog.severity.name")).isEqualTo("informational");
        assertThat(e.eventAction()).isEqualTo("pam_user_unknown");
    }

    @Test
    void rfc3164WithoutHostTakesTheTagAsTag() {
        SecurityEvent e = one("<34>Oct 11 22:14:15 su[12]: (to root) alice on pts/0");
        assertThat(e.hostName()).isNull();
        assertThat(e.processName()).isEqualTo("su");
        assertThat(e.eventAction()).isEqualTo("su");
    }

    @Test
    void rfc5424WithStructuredData() {
        SecurityEvent e = one("<86>1 2024-01-02T03:04:05.123Z bastion.example.com sshd 4711 AUTH "
                + "[origin ip=\"10.0.0.1\" note=\"a \\] and \\\" inside\"][meta seq=\"7\"] "
                + "Invalid user guest from 198.51.100.20 port 50022");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2024-01-02T03:04:05.123Z"));
        assertThat(e.hostName()).isEqualTo("bastion.example.com");
        assertThat(e.processName()).isEqualTo("sshd");
        assertThat(e.processPid()).isEqualTo(4711L);
        assertThat(e.field("log.syslog.msgid")).isEqualTo("AUTH");
        assertThat(e.field("log.syslog.version")).isEqualTo("1");
        assertThat(e.field("log.syslog.facility.code")).isEqualTo("10");
        assertThat(e.field("log.syslog.facility.name")).isEqualTo("authpriv");
        assertThat(e.field("log.syslog.severity.code")).isEqualTo("6");
        assertThat(e.message()).isEqualTo("Invalid user guest from 198.51.100.20 port 50022");
        assertThat(e.eventAction()).isEqualTo("ssh_invalid_user");
        assertThat(e.userName()).isEqualTo("guest");
    }

    @Test
    void rfc5424WithNilValues() {
        SecurityEvent e = one("<13>1 2024-01-02T03:04:05+02:00 - myapp - - - hello\u00a0world");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2024-01-02T01:04:05Z"));
        assertThat(e.hostName()).isNull();
        assertThat(e.processPid()).isNull();
        assertThat(e.field("log.syslog.msgid")).isNull();
        assertThat(e.field("log.syslog.procid")).isNull();
        assertThat(e.message()).isEqualTo("hello\u00a0world");
        assertThat(e.eventDataset()).isEqualTo("system.syslog");
    }

    @Test
    void rfc5424NonNumericProcIdAndBom() {
        SecurityEvent e = one("<13>1 2024-01-02T03:04:05Z host app worker-3 - - \uFEFFbody");
        assertThat(e.processPid()).isNull();
        assertThat(e.field("log.syslog.procid")).isEqualTo("worker-3");
        assertThat(e.message()).isEqualTo("body");
    }

    @Test
    void rfc5424NilTimestampUsesReferenceTimeAndSaysSo() {
        SecurityEvent e = one("<13>1 - host app - - - body");
        assertThat(e.timestamp()).isEqualTo(SyslogTesting.REFERENCE);
        assertThat(e.tags()).contains("vigil_timestamp_missing");
        DecodeResult r = SyslogTesting.decoder().decode(
                record("<13>1 - host app - - - body".getBytes(StandardCharsets.UTF_8), "x", 1, null));
        assertThat(r.ok()).isFalse();
    }

    @Test
    void rsyslogIsoTimestamp() {
        SecurityEvent e = one("2024-01-02T03:04:05.123456+01:00 web1 sshd[9]: Accepted password for bob from "
                + "192.0.2.9 port 2200 ssh2");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2024-01-02T02:04:05.123456Z"));
        assertThat(e.eventAction()).isEqualTo("ssh_login");
        assertThat(e.eventOutcome()).isEqualTo("success");
        assertThat(e.processPid()).isEqualTo(9L);
    }

    @Test
    void isoTimestampWithoutOffsetUsesConfiguredZone() {
        SyslogDecoder d = new SyslogDecoder(DecoderOptions.defaults().withZone(ZoneId.of("Europe/Berlin")),
                SyslogTesting.CLOCK);
        SecurityEvent e = d.decode(record("2024-07-02T03:04:05 web1 cron[1]: x")).events().get(0);
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2024-07-02T01:04:05Z"));
        SecurityEvent bsd = d.decode(record("Jan  2 03:04:05 web1 cron[1]: x")).events().get(0);
        assertThat(bsd.timestamp()).isEqualTo(Instant.parse("2024-01-02T02:04:05Z"));
    }

    @Test
    void crlfAndTrailingNewlineAreStripped() {
        SecurityEvent e = one("Dec 10 06:55:48 LabSZ sshd[24200]: Invalid user admin from 1.2.3.4\r");
        assertThat(e.sourceIp()).isEqualTo("1.2.3.4");
        assertThat(e.eventOriginal()).doesNotContain("\r");
        SecurityEvent n = one("Dec 10 06:55:48 LabSZ sshd[24200]: Invalid user admin from 1.2.3.4\r\n");
        assertThat(n.sourceIp()).isEqualTo("1.2.3.4");
        assertThat(n.eventOriginal()).endsWith("1.2.3.4");
    }

    @Test
    void invalidUtf8IsDecodedLossilyAndTagged() {
        byte[] head = "Dec 10 06:55:48 LabSZ sshd[24200]: Invalid user ".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = " from 1.2.3.4".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[head.length + 2 + tail.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xC3; // a lone lead byte
        bytes[head.length + 1] = (byte) 0x28;
        System.arraycopy(tail, 0, bytes, head.length + 2, tail.length);
        DecodeResult r = SyslogTesting.decoder().decode(record(bytes, "auth.log", 3, SyslogTesting.REFERENCE));
        assertThat(r.ok()).isTrue();
        SecurityEvent e = r.events().get(0);
        assertThat(e.tags()).contains("vigil_invalid_utf8");
        assertThat(e.userName()).isEqualTo("\uFFFD(");
        assertThat(e.sourceIp()).isEqualTo("1.2.3.4");
    }

    @Test
    void validUtf8IncludingAReplacementCharacterIsNotTagged() {
        SecurityEvent e = one("Dec 10 06:55:48 LabSZ sshd[24200]: Invalid user J\u00fcrgen\uFFFD from 1.2.3.4");
        assertThat(e.userName()).isEqualTo("J\u00fcrgen\uFFFD");
        assertThat(e.tags()).doesNotContain("vigil_invalid_utf8");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "\r",
        "   ",
        "hello world",
        "{\"@timestamp\":\"2024-01-02T03:04:05Z\"}",
        "Foo 10 06:55:48 host prog: x",
        "Dec 10 06:55 host prog: x",
        "Dec 32 06:55:48 host prog: x",
        "Dec 10 25:55:48 host prog: x",
        "Dec 10 06:55:48",
        "Dec 10 06:55:48 ",
        "<999>Dec 10 06:55:48 host prog: x",
        "<13>1 2024-13-02T03:04:05Z host app - - - x",
        "<13>1 2024-01-02T03:04:05Z host app - - [unterminated x=\"y\"",
        "<13>1 2024-01-02T03:04:05Z host app",
        "2024-02-30T03:04:05Z host prog: x",
    })
    void notSyslogFails(String line) {
        DecodeResult r = SyslogTesting.decoder().decode(record(line.getBytes(StandardCharsets.UTF_8), "x", 1,
                SyslogTesting.REFERENCE));
        assertThat(r.ok()).as("%s", line).isFalse();
        assertThat(r.error()).isNotBlank();
        assertThat(r.events()).isEmpty();
    }

    @Test
    void failureReasonNamesTheProblem() {
        assertThat(SyslogTesting.decoder().decode(record("")).error()).isEqualTo("empty line");
        assertThat(SyslogTesting.decoder().decode(record("hello world")).error()).contains("not syslog");
    }
}
