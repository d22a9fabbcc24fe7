package io.vigil.context.intel;

import java.util.ArrayList;
import java.util.List;

/**
 * The part of the STIX 2.1 patterning language an indicator match needs: comparison expressions
 * {@code object-type:property = 'value'} (and {@code ISSUBSET 'cidr'} for addresses) joined by
 * {@code OR}, inside and across observation expressions ({@code [..] OR [..]}), with parentheses.
 * Each comparison on a supported property is one indicator value; a pattern with {@code AND},
 * {@code FOLLOWEDBY}, {@code NOT}, other operators or qualifiers ({@code WITHIN}, {@code REPEATS},
 * {@code START}) states a condition over several observations that a single value cannot match,
 * so it is refused whole ({@link Parsed#unsupported()}). A hand-written scanner: no regular
 * expression, one pass, nesting bounded.
 */
final class StixPattern {

    /** Deepest nesting of brackets and parentheses read. */
    static final int MAX_DEPTH = 32;

    /** One comparison of a supported property: its indicator type and the raw value. */
    record Term(Indicator.Type type, String value) {}

    /**
     * @param terms the comparisons of supported properties
     * @param otherTerms comparisons of properties Vigil does not match ({@code process:name}), skipped
     * @param unsupported why the whole pattern cannot be matched value by value, or {@code null}
     */
    record Parsed(List<Term> terms, int otherTerms, String unsupported) {}

    private final String s;
    private int at;
    private final List<Term> terms = new ArrayList<>();
    private int otherTerms;

    private StixPattern(String s) {
        this.s = s;
    }

    static Parsed parse(String pattern) {
        StixPattern p = new StixPattern(pattern);
        try {
            p.orExpression(0);
            p.skipSpace();
            if (p.at < p.s.length()) {
                throw new Unsupported(p.describeNext());
            }
            if (p.terms.isEmpty() && p.otherTerms == 0) {
                throw new Unsupported("no comparison");
            }
            return new Parsed(p.terms, p.otherTerms, null);
        } catch (Unsupported e) {
            return new Parsed(List.of(), 0, e.getMessage());
        }
    }

    private void orExpression(int depth) {
        unit(depth);
        while (true) {
            skipSpace();
            if (at >= s.length() || s.charAt(at) == ']' || s.charAt(at) == ')') {
                return;
            }
            String word = word();
            if (!word.equals("OR")) {
                throw new Unsupported(word.isEmpty() ? describeNext() : "'" + word + "'");
            }
            unit(depth);
        }
    }

    private void unit(int depth) {
        skipSpace();
        if (at >= s.length()) {
            throw new Unsupported("unexpected end");
        }
        char c = s.charAt(at);
        if (c == '[' || c == '(') {
            if (depth >= MAX_DEPTH) {
                throw new Unsupported("nested deeper than " + MAX_DEPTH);
            }
            at++;
            orExpression(depth + 1);
            skipSpace();
            char close = c == '[' ? ']' : ')';
            if (at >= s.length() || s.charAt(at) != close) {
                throw new Unsupported("'" + c + "' not closed");
            }
            at++;
            return;
        }
        comparison();
    }

    private void comparison() {
        String path = path();
        if (path.isEmpty() || path.indexOf(':') < 0) {
            throw new Unsupported(path.isEmpty() ? describeNext() : "'" + path + "' is no object path");
        }
        skipSpace();
        String op = operator();
        String value = string();
        Indicator.Type type = type(path);
        boolean address = type == Indicator.Type.IPV4_ADDR || type == Indicator.Type.IPV6_ADDR;
        if (!op.equals("=") && !(op.equals("ISSUBSET") && address)) {
            throw new Unsupported("operator " + op);
        }
        if (type == null) {
            otherTerms++;
            return;
        }
        terms.add(new Term(type, value));
    }

    /** The indicator type of an object path, or {@code null} when Vigil does not match it. */
    static Indicator.Type type(String path) {
        return switch (path) {
            case "ipv4-addr:value" -> Indicator.Type.IPV4_ADDR;
            case "ipv6-addr:value" -> Indicator.Type.IPV6_ADDR;
            case "domain-name:value" -> Indicator.Type.DOMAIN_NAME;
            case "url:value" -> Indicator.Type.URL;
            case "file:hashes.MD5" -> Indicator.Type.MD5;
            case "file:hashes.SHA-1", "file:hashes.SHA1" -> Indicator.Type.SHA1;
            case "file:hashes.SHA-256", "file:hashes.SHA256" -> Indicator.Type.SHA256;
            default -> null;
        };
    }

    /** An object path with its quotes removed: {@code file:hashes.'SHA-256'} is {@code file:hashes.SHA-256}. */
    private String path() {
        StringBuilder b = new StringBuilder();
        while (at < s.length()) {
            char c = s.charAt(at);
            if (c == '\'') {
                int end = s.indexOf('\'', at + 1);
                if (end < 0) {
                    throw new Unsupported("quote not closed");
                }
                b.append(s, at + 1, end);
                at = end + 1;
            } else if (Character.isWhitespace(c) || "[]()=!<>".indexOf(c) >= 0) {
                break;
            } else {
                b.append(c);
                at++;
            }
        }
        return b.toString();
    }

    private String operator() {
        if (at < s.length() && "=!<>".indexOf(s.charAt(at)) >= 0) {
            int start = at;
            while (at < s.length() && "=!<>".indexOf(s.charAt(at)) >= 0) {
                at++;
            }
            return s.substring(start, at);
        }
        String w = word();
        if (w.isEmpty()) {
            throw new Unsupported("no operator: " + describeNext());
        }
        return w;
    }

    /** A string literal: single quotes, {@code \'} and {@code \\} escaped. */
    private String string() {
        skipSpace();
        if (at >= s.length() || s.charAt(at) != '\'') {
            throw new Unsupported("the value is not a string literal: " + describeNext());
        }
        StringBuilder b = new StringBuilder();
        at++;
        while (at < s.length()) {
            char c = s.charAt(at++);
            if (c == '\\' && at < s.length()) {
                b.append(s.charAt(at++));
            } else if (c == '\'') {
                return b.toString();
            } else {
                b.append(c);
            }
        }
        throw new Unsupported("string not closed");
    }

    private String word() {
        skipSpace();
        int start = at;
        while (at < s.length() && Character.isLetter(s.charAt(at))) {
            at++;
        }
        return s.substring(start, at);
    }

    private void skipSpace() {
        while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
            at++;
        }
    }

    private String describeNext() {
        return at >= s.length() ? "unexpected end" : "unexpected " + IndicatorValues.shorten(
                s.substring(at, Math.min(s.length(), at + 20)));
    }

    /** The pattern cannot be matched value by value; the message says why. */
    private static final class Unsupported extends RuntimeException {
        Unsupported(String why) {
            super(why, null, false, false);
        }
    }
}
