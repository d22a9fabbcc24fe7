package io.vigil.formats;

import io.vigil.model.DeadLetter;
import java.nio.charset.StandardCharsets;

/**
 * Turns record bytes into text for the line decoders of this package. Most log lines are pure
 * ASCII, so that case is checked first and decoded without a {@link java.nio.charset.CharsetDecoder};
 * only lines with high bytes pay for the strict UTF-8 check.
 */
final class RecordUtf8 {

    /** Tag set on events whose record was not valid UTF-8 and was decoded with replacement characters. */
    static final String INVALID_UTF8_TAG = "vigil_invalid_utf8";

    private RecordUtf8() {}

    /** The bytes as text, or {@code null} when they are not valid UTF-8. */
    static String strict(byte[] bytes) {
        String ascii = ascii(bytes);
        return ascii != null ? ascii : DeadLetter.strictUtf8(bytes);
    }

    /**
     * The bytes as text when they are all ASCII, else {@code null}. The JDK's US-ASCII decoder
     * checks the bytes with a vectorized intrinsic and copies them into a compact string; any
     * high byte becomes U+FFFD, which cannot come from ASCII. On a compact (Latin-1) string the
     * search for U+FFFD returns at once, so the common case never loops over the bytes in Java.
     */
    static String ascii(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.US_ASCII);
        return s.indexOf('\uFFFD') < 0 ? s : null;
    }

    /** The bytes as text; malformed sequences become U+FFFD (the caller tags the event). */
    static String lossy(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Whether {@code bytes} start with the UTF-8 byte-order mark EF BB BF. */
    static boolean startsWithByteOrderMark(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF;
    }

    /** {@code text} without one trailing LF, CRLF or CR (framing may leave them on). */
    static String stripLineEnd(String text) {
        int end = text.length();
        if (end > 0 && text.charAt(end - 1) == '\n') {
            end--;
        }
        if (end > 0 && text.charAt(end - 1) == '\r') {
            end--;
        }
        return end == text.length() ? text : text.substring(0, end);
    }
}
