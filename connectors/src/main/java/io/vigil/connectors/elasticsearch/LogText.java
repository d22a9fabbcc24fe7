package io.vigil.connectors.elasticsearch;

/**
 * Text from Elasticsearch answers made safe for one log line: Elasticsearch's reasons quote the
 * refused values ("Preview of field's value: …"), which come from logs attackers write, so they
 * are cut to a bounded length and control characters (CR, LF, ESC, …) are shown escaped instead
 * of forging lines or terminal output.
 */
final class LogText {

    /** Characters of an error reason kept in a log line. */
    static final int MAX_CHARS = 300;

    private LogText() {}

    static String bounded(String text) {
        return bounded(text, MAX_CHARS);
    }

    static String bounded(String text, int max) {
        if (text == null) {
            return "";
        }
        int n = Math.min(text.length(), max);
        StringBuilder out = new StringBuilder(n + 16);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > max) {
            out.append("… (").append(text.length() - max).append(" more characters)");
        }
        return out.toString();
    }
}
