package io.vigil.rules;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * One criterion of a correlation condition: the count (or sum, or average) of a window compared
 * with a number. A Sigma correlation's {@code condition} is a list of them joined by AND
 * ({@code gt: 100, lte: 200}); a DRL rule's {@code @threshold(n)} is {@code gte n}.
 *
 * @param op {@code gt}, {@code gte}, {@code lt}, {@code lte}, {@code eq} or {@code neq}
 * @param value the number compared with
 */
public record Comparison(String op, double value) implements Serializable {

    public static final List<String> OPS = List.of("gt", "gte", "lt", "lte", "eq", "neq");

    public Comparison {
        op = op.toLowerCase(Locale.ROOT);
        if (!OPS.contains(op)) {
            throw new IllegalArgumentException("a condition compares with one of " + OPS + ", not '" + op + "'");
        }
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("a condition compares with a number, not NaN");
        }
    }

    public static Comparison atLeast(double n) {
        return new Comparison("gte", n);
    }

    /** Whether {@code x} meets this criterion. */
    public boolean test(double x) {
        return switch (op) {
            case "gt" -> x > value;
            case "gte" -> x >= value;
            case "lt" -> x < value;
            case "lte" -> x <= value;
            case "eq" -> x == value;
            default -> x != value;
        };
    }

    /** Whether {@code x} meets every criterion of {@code all}. */
    public static boolean all(List<Comparison> all, double x) {
        for (Comparison c : all) {
            if (!c.test(x)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return op + " " + (value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value));
    }
}
