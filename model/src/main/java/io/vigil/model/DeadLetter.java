package io.vigil.model;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A record that could not be decoded: the raw bytes as evidence, where they came from, the
 * decoder that refused them and why. Nothing is dropped silently; every such record becomes
 * exactly one dead letter.
 *
 * @param raw the record text, or its base64 form when the bytes are not valid UTF-8
 * @param rawEncoding {@link #UTF_8} or {@link #BASE64}
 * @param rawBytes length of the original record in bytes (larger than the held prefix when the
 *     record was over the size limit)
 * @param origin where it came from
 * @param decoder the format whose decoder refused it
 * @param reason a human-readable reason, naming the problem and, where useful, the position
 */
public record DeadLetter(String raw, String rawEncoding, long rawBytes, Origin origin, String decoder, String reason) {

    public static final String UTF_8 = "utf-8";
    public static final String BASE64 = "base64";

    public DeadLetter {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(rawEncoding, "rawEncoding");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(decoder, "decoder");
        Objects.requireNonNull(reason, "reason");
    }

    /** The dead letter for {@code record}, keeping its bytes as text when they are UTF-8. */
    public static DeadLetter of(RawRecord record, String reason) {
        byte[] bytes = record.bytes();
        long length = record.truncated() ? record.truncatedFrom() : bytes.length;
        String text = strictUtf8(bytes);
        if (text != null) {
            return new DeadLetter(text, UTF_8, length, record.origin(), record.format(), reason);
        }
        return new DeadLetter(
                Base64.getEncoder().encodeToString(bytes), BASE64, length, record.origin(), record.format(), reason);
    }

    /** The bytes as a string when they are valid UTF-8, otherwise {@code null}. */
    public static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
