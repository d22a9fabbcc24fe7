package io.vigil.model.text;

/**
 * Text from data made safe to show on one line of a log or a terminal. Part of what Vigil reads
 * is written by the people it watches: a line feed in a user name could forge a whole log line,
 * an escape sequence could rewrite an analyst's terminal (hide lines, set the title, fake links),
 * and bidi controls could make text read differently from what it holds. So these characters are
 * written as escapes instead:
 *
 * <ul>
 *   <li>C0 controls U+0000–U+001F: {@code \n}, {@code \r}, {@code \t}, the rest {@code \}{@code u001b}-style;
 *   <li>DEL U+007F and the C1 controls U+0080–U+009F (U+009B is a one-character CSI, U+0085 a line end);
 *   <li>the line and paragraph separators U+2028, U+2029;
 *   <li>bidi controls: the embeddings and overrides U+202A–U+202E, the isolates U+2066–U+2069 and
 *       the marks U+200E, U+200F, U+061C.
 * </ul>
 *
 * <p>Everything else, backslashes included, is kept as it is: Windows paths stay readable, and a
 * literal {@code \n} in data only ever shows as those two characters, never as a line break.
 */
public final class SafeText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SafeText() {}

    /** Whether {@code c} is written as an escape. */
    public static boolean isEscaped(char c) {
        if (c < 0x20 || c == 0x7f) {
            return true;
        }
        if (c < 0x80) {
            return false;
        }
        return c <= 0x9f || c == 0x061c || c == 0x200e || c == 0x200f || c == 0x2028 || c == 0x2029
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }

    /** {@code text} with every escaped character written as its escape; {@code null} stays {@code null}. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int first = firstEscaped(text, 0);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        out.append(text, 0, first);
        appendEscaped(text, first, text.length(), out);
        return out.toString();
    }

    /**
     * At most the first {@code maxChars} characters of {@code text}, escaped, followed by how many
     * were left out: for messages that quote data of any size (a document, a response body).
     */
    public static String bounded(String text, int maxChars) {
        if (maxChars < 0) {
            throw new IllegalArgumentException("maxChars must be 0 or more, got " + maxChars);
        }
        if (text == null || text.length() <= maxChars) {
            return escape(text);
        }
        int end = maxChars;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never cut a character in half
        }
        StringBuilder out = new StringBuilder(end + 40);
        appendEscaped(text, 0, end, out);
        return out.append("... (").append(text.length() - end).append(" more chars)").toString();
    }

    /**
     * Escapes, in place, what {@code buffer} holds from index {@code from} on: for a writer that
     * renders into a buffer first (a log layout) and allocates nothing when there is nothing to escape.
     */
    public static void escapeFrom(StringBuilder buffer, int from) {
        int first = firstEscaped(buffer, from);
        if (first < 0) {
            return;
        }
        String tail = buffer.substring(first);
        buffer.setLength(first);
        appendEscaped(tail, 0, tail.length(), buffer);
    }

    private static int firstEscaped(CharSequence text, int from) {
        for (int i = from; i < text.length(); i++) {
            if (isEscaped(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static void appendEscaped(CharSequence text, int from, int to, StringBuilder out) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!isEscaped(c)) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else {
                out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                        .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
            }
        }
    }
}
