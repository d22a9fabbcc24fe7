package io.vigil.connectors.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static final byte[] SECRET = "whsec-test".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BODY = "{\"id\":\"a1\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void signsTimestampDotBodyWithHmacSha256() {
        // computed independently: python3 hmac.new(b'whsec-test', b'1700000000.{"id":"a1"}', sha256)
        assertThat(WebhookSignature.sign(SECRET, 1_700_000_000L, BODY))
                .isEqualTo("v1=e73cd5c5be017fa29e4cfee137d54b51a3143619176f1502ae90d8297219867b");
    }

    @Test
    void aReceiverAcceptsAnAuthenticFreshRequest() {
        String sig = WebhookSignature.sign(SECRET, 1_700_000_000L, BODY);
        assertThat(WebhookSignature.verify(SECRET, "1700000000", sig, BODY, 1_700_000_100L, 300)).isNull();
        // during a key rotation a header may carry an old and a new signature
        assertThat(WebhookSignature.verify(SECRET, "1700000000", "v1=00ff, " + sig, BODY, 1_700_000_000L, 300)).isNull();
    }

    @Test
    void aReceiverRejectsTamperingStaleTimestampsAndOtherKeys() {
        String sig = WebhookSignature.sign(SECRET, 1_700_000_000L, BODY);
        byte[] tampered = "{\"id\":\"a2\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookSignature.verify(SECRET, "1700000000", sig, tampered, 1_700_000_000L, 300))
                .isEqualTo("signature does not match");
        // a replay of the same request an hour later
        assertThat(WebhookSignature.verify(SECRET, "1700000000", sig, BODY, 1_700_003_600L, 300))
                .startsWith("stale timestamp");
        // the timestamp is signed: moving it forward breaks the signature
        assertThat(WebhookSignature.verify(SECRET, "1700003600", sig, BODY, 1_700_003_600L, 300))
                .isEqualTo("signature does not match");
        assertThat(WebhookSignature.verify("other".getBytes(StandardCharsets.UTF_8), "1700000000", sig, BODY,
                1_700_000_000L, 300)).isEqualTo("signature does not match");
        assertThat(WebhookSignature.verify(SECRET, null, sig, BODY, 1_700_000_000L, 300)).contains("X-Vigil-Timestamp");
        assertThat(WebhookSignature.verify(SECRET, "soon", sig, BODY, 1_700_000_000L, 300)).contains("Unix seconds");
        assertThat(WebhookSignature.verify(SECRET, "1700000000", "v1=zz", BODY, 1_700_000_000L, 300))
                .isEqualTo("signature does not match");
    }
}
