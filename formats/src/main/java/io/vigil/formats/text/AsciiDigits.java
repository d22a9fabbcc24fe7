package io.vigil.formats.text;

/** Fixed-width decimal fields of timestamps, read without substrings or exceptions. */
public final class AsciiDigits {

    private AsciiDigits() {}

    /** The {@code count} ASCII digits of {@code s} from {@code at} as a number, or -1 if one is not a digit. */
    public static int parse(CharSequence s, int at, int count) {
        int v = 0;
        for (int k = at; k < at + count; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
