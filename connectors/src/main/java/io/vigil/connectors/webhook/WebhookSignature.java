package io.vigil.connectors.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Vigil's webhook signature: {@code X-Vigil-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>}
 * with {@code X-Vigil-Timestamp} in Unix seconds and {@code X-Vigil-Key-Id} naming the secret. Signing
 * the timestamp with the body lets a receiver reject replays of an old, validly signed request.
 */
public final class WebhookSignature {

    public static final String TIMESTAMP_HEADER = "X-Vigil-Timestamp";
    public static final String KEY_ID_HEADER = "X-Vigil-Key-Id";
    public static final String SIGNATURE_HEADER = "X-Vigil-Signature";
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    public static final String ATTEMPT_HEADER = "X-Vigil-Attempt";
    public static final String VERSION = "v1";

    private static final String ALGORITHM = "HmacSHA256";

    private WebhookSignature() {}

    /** {@code v1=<hex>} for {@code body} sent at {@code timestampSeconds}. */
    public static String sign(byte[] secret, long timestampSeconds, byte[] body) {
        return VERSION + "=" + HexFormat.of().formatHex(mac(secret, timestampSeconds, body));
    }

    /**
     * What a receiver does: the signature matches (compared in constant time) and the timestamp is
     * within {@code toleranceSeconds} of {@code nowSeconds}.
     *
     * @return {@code null} when the request is authentic and fresh, otherwise why not
     */
    public static String verify(byte[] secret, String timestampHeader, String signatureHeader, byte[] body,
                                long nowSeconds, long toleranceSeconds) {
        if (timestampHeader == null || signatureHeader == null) {
            return "missing " + (timestampHeader == null ? TIMESTAMP_HEADER : SIGNATURE_HEADER);
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader.trim());
        } catch (NumberFormatException e) {
            return "timestamp is not Unix seconds: " + timestampHeader;
        }
        if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
            return "stale timestamp: " + (nowSeconds - timestamp) + " s from now";
        }
        byte[] expected = mac(secret, timestamp, body);
        // a header may carry several signatures (key rotation): any v1 match is enough
        for (String part : signatureHeader.split(",")) {
            String p = part.trim();
            if (p.startsWith(VERSION + "=")) {
                byte[] given;
                try {
                    given = HexFormat.of().parseHex(p.substring(VERSION.length() + 1));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (MessageDigest.isEqual(expected, given)) {
                    return null;
                }
            }
        }
        return "signature does not match";
    }

    private static byte[] mac(byte[] secret, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            mac.update((timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
