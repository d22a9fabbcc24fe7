package io.vigil.rules;

import com.google.re2j.Pattern;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Regular expressions for rules, in linear time: a DRL {@code matches} runs java.util.regex,
 * which backtracks (exponential time or a stack overflow on crafted input), so the packaged rules
 * call {@link #fullMatch} instead ({@code import function io.vigil.rules.LinearRegex.fullMatch;}).
 * RE2/J never backtracks: its time is linear in the input, whatever the pattern.
 *
 * <p>RE2 syntax is Java's for what rules use (classes, {@code (?i)}, alternation, counted
 * repetition); it has no back-references or look-around. Two differences: {@code \s} is
 * {@code [\t\n\f\r ]} (Java's also has {@code \x0B}) and {@code .} matches every character but
 * {@code \n} (Java's also excludes {@code \r}, U+0085, U+2028 and U+2029).
 */
public final class LinearRegex {

    /**
     * Most patterns kept compiled. A rule's patterns are literals, a handful per pack; the bound
     * only matters for a rule that builds a pattern from data, which then compiles it each time.
     */
    static final int MAX_CACHED = 256;

    private static final ConcurrentHashMap<String, Pattern> COMPILED = new ConcurrentHashMap<>();

    private LinearRegex() {}

    /** Whether all of {@code value} matches {@code regex} (as DRL's {@code matches}); false for null. */
    public static boolean fullMatch(String value, String regex) {
        return value != null && compiled(regex).matches(value);
    }

    /** {@code regex} compiled once (RE2/J), for the patterns rules write as literals. */
    static Pattern compiled(String regex) {
        Pattern p = COMPILED.get(regex);
        if (p == null) {
            p = Pattern.compile(regex);
            if (COMPILED.size() < MAX_CACHED) {
                COMPILED.putIfAbsent(regex, p);
            }
        }
        return p;
    }
}
