package io.vigil.rules.correlate;

/**
 * The number a hit carries for {@code VALUE_SUM} and {@code VALUE_AVG}, read from event text
 * (untrusted): plain decimal notation only, an optional sign, digits with an optional fraction and
 * an optional exponent, at most {@link #MAX_LENGTH} characters. {@link Double#parseDouble} alone
 * would also take {@code NaN}, {@code Infinity}, hexadecimal and {@code 1d}; none of them is a
 * field value a sum should absorb.
 */
final class NumericValue {

    /** Longer text is not a number (a 64-bit value has 20 digits; a double prints in 24 characters). */
    static final int MAX_LENGTH = 64;

    private NumericValue() {}

    /** The finite number {@code text} spells, or {@code null} when it is not one. */
    static Double parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        if (s.isEmpty() || s.length() > MAX_LENGTH || !decimal(s)) {
            return null;
        }
        double d = Double.parseDouble(s);
        return Double.isFinite(d) ? d : null;
    }

    /** {@code [+-]? digits ( . digits? )? ( [eE] [+-]? digits )?}, or {@code .digits} for the mantissa. */
    private static boolean decimal(String s) {
        int i = 0;
        int n = s.length();
        if (s.charAt(i) == '+' || s.charAt(i) == '-') {
            i++;
        }
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponent = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                exponent++;
            }
            if (exponent == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
