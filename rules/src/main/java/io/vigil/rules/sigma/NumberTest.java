package io.vigil.rules.sigma;

/**
 * A number compared with a value that reads as a number: {@code eq} for a YAML number
 * ({@code EventID: 4720} matches "4720" and "04720"), {@code lt}/{@code lte}/{@code gt}/{@code gte}
 * for those modifiers. A value that is not a number does not match (except equal text for {@code eq}).
 */
record NumberTest(String op, double number, String text) implements ValueTest {

    @Override
    public boolean test(String value, String lower) {
        if (op.equals("eq")) {
            return value.equals(text) || (!canonical(value) && sameInteger(value));
        }
        double v = parse(value);
        if (Double.isNaN(v)) {
            return false;
        }
        return switch (op) {
            case "lt" -> v < number;
            case "lte" -> v <= number;
            case "gt" -> v > number;
            case "gte" -> v >= number;
            default -> v == number;
        };
    }

    /**
     * Whether {@code value} is an integer written the one way a YAML integer is (digits, no
     * leading zero): then only equal text is an equal number, no parsing needed.
     */
    private boolean canonical(String value) {
        int n = value.length();
        if (n == 0 || n > 18 || number != Math.rint(number) || value.charAt(0) == '0' && n > 1) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return text.equals(Long.toString((long) number)); // the rule's number written canonically too
    }

    /**
     * For {@code eq} of an integer: the value in decimal with an optional sign and leading zeros
     * ({@code 04720}); such a value contains the integer's digits, which {@link #literal()} uses.
     */
    private boolean sameInteger(String value) {
        if (number != Math.rint(number) || Math.abs(number) > 1e15) {
            double v = parse(value);
            return !Double.isNaN(v) && v == number;
        }
        String s = value.strip();
        if (s.isEmpty() || s.length() > 20) {
            return false;
        }
        try {
            return Long.parseLong(s.startsWith("+") ? s.substring(1) : s) == (long) number;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public String literal() {
        // an integer compared for equality: its digits occur in every value that equals it
        return op.equals("eq") && number == Math.rint(number) && Math.abs(number) <= 1e15
                ? Long.toString(Math.abs((long) number)) : null;
    }

    /** The value as a number, NaN when it is not one (bounded: long text is not a number). */
    static double parse(String value) {
        String s = value.strip();
        if (s.isEmpty() || s.length() > 40) {
            return Double.NaN;
        }
        char c = s.charAt(0);
        if (!(c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9'))) {
            return Double.NaN;
        }
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return Long.parseLong(s.substring(2), 16);
            }
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
