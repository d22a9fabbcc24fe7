package io.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AccessLogDecoderTest {

    private final AccessLogDecoder decoder = new AccessLogDecoder(DecoderOptions.defaults());

    private DecodeResult decode(String line) {
        return decode(line.getBytes(StandardCharsets.UTF_8));
    }

    private DecodeResult decode(byte[] bytes) {
        return decoder.decode(RawRecord.of(bytes, Origin.file("access.log", 7), Formats.ACCESS));
    }

    private SecurityEvent one(String line) {
        DecodeResult r = decode(line);
        assertThat(r.ok()).as("%s", r).isTrue();
        assertThat(r.events()).hasSize(1);
        return r.events().get(0);
    }

    @Test
    void combinedLine() {
        String line = "83.149.9.216 - - [17/May/2015:10:05:03 +0000] \"GET /presentations/kibana-search.png?x=1&y=2 HTTP/1.1\""
                + " 200 203023 \"http://semicomplete.com/presentations/\" \"Mozilla/5.0 (Macintosh) Chrome/32.0\"";
        SecurityEvent e = one(line);
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2015-05-17T10:05:03Z"));
        assertThat(e.sourceIp()).isEqualTo("83.149.9.216");
        assertThat(e.userName()).isNull();
        assertThat(e.httpRequestMethod()).isEqualTo("GET");
        assertThat(e.urlOriginal()).isEqualTo("/presentations/kibana-search.png?x=1&y=2");
        assertThat(e.urlPath()).isEqualTo("/presentations/kibana-search.png");
        assertThat(e.urlQuery()).isEqualTo("x=1&y=2");
        assertThat(e.httpVersion()).isEqualTo("1.1");
        assertThat(e.httpResponseStatusCode()).isEqualTo(200);
        assertThat(e.httpResponseBodyBytes()).isEqualTo(203023L);
        assertThat(e.httpRequestReferrer()).isEqualTo("http://semicomplete.com/presentations/");
        assertThat(e.userAgentOriginal()).isEqualTo("Mozilla/5.0 (Macintosh) Chrome/32.0");
        assertThat(e.eventModule()).isEqualTo("apache");
        assertThat(e.eventDataset()).isEqualTo("apache.access");
        assertThat(e.eventAction()).isEqualTo("http_request");
        assertThat(e.eventCategory()).containsExactly("web");
        assertThat(e.eventType()).containsExactly("access");
        assertThat(e.eventOutcome()).isEqualTo("success");
        assertThat(e.eventOriginal()).isEqualTo(line);
        assertThat(e.origin()).isEqualTo(Origin.file("access.log", 7));
        assertThat(e.relatedIp()).containsExactly("83.149.9.216");
        assertThat(e.tags()).isEmpty();
    }

    @Test
    void commonLineWithUserAndOffset() {
        SecurityEvent e = one("10.0.0.5 - frank [10/Oct/2000:13:55:36 -0700] \"POST /login HTTP/1.0\" 401 -\n");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2000-10-10T20:55:36Z"));
        assertThat(e.userName()).isEqualTo("frank");
        assertThat(e.relatedUser()).containsExactly("frank");
        assertThat(e.httpRequestMethod()).isEqualTo("POST");
        assertThat(e.urlPath()).isEqualTo("/login");
        assertThat(e.urlQuery()).isNull();
        assertThat(e.httpResponseStatusCode()).isEqualTo(401);
        assertThat(e.httpResponseBodyBytes()).isNull();
        assertThat(e.httpRequestReferrer()).isNull();
        assertThat(e.userAgentOriginal()).isNull();
        assertThat(e.eventType()).containsExactly("access", "error");
        assertThat(e.eventOutcome()).isEqualTo("failure");
        assertThat(e.eventOriginal()).doesNotEndWith("\n");
    }

    @Test
    void ipv6ClientAndCrlf() {
        SecurityEvent e = one("2001:db8::1 - - [01/Jan/2024:00:00:00 +0000] \"HEAD / HTTP/2.0\" 304 0 \"-\" \"curl/8.0\"\r\n");
        assertThat(e.sourceIp()).isEqualTo("2001:db8::1");
        assertThat(e.httpRequestMethod()).isEqualTo("HEAD");
        assertThat(e.httpVersion()).isEqualTo("2.0");
        assertThat(e.httpResponseBodyBytes()).isZero();
        assertThat(e.userAgentOriginal()).isEqualTo("curl/8.0");
        assertThat(e.eventOutcome()).isEqualTo("success");
    }

    @Test
    void hostNameClientIsSourceDomain() {
        SecurityEvent e = one("crawler.example.org - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 5");
        assertThat(e.sourceIp()).isNull();
        assertThat(e.sourceDomain()).isEqualTo("crawler.example.org");
    }

    @Test
    void dashRequestLine() {
        SecurityEvent e = one("192.0.2.9 - - [01/Jan/2024:00:00:00 +0000] \"-\" 400 0 \"-\" \"-\"");
        assertThat(e.httpRequestMethod()).isNull();
        assertThat(e.urlOriginal()).isNull();
        assertThat(e.httpResponseStatusCode()).isEqualTo(400);
        assertThat(e.userAgentOriginal()).isNull();
        assertThat(e.httpRequestReferrer()).isNull();
        assertThat(e.eventOutcome()).isEqualTo("failure");
        assertThat(e.tags()).isEmpty();
    }

    @Test
    void binaryRequestLineIsKeptOnlyInOriginal() {
        SecurityEvent e = one("192.0.2.9 - - [01/Jan/2024:00:00:00 +0000] \"\\x16\\x03\\x01\\x00\" 400 226 \"-\" \"-\"");
        assertThat(e.httpRequestMethod()).isNull();
        assertThat(e.urlOriginal()).isNull();
        assertThat(e.tags()).containsExactly(AccessLogDecoder.UNPARSED_REQUEST_TAG);
    }

    @Test
    void escapedQuotesInRequestAndUserAgent() {
        SecurityEvent e = one("198.51.100.7 - - [01/Jan/2024:00:00:00 +0000] "
                + "\"GET /search?q=\\\"admin\\\" HTTP/1.1\" 200 12 \"-\" \"Mozilla/5.0 \\\"quoted\\\" \\\\ back\"");
        assertThat(e.urlOriginal()).isEqualTo("/search?q=\"admin\"");
        assertThat(e.urlQuery()).isEqualTo("q=\"admin\"");
        assertThat(e.userAgentOriginal()).isEqualTo("Mozilla/5.0 \"quoted\" \\ back");
    }

    @Test
    void truncatedUserAgentIsDecodedLeniently() {
        String line = "46.118.127.106 - - [20/May/2015:12:05:17 +0000] \"GET /scripts/grok-py-test/configlib.py HTTP/1.1\""
                + " 200 235 \"-\" \"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html";
        SecurityEvent e = one(line);
        assertThat(e.userAgentOriginal()).isEqualTo("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html");
        assertThat(e.tags()).containsExactly(AccessLogDecoder.TRUNCATED_TAG);
        assertThat(e.httpResponseStatusCode()).isEqualTo(200);
    }

    @Test
    void absoluteTargetOfAProxyRequest() {
        SecurityEvent e = one("192.0.2.1 - - [01/Jan/2024:00:00:00 +0000] \"GET http://example.com:8080/a/b?c=d HTTP/1.1\" 200 1");
        assertThat(e.urlOriginal()).isEqualTo("http://example.com:8080/a/b?c=d");
        assertThat(e.urlDomain()).isEqualTo("example.com");
        assertThat(e.urlPath()).isEqualTo("/a/b");
        assertThat(e.urlQuery()).isEqualTo("c=d");
    }

    @Test
    void invalidUtf8IsDecodedLosslyAndTagged() {
        byte[] head = "192.0.2.1 - - [01/Jan/2024:00:00:00 +0000] \"GET /caf".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = " HTTP/1.1\" 200 1".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xE9; // latin-1 'é', not UTF-8
        System.arraycopy(tail, 0, bytes, head.length + 1, tail.length);
        DecodeResult r = decode(bytes);
        assertThat(r.ok()).isTrue();
        SecurityEvent e = r.events().get(0);
        assertThat(e.urlPath()).isEqualTo("/caf\uFFFD");
        assertThat(e.tags()).containsExactly("vigil_invalid_utf8");
    }

    @Test
    void validUtf8IsNotTagged() {
        SecurityEvent e = one("192.0.2.1 - jos\u00e9 [01/Jan/2024:00:00:00 +0000] \"GET /caf\u00e9 HTTP/1.1\" 200 1");
        assertThat(e.userName()).isEqualTo("jos\u00e9");
        assertThat(e.urlPath()).isEqualTo("/caf\u00e9");
        assertThat(e.tags()).isEmpty();
    }

    @Test
    void garbageIsRefusedWithTheReason() {
        assertThat(decode("").error()).contains("access-log line").contains("client address");
        assertThat(decode("hello world").error()).contains("expected a space at column 12");
        assertThat(decode("<13>Jan  1 00:00:00 host sshd[1]: Accepted password").error())
                .startsWith("not an Apache/Nginx access-log line")
                .contains("client address at column 1");
        assertThat(decode("1.2.3.4 - - [2024-01-01T00:00:00Z] \"GET / HTTP/1.1\" 200 1").error())
                .contains("[dd/Mon/yyyy:hh:mm:ss +zzzz]");
        assertThat(decode("1.2.3.4 - - [32/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1").error())
                .contains("invalid date");
        assertThat(decode("1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1 200 1").error())
                .contains("request line").contains("no closing quote");
        assertThat(decode("1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" OK 1").error())
                .contains("3-digit status code");
        assertThat(decode("1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 12k").error())
                .contains("response size");
        assertThat(decode("1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"-\"").error())
                .contains("expected a space");
        assertThat(decode("{\"@timestamp\":\"2024-01-01T00:00:00Z\"}").error()).contains("client address");
    }

    @Test
    void everyPrefixOfALineDecodesOrFailsWithoutThrowing() {
        String line = "2001:db8::1 - u [01/Jan/2024:00:00:00 +0000] \"GET /a?b=\\\"c HTTP/1.1\" 200 5 \"-\" \"UA \\\"x\\\"\"";
        assertThat(one(line).userAgentOriginal()).isEqualTo("UA \"x\"");
        for (int i = 0; i <= line.length(); i++) {
            DecodeResult r = decode(line.substring(0, i));
            assertThat(r.ok() || r.error() != null).isTrue();
        }
    }
}
