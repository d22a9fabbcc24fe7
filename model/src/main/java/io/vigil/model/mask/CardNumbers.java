package io.vigil.model.mask;

/**
 * Finds payment card numbers in text and masks them in place: 13 to 19 digits, in groups
 * separated by one space or one dash, passing the Luhn check. At most the first six and the last
 * four digits stay; the others become {@code *}, separators stay where they were.
 *
 * <p>The first digit must be 2 to 6, as the numbers of the card networks are (so epoch times in
 * milliseconds or nanoseconds, starting with 1, are left alone). A run of digits longer than 19 is never a card (a 25-digit id). A run touching letters is
 * tried like any other ({@code pan4111…}): a hex hash with 13 to 19 digits in a row that pass Luhn
 * loses some of them, which is the price of never letting a card through. Within a longer
 * run of separated groups ({@code 4111 1111 1111 1111 2026}), each window of whole groups of 13
 * to 19 digits is tried, longest first, from the left: a card followed by a year is still found.
 *
 * <p>One pass: a window never spans more than 19 digits, so each group starts at most a bounded
 * number of window tries of bounded length.
 */
final class CardNumbers {

    static final int MIN_DIGITS = 13;
    static final int MAX_DIGITS = 19;
    private static final int KEEP_FIRST = 6;
    private static final int KEEP_LAST = 4;

    private CardNumbers() {}

    /** Masks the card numbers of {@code s}; returns how many. {@code work}, if given, counts steps (tests). */
    static int mask(char[] s, long[] work) {
        int n = s.length;
        int found = 0;
        int[] starts = new int[8];
        int[] ends = new int[8];
        int i = 0;
        while (i < n) {
            if (!digit(s[i])) {
                i++;
                count(work, 1);
                continue;
            }
            // one run: groups of digits separated by exactly one space or dash
            int groups = 0;
            int p = i;
            while (true) {
                int g = p;
                while (p < n && digit(s[p])) {
                    p++;
                }
                count(work, p - g);
                if (groups == starts.length) {
                    starts = java.util.Arrays.copyOf(starts, groups * 2);
                    ends = java.util.Arrays.copyOf(ends, groups * 2);
                }
                starts[groups] = g;
                ends[groups] = p;
                groups++;
                if (p + 1 < n && (s[p] == ' ' || s[p] == '-') && digit(s[p + 1])) {
                    p++;
                } else {
                    break;
                }
            }
            // a number touching letters is still tried: text runs together (a message and an
            // exception's class, pan4111…), and a leaked card costs more than a masked hex digit
            int last = groups - 1;
            int g = 0;
            while (g <= last) {
                if (!issuer(s[starts[g]])) {
                    g++;
                    continue;
                }
                int best = -1;
                int digits = 0;
                for (int h = g; h <= last; h++) {
                    digits += ends[h] - starts[h];
                    count(work, 1);
                    if (digits > MAX_DIGITS) {
                        break;
                    }
                    if (digits >= MIN_DIGITS && luhn(s, starts, ends, g, h, work)) {
                        best = h;
                    }
                }
                if (best >= 0) {
                    hide(s, starts, ends, g, best);
                    found++;
                    g = best + 1;
                } else {
                    g++;
                }
            }
            i = p;
        }
        return found;
    }

    private static boolean luhn(char[] s, int[] starts, int[] ends, int from, int to, long[] work) {
        int sum = 0;
        boolean twice = false;
        for (int h = to; h >= from; h--) {
            for (int k = ends[h] - 1; k >= starts[h]; k--) {
                int d = s[k] - '0';
                if (twice) {
                    d *= 2;
                    if (d > 9) {
                        d -= 9;
                    }
                }
                sum += d;
                twice = !twice;
            }
            count(work, ends[h] - starts[h]);
        }
        return sum % 10 == 0;
    }

    private static void hide(char[] s, int[] starts, int[] ends, int from, int to) {
        int total = 0;
        for (int h = from; h <= to; h++) {
            total += ends[h] - starts[h];
        }
        int index = 0;
        for (int h = from; h <= to; h++) {
            for (int k = starts[h]; k < ends[h]; k++, index++) {
                if (index >= KEEP_FIRST && index < total - KEEP_LAST) {
                    s[k] = '*';
                }
            }
        }
    }

    /**
     * Whether a number starting with {@code c} can be a payment card: the major networks' numbers
     * start with 2 to 6 (Mastercard 2 and 5, Amex, Diners and JCB 3, Visa 4, Discover and UnionPay 6).
     * Epoch times in milliseconds, microseconds and nanoseconds start with 1 until 2033.
     */
    private static boolean issuer(char c) {
        return c >= '2' && c <= '6';
    }

    private static void count(long[] work, long steps) {
        if (work != null) {
            work[0] += steps;
        }
    }

    static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

}
