package io.vigil.rules.sigma;

import java.util.Locale;

/**
 * A literal compared with a value: equal, contained, at the start or at the end; case-insensitive
 * (against the lower-cased value) unless {@code cased}.
 */
record TextTest(Kind kind, String needle, boolean cased) implements ValueTest {

    enum Kind { EQUALS, CONTAINS, STARTS, ENDS }

    static TextTest of(Kind kind, String literal, boolean cased) {
        return new TextTest(kind, cased ? literal : literal.toLowerCase(Locale.ROOT), cased);
    }

    /** Whether passing means the lower-cased value equals {@link #needle()}. */
    boolean isEquality() {
        return kind == Kind.EQUALS && !cased;
    }

    @Override
    public String literal() {
        // not cased: the test itself reads the lower-cased value with a lower-cased needle
        return needle.isEmpty() ? null : cased ? ValueTest.asciiLower(needle) : needle;
    }

    @Override
    public boolean test(String value, String lower) {
        String v = cased ? value : lower;
        return switch (kind) {
            case EQUALS -> v.equals(needle);
            case CONTAINS -> v.contains(needle);
            case STARTS -> v.startsWith(needle);
            case ENDS -> v.endsWith(needle);
        };
    }
}
