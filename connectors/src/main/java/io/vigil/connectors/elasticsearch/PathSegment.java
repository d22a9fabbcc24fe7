package io.vigil.connectors.elasticsearch;

import java.nio.charset.StandardCharsets;

/**
 * A value (a document id, typed by an analyst or taken from a document) made safe to be one
 * segment of an Elasticsearch request path: every byte of its UTF-8 form but ASCII letters,
 * digits, {@code -}, {@code _} and {@code ~} is percent-encoded. So {@code /}, {@code ?},
 * {@code #}, spaces and {@code +} stay inside the segment, and no segment is ever {@code .} or
 * {@code ..} (dots are encoded too), which a proxy or client might resolve into another endpoint.
 * Elasticsearch decodes the segment back to the value.
 */
public final class PathSegment {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PathSegment() {}

    /**
     * {@code value} as one encoded path segment.
     *
     * @throws IllegalArgumentException when {@code value} is empty: an empty segment would name
     *     the collection ({@code /index/_doc/}) instead of a document
     */
    public static String encode(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("an empty value cannot be a path segment");
        }
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }
}
