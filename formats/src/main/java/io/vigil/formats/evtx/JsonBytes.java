package io.vigil.formats.evtx;

import java.util.Arrays;

/**
 * A growable UTF-8 buffer that JSON is written into directly, strings taken from UTF-16LE bytes
 * of a chunk without building {@code String}s: most of a record's text is copied once.
 */
final class JsonBytes {

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] UPPER_HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * The most JSON one record may render to. A record is at most a chunk, but a template can use
     * one large value many times: past this the record is refused rather than memory exhausted.
     */
    static final int MAX_BYTES = 16 * 1024 * 1024;

    /** Thrown when a record renders past {@link #MAX_BYTES}. */
    static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("the record renders to more than " + MAX_BYTES + " bytes of JSON", null, false, false);
        }
    }

    private byte[] buf = new byte[4096];
    private int len;

    void reset() {
        len = 0;
        if (buf.length > 1 << 20) {
            buf = new byte[4096]; // one huge record does not keep its buffer for the rest of the file
        }
    }

    int length() {
        return len;
    }

    byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            if ((long) len + more > MAX_BYTES) {
                throw new TooLarge();
            }
            // never past the cap: writes check only when the buffer is full, so the buffer is the limit
            buf = Arrays.copyOf(buf, (int) Math.min(MAX_BYTES, Math.max(2L * buf.length, (long) len + more)));
        }
    }

    void raw(char c) {
        ensure(1);
        buf[len++] = (byte) c;
    }

    /** A decimal integer. */
    void number(long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                ascii(Long.toString(v));
                return;
            }
            raw('-');
            v = -v;
        }
        ensure(20);
        int digits = 1;
        for (long t = v / 10; t > 0; t /= 10) {
            digits++;
        }
        for (int i = len + digits - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        len += digits;
    }

    /** {@code v} as lower-case hex digits, without leading zeros. */
    void hex(long v) {
        ensure(16);
        int digits = Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 3) / 4);
        for (int i = digits - 1; i >= 0; i--) {
            buf[len++] = HEX[(int) (v >>> (4 * i)) & 0xf];
        }
    }

    /** {@code digits} upper-case hex digits of {@code v}. */
    void hexUpper(long v, int digits) {
        ensure(digits);
        for (int i = digits - 1; i >= 0; i--) {
            buf[len++] = UPPER_HEX[(int) (v >>> (4 * i)) & 0xf];
        }
    }

    /** ASCII text, written as is (names of the format's own: numbers, {@code 0x…}, punctuation). */
    void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    /** A JSON string of {@code s}. */
    void string(String s) {
        int n = s.length();
        ensure(n + 2);
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80 && c >= 0x20 && c != '"' && c != '\\') {
                if (len == buf.length) {
                    ensure(n - i + 1); // an escape before used the room taken for this character
                }
                buf[len++] = (byte) c;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                codePoint(Character.toCodePoint(c, s.charAt(++i)));
            } else {
                ch(c);
            }
        }
        ensure(1);
        buf[len++] = '"';
    }

    /**
     * A JSON string of {@code chars} UTF-16LE code units at {@code off} in {@code src}, stopping at
     * the first NUL (Windows strings carry their terminator inside the value's size).
     */
    void utf16String(byte[] src, int off, int chars) {
        ensure(chars + 2);
        buf[len++] = '"';
        utf16(src, off, chars);
        ensure(1);
        buf[len++] = '"';
    }

    /** The text of UTF-16LE code units, escaped for inside a JSON string, up to a NUL. */
    void utf16(byte[] src, int off, int chars) {
        for (int i = 0; i < chars; i++) {
            char c = (char) ((src[off + 2 * i] & 0xff) | (src[off + 2 * i + 1] & 0xff) << 8);
            if (c == 0) {
                return;
            }
            if (c < 0x80 && c >= 0x20 && c != '"' && c != '\\') {
                if (len == buf.length) {
                    ensure(chars - i + 1);
                }
                buf[len++] = (byte) c;
            } else if (Character.isHighSurrogate(c) && i + 1 < chars) {
                char low = (char) ((src[off + 2 * i + 2] & 0xff) | (src[off + 2 * i + 3] & 0xff) << 8);
                if (Character.isLowSurrogate(low)) {
                    codePoint(Character.toCodePoint(c, low));
                    i++;
                } else {
                    ch(c);
                }
            } else {
                ch(c);
            }
        }
    }

    private void ch(char c) {
        ensure(6);
        if (c < 0x80) {
            switch (c) {
                case '"' -> { buf[len++] = '\\'; buf[len++] = '"'; }
                case '\\' -> { buf[len++] = '\\'; buf[len++] = '\\'; }
                case '\n' -> { buf[len++] = '\\'; buf[len++] = 'n'; }
                case '\r' -> { buf[len++] = '\\'; buf[len++] = 'r'; }
                case '\t' -> { buf[len++] = '\\'; buf[len++] = 't'; }
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        buf[len++] = '\\';
                        buf[len++] = 'u';
                        buf[len++] = '0';
                        buf[len++] = '0';
                        buf[len++] = HEX[c >> 4];
                        buf[len++] = HEX[c & 0xf];
                    } else {
                        buf[len++] = (byte) c;
                    }
                }
            }
        } else if (Character.isSurrogate(c)) {
            // a lone surrogate cannot be UTF-8: written as the replacement character, as decoders do
            codePoint(0xFFFD);
        } else {
            codePoint(c);
        }
    }

    private void codePoint(int cp) {
        ensure(4);
        if (cp < 0x80) {
            buf[len++] = (byte) cp;
        } else if (cp < 0x800) {
            buf[len++] = (byte) (0xC0 | cp >> 6);
            buf[len++] = (byte) (0x80 | cp & 0x3F);
        } else if (cp < 0x10000) {
            buf[len++] = (byte) (0xE0 | cp >> 12);
            buf[len++] = (byte) (0x80 | cp >> 6 & 0x3F);
            buf[len++] = (byte) (0x80 | cp & 0x3F);
        } else {
            buf[len++] = (byte) (0xF0 | cp >> 18);
            buf[len++] = (byte) (0x80 | cp >> 12 & 0x3F);
            buf[len++] = (byte) (0x80 | cp >> 6 & 0x3F);
            buf[len++] = (byte) (0x80 | cp & 0x3F);
        }
    }

    /** The characters of {@code s}, escaped, inside a JSON string being written (no quotes). */
    void escaped(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                codePoint(Character.toCodePoint(c, s.charAt(++i)));
            } else {
                ch(c);
            }
        }
    }
}
