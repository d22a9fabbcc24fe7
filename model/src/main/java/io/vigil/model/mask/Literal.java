package io.vigil.model.mask;

/**
 * Replaces every occurrence of one literal text (a password typed as a user name) in linear time
 * (Knuth–Morris–Pratt): the text and the literal both come from the input, so no search may cost
 * their product.
 */
final class Literal {

    private final String literal;
    private final int[] fallback;

    Literal(String literal) {
        if (literal.isEmpty()) {
            throw new IllegalArgumentException("empty literal");
        }
        this.literal = literal;
        fallback = new int[literal.length()];
        int k = 0;
        for (int i = 1; i < literal.length(); i++) {
            while (k > 0 && literal.charAt(i) != literal.charAt(k)) {
                k = fallback[k - 1];
            }
            if (literal.charAt(i) == literal.charAt(k)) {
                k++;
            }
            fallback[i] = k;
        }
    }

    String text() {
        return literal;
    }

    /** {@code s} with each occurrence replaced by {@code with} (the same instance when there is none). */
    String replace(String s, String with) {
        if (s == null || s.length() < literal.length()) {
            return s;
        }
        StringBuilder out = null;
        int copied = 0;
        int k = 0;
        int m = literal.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            while (k > 0 && c != literal.charAt(k)) {
                k = fallback[k - 1];
            }
            if (c == literal.charAt(k)) {
                k++;
            }
            if (k == m) {
                int start = i - m + 1;
                if (out == null) {
                    out = new StringBuilder(s.length());
                }
                out.append(s, copied, start).append(with);
                copied = i + 1;
                k = 0; // occurrences do not overlap
            }
        }
        return out == null ? s : out.append(s, copied, s.length()).toString();
    }
}
