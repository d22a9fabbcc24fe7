package io.vigil.model.mask;

/**
 * Finds payment card numbers in text and masks them in place: 13 to 19 digits, in groups
 * separated by one space, one dash, or (form-encoded) one {@code +} or {@code %20}, passing the Luhn check. At most the first six and the last
 * four digits stay; the others become {@code *}, separators stay where they were.
 *
 * <p>The first digit must be 2 to 6, as the numbers of the card networks are (so epoch times in
 * milliseconds or nanoseconds, starting with 1, are left alone). A run of digits longer than 19 is never a card (a 25-digit id). A run touching letters is
 * tried like any other ({@code pan4111…}): a hex hash with 13 to 19 digits in a row that pass Luhn
 * loses some of them, which is the price of never letting a card through. Within a longer
 * run of separated groups ({@code 4111 1111 1111 1111 2026}), each window of whole groups of 13
 * to 19 digits is tried, longest first, from the left: a card followed by a year is still found.
 *
 * <p>Not cards: a group of 14 digits that is a valid compact date-time yyyyMMddHHmmss of 2000 to
 * 2099 (LDAP generalizedTime, WMI datetime), and the dash-joined groups of a Windows SID after
 * {@code S-} ({@code S-1-5-21-3623811015-3361044348-30300822-1013}).
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
            // one run: groups of digits separated by exactly one separator
            int groups = 0;
            int p = i;
            // the dash-joined groups after "S-" are a Windows SID's authorities, never a card
            boolean sid = sidStart(s, i);
            int sidGroups = 0;
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
                if (sid) {
                    sidGroups = groups;
                }
                int sep = separator(s, p);
                if (sep > 0 && p + sep < n && digit(s[p + sep])) {
                    sid = sid && s[p] == '-';
                    p += sep;
                } else {
                    break;
                }
            }
            // a number touching letters is still tried: text runs together (a message and an
            // exception's class, pan4111…), and a leaked card costs more than a masked hex digit
            int last = groups - 1;
            int g = sidGroups;
            while (g <= last) {
                if (!issuer(s[starts[g]]) || dateTime(s, starts[g], ends[g])) {
                    g++;
                    continue;
                }
                int best = -1;
                int digits = 0;
                for (int h = g; h <= last; h++) {
                    digits += ends[h] - starts[h];
                    count(work, 1);
                    if (digits > MAX_DIGITS || h > g && dateTime(s, starts[h], ends[h])) {
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

    /** Whether the digits at {@code i} follow {@code S-} as a SID's revision does (S-1-5-21-…), not inside a word. */
    private static boolean sidStart(char[] s, int i) {
        return i >= 2 && s[i - 1] == '-' && (s[i - 2] == 'S' || s[i - 2] == 's')
                && (i == 2 || !Character.isLetterOrDigit(s[i - 3]));
    }

    /**
     * Whether the group [from, to) is a compact date-time yyyyMMddHHmmss of 2000 to 2099 (LDAP
     * generalizedTime, WMI CIM_DATETIME): 14 digits that make a valid date and time are a timestamp.
     */
    static boolean dateTime(char[] s, int from, int to) {
        if (to - from != 14 || s[from] != '2' || s[from + 1] != '0') {
            return false;
        }
        int year = 2000 + number(s, from + 2);
        int month = number(s, from + 4);
        int day = number(s, from + 6);
        if (month < 1 || month > 12 || day < 1 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return false;
        }
        return number(s, from + 8) <= 23 && number(s, from + 10) <= 59 && number(s, from + 12) <= 60;
    }

    private static int number(char[] s, int at) {
        return (s[at] - '0') * 10 + (s[at + 1] - '0');
    }

    /**
     * The length of the group separator at {@code p}, or 0: a space, a dash, and in form-encoded
     * text a {@code +} or {@code %20} (card=4111+1111+…).
     */
    private static int separator(char[] s, int p) {
        if (p >= s.length) {
            return 0;
        }
        char c = s[p];
        if (c == ' ' || c == '-' || c == '+') {
            return 1;
        }
        return c == '%' && p + 2 < s.length && s[p + 1] == '2' && s[p + 2] == '0' ? 3 : 0;
    }

    static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

}
