package io.vigil.jobs.metrics;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The metric names a PromQL expression reads: its identifiers that are not functions (followed by
 * {@code (}), aggregation operators, keywords, label names (inside {@code {...}} or the label
 * lists of {@code by}, {@code without}, {@code on}, {@code ignoring}, {@code group_left},
 * {@code group_right}), Grafana variables ({@code $job}), numbers, durations or strings.
 */
public final class PromQl {

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan", "atan2", "start", "end");
    /** Aggregation operators: followed by {@code (} or by {@code by (...)}/{@code without (...)} then {@code (}. */
    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
            "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
    private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right");

    private PromQl() {}

    /** The metric names of {@code expr}, in order of appearance. */
    public static Set<String> metricNames(String expr) {
        Set<String> names = new LinkedHashSet<>();
        int i = 0;
        int n = expr.length();
        while (i < n) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(expr, i);
            } else if (c == '{') {
                i = skipTo(expr, i, '}');
            } else if (c == '[') {
                i = skipTo(expr, i, ']');
            } else if (c == '$') {
                i = skipWord(expr, i + 1);
            } else if (Character.isDigit(c) || c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1))) {
                i = skipWord(expr, i); // a number or a duration (5m, 1e3, 0x1f)
            } else if (identifierStart(c)) {
                int end = skipWord(expr, i);
                String word = expr.substring(i, end);
                int next = skipSpaces(expr, end);
                boolean call = next < n && expr.charAt(next) == '(';
                if (LABEL_LISTS.contains(word)) {
                    i = call ? skipTo(expr, next, ')') : end;
                    continue;
                }
                String lower = word.toLowerCase(java.util.Locale.ROOT);
                if (!call && !KEYWORDS.contains(lower) && !AGGREGATIONS.contains(lower)) {
                    names.add(word);
                }
                i = end;
            } else {
                i++;
            }
        }
        return names;
    }

    private static boolean identifierStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':';
    }

    private static boolean identifierPart(char c) {
        return identifierStart(c) || c >= '0' && c <= '9';
    }

    private static int skipWord(String s, int i) {
        while (i < s.length() && (identifierPart(s.charAt(i)) || s.charAt(i) == '.' && i > 0
                && Character.isDigit(s.charAt(i - 1)))) {
            i++;
        }
        return i;
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Past the {@code close} that ends what starts at {@code i}, strings inside skipped. */
    private static int skipTo(String s, int i, char close) {
        i++;
        while (i < s.length() && s.charAt(i) != close) {
            char c = s.charAt(i);
            i = c == '"' || c == '\'' || c == '`' ? skipString(s, i) : i + 1;
        }
        return Math.min(i + 1, s.length());
    }

    private static int skipString(String s, int i) {
        char quote = s.charAt(i);
        i++;
        while (i < s.length() && s.charAt(i) != quote) {
            i += s.charAt(i) == '\\' && quote != '`' ? 2 : 1;
        }
        return Math.min(i + 1, s.length());
    }
}
