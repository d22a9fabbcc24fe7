package io.vigil.rules.sigma;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses a Sigma condition into a matcher over the detection's compiled identifiers:
 * {@code and}, {@code or}, {@code not} (that precedence, highest last), parentheses,
 * {@code 1 of x*}, {@code all of x*}, {@code 1 of them}, {@code all of them} ({@code them}: every
 * identifier not starting with {@code _}). The Sigma 1 aggregations ({@code | count() …}) are
 * unsupported: correlation rules replace them.
 */
final class ConditionParser {

    /** Deepest nesting accepted: a condition is parsed recursively. */
    static final int MAX_DEPTH = 64;

    private final Map<String, Matcher> identifiers;
    private final List<String> tokens;
    private int pos;
    private int depth;

    private ConditionParser(Map<String, Matcher> identifiers, List<String> tokens) {
        this.identifiers = identifiers;
        this.tokens = tokens;
    }

    /** @param identifiers the compiled search identifiers, in the detection's order */
    static Matcher parse(String condition, Map<String, Matcher> identifiers) throws SigmaException {
        if (condition.contains("|")) {
            throw SigmaException.unsupported("the condition aggregates (" + condition.strip()
                    + "); Sigma 1 aggregations are not run, use a correlation rule");
        }
        ConditionParser p = new ConditionParser(identifiers, tokenize(condition));
        if (p.tokens.isEmpty()) {
            throw SigmaException.problem("the condition is empty");
        }
        Matcher m = p.or();
        if (p.pos < p.tokens.size()) {
            throw SigmaException.problem("unexpected '" + p.tokens.get(p.pos) + "' in condition '" + condition + "'");
        }
        return m;
    }

    private static List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '(' || c == ')' || Character.isWhitespace(c)) {
                if (!cur.isEmpty()) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
                if (c != ' ' && !Character.isWhitespace(c)) {
                    out.add(String.valueOf(c));
                }
            } else {
                cur.append(c);
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur.toString());
        }
        return out;
    }

    private String peek() {
        return pos < tokens.size() ? tokens.get(pos) : null;
    }

    private boolean accept(String keyword) {
        String t = peek();
        if (t != null && t.toLowerCase(Locale.ROOT).equals(keyword)) {
            pos++;
            return true;
        }
        return false;
    }

    private Matcher or() throws SigmaException {
        if (++depth > MAX_DEPTH) {
            throw SigmaException.problem("the condition nests deeper than " + MAX_DEPTH);
        }
        List<Matcher> any = new ArrayList<>(List.of(and()));
        while (accept("or")) {
            any.add(and());
        }
        depth--;
        return Matchers.or(any);
    }

    private Matcher and() throws SigmaException {
        List<Matcher> all = new ArrayList<>(List.of(not()));
        while (accept("and")) {
            all.add(not());
        }
        return Matchers.and(all);
    }

    private Matcher not() throws SigmaException {
        if (accept("not")) {
            if (++depth > MAX_DEPTH) {
                throw SigmaException.problem("the condition nests deeper than " + MAX_DEPTH);
            }
            Matcher inner = not();
            depth--;
            return Matchers.not(inner);
        }
        return primary();
    }

    private Matcher primary() throws SigmaException {
        String t = peek();
        if (t == null) {
            throw SigmaException.problem("the condition ends too early");
        }
        if (accept("(")) {
            Matcher inner = or();
            if (!accept(")")) {
                throw SigmaException.problem("a '(' of the condition is not closed");
            }
            return inner;
        }
        String lower = t.toLowerCase(Locale.ROOT);
        if ((lower.equals("1") || lower.equals("all") || lower.equals("any")) && pos + 1 < tokens.size()
                && tokens.get(pos + 1).equalsIgnoreCase("of")) {
            pos += 2;
            String target = peek();
            if (target == null) {
                throw SigmaException.problem("'" + t + " of' names no identifier");
            }
            pos++;
            List<Matcher> chosen = select(target);
            return lower.equals("all") ? Matchers.and(chosen) : Matchers.or(chosen);
        }
        if (t.equals(")") || lower.equals("and") || lower.equals("or")) {
            throw SigmaException.problem("unexpected '" + t + "' in the condition");
        }
        pos++;
        Matcher m = identifiers.get(t);
        if (m == null) {
            throw SigmaException.problem("the condition names '" + t + "', which the detection does not define");
        }
        return m;
    }

    /** The identifiers {@code x*} (or {@code them}) names, in the detection's order. */
    private List<Matcher> select(String target) throws SigmaException {
        List<Matcher> out = new ArrayList<>();
        boolean them = target.equalsIgnoreCase("them");
        com.google.re2j.Pattern glob = them ? null : com.google.re2j.Pattern.compile(quoteGlob(target));
        for (Map.Entry<String, Matcher> e : identifiers.entrySet()) {
            String name = e.getKey();
            if (them ? !name.startsWith("_") : glob.matcher(name).matches()) {
                out.add(e.getValue());
            }
        }
        if (out.isEmpty()) {
            throw SigmaException.problem("'of " + target + "' names no identifier of the detection");
        }
        return out;
    }

    private static String quoteGlob(String target) {
        StringBuilder re = new StringBuilder();
        for (char c : target.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : com.google.re2j.Pattern.quote(String.valueOf(c)));
        }
        return re.toString();
    }
}
