package io.vigil.model;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Something Vigil could not process as it should, kept as evidence with the reason: a record that
 * could not be decoded, an event whose time is out of bounds, an event a rule failed on, a
 * document Elasticsearch refused, a webhook delivery given up. Nothing is dropped silently.
 *
 * <p>{@code kind} says which: {@link #DECODE} and {@link #EVENT_TIME} letters stand for their
 * record (every input record is exactly one event or one such letter, docs/architecture.md,
 * invariant 1); {@link #RULE_ERROR} letters are extra (the event itself went on through every other
 * rule), as are {@link #ELASTICSEARCH} and {@link #WEBHOOK} letters of outputs.
 *
 * @param raw the record text, or its base64 form when the bytes are not valid UTF-8
 * @param rawEncoding {@link #UTF_8} or {@link #BASE64}
 * @param rawBytes length of the original record in bytes (larger than the held prefix when the
 *     record was over the size limit)
 * @param origin where it came from
 * @param decoder the format whose decoder refused it
 * @param reason a human-readable reason, naming the problem and, where useful, the position
 * @param kind what went wrong: {@link #DECODE}, {@link #EVENT_TIME}, {@link #RULE_ERROR},
 *     {@link #ELASTICSEARCH} or {@link #WEBHOOK}
 * @param ruleId the rule that failed, for {@link #RULE_ERROR}; otherwise {@code null}
 */
public record DeadLetter(String raw, String rawEncoding, long rawBytes, Origin origin, String decoder, String reason,
                         String kind, String ruleId) {

    public static final String UTF_8 = "utf-8";
    public static final String BASE64 = "base64";

    /** The decoder refused the record. */
    public static final String DECODE = "decode";
    /** The record decoded, but its event time is out of the accepted bounds around its ingest time. */
    public static final String EVENT_TIME = "event-time";
    /** A rule threw on the event; the event went on through the other rules. */
    public static final String RULE_ERROR = "rule-error";
    /** Elasticsearch refused a document for good. */
    public static final String ELASTICSEARCH = "elasticsearch";
    /** A webhook delivery was given up. */
    public static final String WEBHOOK = "webhook";

    public DeadLetter {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(rawEncoding, "rawEncoding");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(decoder, "decoder");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(kind, "kind");
    }

    /** A {@link #DECODE} letter. */
    public DeadLetter(String raw, String rawEncoding, long rawBytes, Origin origin, String decoder, String reason) {
        this(raw, rawEncoding, rawBytes, origin, decoder, reason, DECODE, null);
    }

    /** The {@link #DECODE} letter for {@code record}, keeping its bytes as text when they are UTF-8. */
    public static DeadLetter of(RawRecord record, String reason) {
        return of(record, reason, DECODE);
    }

    /** The letter of {@code kind} for {@code record}, keeping its bytes as text when they are UTF-8. */
    public static DeadLetter of(RawRecord record, String reason, String kind) {
        byte[] bytes = record.bytes();
        long length = record.truncated() ? record.truncatedFrom() : bytes.length;
        String text = strictUtf8(bytes);
        if (text != null) {
            return new DeadLetter(text, UTF_8, length, record.origin(), record.format(), reason, kind, null);
        }
        return new DeadLetter(Base64.getEncoder().encodeToString(bytes), BASE64, length, record.origin(),
                record.format(), reason, kind, null);
    }

    /** This letter as another kind (and rule). */
    public DeadLetter as(String newKind, String newRuleId) {
        return new DeadLetter(raw, rawEncoding, rawBytes, origin, decoder, reason, newKind, newRuleId);
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
