package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.rules.cloud.AwsIdentities;
import io.vigil.rules.privilege.ShellCommands;
import io.vigil.rules.web.WebTargets;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every regular expression a packaged rule uses runs in linear time on crafted input, shown
 * without a clock: the work of a match is the number of characters the engine reads (a text that
 * counts its {@code charAt} calls), and reading twice the input may cost at most about twice the
 * work ({@link #MAX_GROWTH}), for every pathological input family below; and 100k characters
 * never overflow the stack.
 *
 * <p>The patterns are discovered, never listed: every static {@code Pattern} field of every class
 * of the rules module (RE2/J or java.util.regex, found by reflection over the compiled classes),
 * and every regular expression literal of every packaged DRL file ({@code matches}, {@code ~=},
 * {@code fullMatch(…, "…")}, and the String methods that take one). A new pattern cannot escape
 * the test; a pattern the test cannot read (not a literal) fails it.
 */
class RulePatternsLinearTest {

    /** Work at 2n over work at n, at most: linear is 2, quadratic backtracking 4. */
    static final double MAX_GROWTH = 2.5;
    /** Units repeated in the smaller input of each family (the larger has twice as many). */
    static final int UNITS = 250;
    /** Characters of the input that must not overflow the stack. */
    static final int LONG = 100_000;

    /** A discovered pattern: where it is, and how to run it on a text. */
    record Found(String where, String regex, Engine engine) {
        @Override
        public String toString() {
            return where + " (" + engine + ") " + regex;
        }
    }

    enum Engine {
        RE2J {
            @Override
            boolean find(String regex, CharSequence text) {
                return LinearRegex.compiled(regex).matcher(text).find();
            }

            @Override
            boolean matches(String regex, CharSequence text) {
                return LinearRegex.compiled(regex).matcher(text).matches();
            }
        },
        JAVA_UTIL_REGEX {
            @Override
            boolean find(String regex, CharSequence text) {
                return java.util.regex.Pattern.compile(regex).matcher(text).find();
            }

            @Override
            boolean matches(String regex, CharSequence text) {
                return java.util.regex.Pattern.compile(regex).matcher(text).matches();
            }
        };

        abstract boolean find(String regex, CharSequence text);

        abstract boolean matches(String regex, CharSequence text);
    }

    /** Reads per input character beyond which a match is stopped: a backtracking blow-up, not a hang. */
    static final int BUDGET_PER_CHAR = 200;

    /**
     * A text that counts the characters read from it, and stops a match that reads more than
     * {@link #BUDGET_PER_CHAR} times its length (so an exponential pattern fails the test
     * instead of hanging it).
     */
    static final class CountingText implements CharSequence {
        private final String text;
        private final long budget;
        long reads;

        CountingText(String text) {
            this.text = text;
            this.budget = (long) BUDGET_PER_CHAR * text.length() + 10_000;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if (++reads > budget) {
                throw new IllegalStateException("more than " + BUDGET_PER_CHAR + " reads per character of a "
                        + text.length() + "-character input: not linear");
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            reads += end - start;
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            reads += text.length();
            return text;
        }
    }

    /** Input made of a prefix, a unit repeated, and a suffix; what attackers send. */
    record Family(String prefix, String unit, String suffix) {
        String of(int units) {
            return prefix + unit.repeat(units) + suffix;
        }

        String ofLength(int chars) {
            return of(Math.max(1, (chars - prefix.length() - suffix.length()) / unit.length()));
        }

        @Override
        public String toString() {
            return "'" + prefix + "' + '" + unit + "'×n + '" + suffix + "'";
        }
    }

    /**
     * Prefixes that get a pattern started (its literal openings), units that feed its repeated
     * parts, and tails that make it fail at the very end, which is where backtracking engines
     * retry every split.
     */
    static List<Family> families() {
        List<String> prefixes = List.of("", "union", "union all", "select ", "'", "' or '", "<svg", "<img ", "../",
                "/usr/bin/python -", "/usr/bin/perl -c '", "/bin/", "/usr/bin/su", "arn:aws:sts::1:assumed-role/r/",
                "172.16.", "0x", "%%84");
        List<String> units = List.of("+", " ", "/**/", "/*", "*", "'or'", "../", "..//", "a", "c", "0", "1=1 ", "-",
                " -", "%", "<", "=", ". ", "\t");
        List<Family> out = new ArrayList<>();
        for (String p : prefixes) {
            for (String u : units) {
                out.add(new Family(p, u, "x"));
                out.add(new Family(p, u, ""));
            }
        }
        return out;
    }

    private static List<Found> patterns;
    private static List<String> unreadable;

    @BeforeAll
    static void discover() throws Exception {
        patterns = new ArrayList<>();
        unreadable = new ArrayList<>();
        patterns.addAll(helperPatterns());
        patterns.addAll(drlPatterns(unreadable));
    }

    @Test
    void theDiscoveryFindsThePatternsKnownToExist() {
        assertThat(patterns).extracting(Found::where).contains(
                WebTargets.class.getName() + ".SQLI", WebTargets.class.getName() + ".TRAVERSAL",
                WebTargets.class.getName() + ".XSS", ShellCommands.class.getName() + ".SPAWN",
                AwsIdentities.class.getName() + ".ASSUMED_ROLE", AwsIdentities.class.getName() + ".INSTANCE_ID");
        assertThat(patterns).extracting(Found::where).anyMatch(w -> w.startsWith("io/vigil/rules/kerberos/kerberos.drl"))
                .anyMatch(w -> w.startsWith("io/vigil/rules/logging/logging.drl"));
    }

    @Test
    void everyRegularExpressionInTheDrlIsALiteralTheTestChecks() {
        assertThat(unreadable).isEmpty();
    }

    @Test
    void everyPatternOfTheRulesRunsOnRe2j() {
        assertThat(patterns).filteredOn(p -> p.engine() != Engine.RE2J).as("patterns on a backtracking engine")
                .isEmpty();
    }

    @Test
    void noClassOfTheRulesUsesJavaUtilRegex() throws Exception {
        List<String> users = new ArrayList<>();
        for (Path c : classFiles()) {
            String bytes = new String(Files.readAllBytes(c), StandardCharsets.ISO_8859_1);
            if (bytes.contains("java/util/regex")) {
                users.add(c.toString());
            }
        }
        assertThat(users).as("classes referring to java.util.regex (use RE2/J)").isEmpty();
    }

    @TestFactory
    Stream<DynamicTest> everyPatternDoesLinearWorkOnCraftedInput() {
        List<Family> families = families();
        return patterns.stream().map(p -> DynamicTest.dynamicTest(p.toString(), () -> {
            for (Family f : families) {
                for (boolean whole : new boolean[] {false, true}) {
                    long small = work(p, f.of(UNITS), whole);
                    long large = work(p, f.of(2 * UNITS), whole);
                    assertThat((double) large).as("%s of %s on %s: work %d at n, %d at 2n",
                            whole ? "matches" : "find", p, f, small, large)
                            .isLessThanOrEqualTo(MAX_GROWTH * small + 64);
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyPatternSurvivesLongInput() {
        List<Family> families = List.of(new Family("union", " ", "x"), new Family("union", "/**/", "x"),
                new Family("union/*", "*", ""), new Family("' ", "'or'", ""), new Family("", "../", "x"),
                new Family("/usr/bin/python -", "a", "x"), new Family("", "a", ""), new Family("<svg", " ", ""),
                new Family("select ", "a ", "x"), new Family("0x", "0", "x"));
        return patterns.stream().map(p -> DynamicTest.dynamicTest(p.toString(), () -> {
            for (Family f : families) {
                // a StackOverflowError fails the test, and so does work beyond the budget
                p.engine().find(p.regex(), new CountingText(f.ofLength(LONG)));
                p.engine().matches(p.regex(), new CountingText(f.ofLength(LONG)));
            }
        }));
    }

    @Test
    void theWebTargetIsCappedAndAnalysedWhateverItsLength() {
        String plus = "/index.php?q=union" + "+".repeat(8000) + "x";
        assertThat(WebTargets.webAttack(plus)).isNull();
        assertThat(WebTargets.webAttack("/index.php?q=1+union+select+password+from+users")).isEqualTo("sqli");
        String huge = "/?q=" + "%2525".repeat(LONG);
        assertThat(WebTargets.normalizedTarget(huge)).hasSizeLessThanOrEqualTo(WebTargets.MAX_TARGET_CHARS);
        assertThat(WebTargets.webAttack(huge + "<script>")).isNull(); // beyond what a server accepts
        assertThat(ShellCommands.isShellCommand("/usr/bin/python -" + "a".repeat(LONG))).isFalse();
        assertThat(AwsIdentities.isInstanceRoleSession("arn:aws:sts::" + "1".repeat(LONG))).isFalse();
    }

    private static long work(Found p, String input, boolean whole) {
        CountingText text = new CountingText(input);
        try {
            if (whole) {
                p.engine().matches(p.regex(), text);
            } else {
                p.engine().find(p.regex(), text);
            }
        } catch (IllegalStateException | StackOverflowError e) {
            throw new AssertionError((whole ? "matches" : "find") + " of " + p + " on '"
                    + input.substring(0, Math.min(40, input.length())) + "…': " + e, e);
        }
        return text.reads;
    }

    // ------------------------------------------------------------------ discovery

    private static Path classesRoot() throws URISyntaxException {
        return Path.of(RuleSource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static List<Path> classFiles() throws IOException, URISyntaxException {
        Path root = classesRoot();
        try (Stream<Path> walk = Files.walk(root.resolve("io/vigil/rules"))) {
            return walk.filter(f -> f.toString().endsWith(".class")).sorted().toList();
        }
    }

    /** Every static Pattern field (RE2/J or java.util.regex) of the rules module's classes. */
    static List<Found> helperPatterns() throws Exception {
        Path root = classesRoot();
        List<Found> out = new ArrayList<>();
        for (Path c : classFiles()) {
            String name = root.relativize(c).toString().replace('\\', '/').replace('/', '.').replaceAll("\\.class$", "");
            Class<?> type = Class.forName(name, false, RulePatternsLinearTest.class.getClassLoader());
            for (Field f : type.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                boolean re2 = f.getType() == com.google.re2j.Pattern.class;
                boolean java = f.getType() == java.util.regex.Pattern.class;
                if (re2 || java) {
                    f.setAccessible(true);
                    Object value = f.get(null);
                    String regex = re2 ? ((com.google.re2j.Pattern) value).pattern()
                            : ((java.util.regex.Pattern) value).pattern();
                    out.add(new Found(type.getName() + "." + f.getName(), regex, re2 ? Engine.RE2J : Engine.JAVA_UTIL_REGEX));
                }
            }
        }
        return out;
    }

    private static final java.util.regex.Pattern ANNOTATION =
            java.util.regex.Pattern.compile("@\\w+\\((\"(?:[^\"\\\\]|\\\\.)*\"|[^)\"])*\\)");
    private static final String LITERAL = "\"((?:[^\"\\\\]|\\\\.)*)\"";
    /** The DRL operator, and the String methods whose argument is a java.util.regex pattern. */
    private static final java.util.regex.Pattern JAVA_REGEX_USE = java.util.regex.Pattern.compile(
            "(?:(?<!\\.)\\bmatches|~=)\\s*(" + LITERAL + "|[^\\s,)]+)"
            + "|\\.(?:matches|replaceAll|replaceFirst|split)\\s*\\(\\s*(" + LITERAL + "|[^,)]+)");
    private static final java.util.regex.Pattern FULL_MATCH_CALL = java.util.regex.Pattern.compile("\\bfullMatch\\s*\\(");
    private static final java.util.regex.Pattern OTHER_REGEX_USE =
            java.util.regex.Pattern.compile("java\\.util\\.regex|Pattern\\s*\\.\\s*compile");

    /**
     * Every regular expression literal of the packaged DRL files; what is not a literal goes to
     * {@code unreadable}.
     */
    static List<Found> drlPatterns(List<String> unreadable) {
        List<Found> out = new ArrayList<>();
        for (RuleSource source : RuleSource.packaged()) {
            String code = ANNOTATION.matcher(withoutComments(source.drl())).replaceAll(" ");
            Matcher java = JAVA_REGEX_USE.matcher(code);
            while (java.find()) {
                String literal = java.group(2) != null ? java.group(2) : java.group(4);
                if (literal != null) {
                    out.add(new Found(source.file() + " " + java.group().strip(), unescape(literal), Engine.JAVA_UTIL_REGEX));
                } else {
                    unreadable.add(source.file() + ": " + java.group().strip());
                }
            }
            Matcher other = OTHER_REGEX_USE.matcher(code);
            while (other.find()) {
                unreadable.add(source.file() + ": " + other.group());
            }
            Matcher call = FULL_MATCH_CALL.matcher(code);
            while (call.find()) {
                String last = lastArgument(code, call.end() - 1);
                if (last.matches(LITERAL)) {
                    out.add(new Found(source.file() + " fullMatch", unescape(last.substring(1, last.length() - 1)),
                            Engine.RE2J));
                } else {
                    unreadable.add(source.file() + ": fullMatch(…, " + last + ")");
                }
            }
        }
        return out;
    }

    /** {@code drl} with its comments blanked out (not the "//" of a URL in a string). */
    private static String withoutComments(String drl) {
        StringBuilder out = new StringBuilder(drl.length());
        for (int i = 0; i < drl.length(); i++) {
            char c = drl.charAt(i);
            if (c == '"') {
                int end = i + 1;
                while (end < drl.length() && drl.charAt(end) != '"') {
                    end += drl.charAt(end) == '\\' ? 2 : 1;
                }
                out.append(drl, i, Math.min(end + 1, drl.length()));
                i = end;
            } else if (drl.startsWith("//", i)) {
                int end = drl.indexOf('\n', i);
                i = (end < 0 ? drl.length() : end) - 1;
                out.append(' ');
            } else if (drl.startsWith("/*", i)) {
                int end = drl.indexOf("*/", i + 2);
                i = (end < 0 ? drl.length() : end + 2) - 1;
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The last argument of the call whose '(' is at {@code open}, as written. */
    private static String lastArgument(String code, int open) {
        int depth = 0;
        int start = open + 1;
        boolean quoted = false;
        for (int i = open; i < code.length(); i++) {
            char c = code.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                if (--depth == 0) {
                    return code.substring(start, i).strip();
                }
            } else if (c == ',' && depth == 1) {
                start = i + 1;
            }
        }
        return code.substring(start).strip();
    }

    private static String unescape(String drlLiteral) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < drlLiteral.length(); i++) {
            char c = drlLiteral.charAt(i);
            if (c == '\\' && i + 1 < drlLiteral.length() && (drlLiteral.charAt(i + 1) == '\\' || drlLiteral.charAt(i + 1) == '"')) {
                out.append(drlLiteral.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

}
