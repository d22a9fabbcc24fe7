package io.vigil.rules.sigma;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;

/**
 * A Sigma string value with its wildcards: {@code *} (any run), {@code ?} (one character), and
 * the backslash escapes of the specification ({@code \*}, {@code \?} and {@code \\} are the
 * plain characters; a backslash before anything else is itself).
 *
 * @param parts literal text and wildcards in order; a wildcard is {@link #STAR} or {@link #ONE}
 */
record SigmaText(List<String> parts) {

    static final String STAR = "\u0000*";
    static final String ONE = "\u0000?";

    static SigmaText parse(String raw) {
        List<String> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length() && "*?\\".indexOf(raw.charAt(i + 1)) >= 0) {
                lit.append(raw.charAt(++i));
            } else if (c == '*' || c == '?') {
                if (!lit.isEmpty()) {
                    parts.add(lit.toString());
                    lit.setLength(0);
                }
                // a run of stars is one star
                if (c == '?' || parts.isEmpty() || !parts.get(parts.size() - 1).equals(STAR)) {
                    parts.add(c == '*' ? STAR : ONE);
                }
            } else {
                lit.append(c);
            }
        }
        if (!lit.isEmpty()) {
            parts.add(lit.toString());
        }
        return new SigmaText(parts);
    }

    /** A plain text (no wildcards), e.g. what base64 encoding gives. */
    static SigmaText literal(String text) {
        return new SigmaText(text.isEmpty() ? List.of() : List.of(text));
    }

    /** This text with a star before and/or after (contains, endswith, startswith). */
    SigmaText wrap(boolean before, boolean after) {
        List<String> p = new ArrayList<>(parts);
        if (before && (p.isEmpty() || !p.get(0).equals(STAR))) {
            p.add(0, STAR);
        }
        if (after && (p.isEmpty() || !p.get(p.size() - 1).equals(STAR))) {
            p.add(STAR);
        }
        return new SigmaText(p);
    }

    /** The text without its wildcards' meaning (wildcards as the plain characters). */
    String plain() {
        StringBuilder s = new StringBuilder();
        for (String p : parts) {
            s.append(p.equals(STAR) ? "*" : p.equals(ONE) ? "?" : p);
        }
        return s.toString();
    }

    /** The cheapest test for this text: a literal comparison when it can be one, else a whole-value RE2/J match. */
    ValueTest test(boolean cased) {
        List<String> p = parts;
        int n = p.size();
        boolean starFirst = n > 0 && p.get(0).equals(STAR);
        boolean starLast = n > 0 && p.get(n - 1).equals(STAR);
        List<String> middle = p.subList(starFirst ? 1 : 0, Math.max(starFirst ? 1 : 0, starLast ? n - 1 : n));
        if (middle.isEmpty()) {
            return TextTest.of(starFirst ? TextTest.Kind.CONTAINS : TextTest.Kind.EQUALS, "", cased);
        }
        if (middle.size() == 1 && !isWildcard(middle.get(0))) {
            TextTest.Kind kind = starFirst && starLast ? TextTest.Kind.CONTAINS
                    : starFirst ? TextTest.Kind.ENDS : starLast ? TextTest.Kind.STARTS : TextTest.Kind.EQUALS;
            return TextTest.of(kind, middle.get(0), cased);
        }
        StringBuilder re = new StringBuilder();
        String longest = null;
        for (String part : p) {
            re.append(part.equals(STAR) ? ".*" : part.equals(ONE) ? "." : Pattern.quote(part));
            if (!isWildcard(part) && (longest == null || part.length() > longest.length())) {
                longest = part;
            }
        }
        int flags = Pattern.DOTALL | (cased ? 0 : Pattern.CASE_INSENSITIVE);
        return new RegexTest(Pattern.compile(re.toString(), flags), true, longest);
    }

    private static boolean isWildcard(String part) {
        return part.equals(STAR) || part.equals(ONE);
    }
}
