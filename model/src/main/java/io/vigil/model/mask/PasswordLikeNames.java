package io.vigil.model.mask;

/**
 * Whether a user name of a failed sign-in looks like a password typed into the user field. The
 * test, documented in docs/masking.md:
 *
 * <ol>
 *   <li>8 to 64 characters (shorter ones are too weak a signal, longer ones are not typed passwords);
 *   <li>not a valid-looking account name: lower-case letters, digits, {@code . _ -} (starting with a
 *       letter or {@code _}, a trailing {@code $} allowed), a machine account (letters of either
 *       case, digits, {@code . _ -}, ending with {@code $}), an e-mail address, or {@code DOMAIN\}name;
 *   <li>and either a character no account name has (anything but letters, digits and
 *       {@code . _ - @ \ $}: {@code !}, {@code #}, a space, …) or characters of at least three of
 *       the classes lower case, upper case, digit, other.
 * </ol>
 */
public final class PasswordLikeNames {

    static final int MIN_LENGTH = 8;
    static final int MAX_LENGTH = 64;

    private PasswordLikeNames() {}

    public static boolean test(String name) {
        if (name == null || name.length() < MIN_LENGTH || name.length() > MAX_LENGTH || accountLike(name)) {
            return false;
        }
        boolean lower = false;
        boolean upper = false;
        boolean digit = false;
        boolean other = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'a' && c <= 'z') {
                lower = true;
            } else if (c >= 'A' && c <= 'Z') {
                upper = true;
            } else if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c == '.' || c == '_' || c == '-' || c == '@' || c == '\\' || c == '$') {
                other = true;
            } else {
                return true; // no account name has it
            }
        }
        int classes = (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
        return classes >= 3;
    }

    /** A POSIX-style name, an e-mail address or DOMAIN\name. */
    static boolean accountLike(String name) {
        int at = name.indexOf('@');
        if (at > 0 && at == name.lastIndexOf('@')) {
            String domain = name.substring(at + 1);
            return domain.indexOf('.') > 0 && !domain.endsWith(".") && plain(name.substring(0, at), true)
                    && plain(domain, true);
        }
        int slash = name.indexOf('\\');
        if (slash > 0 && slash == name.lastIndexOf('\\')) {
            return plain(name.substring(0, slash), true) && plain(name.substring(slash + 1), true);
        }
        // a machine account (WORKSTATION7$)
        return posix(name) || name.endsWith("$") && plain(name.substring(0, name.length() - 1), false);
    }

    private static boolean posix(String name) {
        char first = name.charAt(0);
        if (!((first >= 'a' && first <= 'z') || first == '_')) {
            return false;
        }
        int end = name.endsWith("$") ? name.length() - 1 : name.length();
        for (int i = 1; i < end; i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Letters of either case, digits, {@code . _ -}, and {@code $} when {@code dollar}. */
    private static boolean plain(String part, boolean dollar) {
        if (part.isEmpty()) {
            return false;
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '_' || c == '-' || (dollar && c == '$');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
