package io.vigil.rules.sigma;

import com.google.re2j.Pattern;

/**
 * A regular expression run by RE2/J (linear time in the value's length, whatever the pattern),
 * searched anywhere in the value ({@code re}), or matching the whole value (wildcards).
 */
record RegexTest(Pattern pattern, boolean whole, String literal) implements ValueTest {

    /** @param literal a lower-cased text every match contains (a wildcard pattern's longest plain part), or null */
    RegexTest {
        literal = ValueTest.asciiLower(literal);
    }

    RegexTest(Pattern pattern, boolean whole) {
        this(pattern, whole, null);
    }

    @Override
    public boolean test(String value, String lower) {
        return whole ? pattern.matches(value) : pattern.matcher(value).find();
    }
}
