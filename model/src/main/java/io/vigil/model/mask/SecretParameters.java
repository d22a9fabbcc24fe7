package io.vigil.model.mask;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the values of secret parameters in text and replaces them with {@value #MASK}:
 *
 * <ul>
 *   <li>{@code name=value} and {@code name:value} (spaces around the sign allowed), with the name
 *       quoted or not ({@code "password": "…"}, JSON inside a JSON string {@code \"password\":\"…\"}),
 *       and URL-encoded signs ({@code password%3Dvalue}, ending at {@code &} or {@code %26});
 *   <li>{@code --name value} and {@code -name value} on command lines;
 *   <li>{@code Authorization: Basic …} / {@code Bearer …}: the scheme stays, the credentials go;
 *   <li>the secrets of cloud API responses ({@code "secretAccessKey": "…"}, {@code "sessionToken"},
 *       {@code "keyMaterial"}, …) as JSON members, wherever they appear.
 * </ul>
 *
 * <p>Names match case-insensitively as whole words (letters, digits, {@code _} and {@code -}): a
 * name preceded by {@code .} matches ({@code -Ddb.password=…}), {@code passwords} does not match
 * {@code password}. A value is a quoted string (escapes skipped) or runs to the next space, quote,
 * {@code & ; , ) ] } < > |} or backslash. One pass: every character is looked at a bounded number
 * of times.
 */
final class SecretParameters {

    /** What a masked value becomes. */
    static final String MASK = "[masked]";

    /** Secrets of cloud API responses and requests (AWS CloudTrail), masked as JSON members only. */
    static final List<String> CLOUD_NAMES = List.of("secretaccesskey", "sessiontoken", "keymaterial", "privatekey",
            "secretstring", "secretbinary", "masteruserpassword", "password", "newpassword", "oldpassword",
            "clientsecret", "privatekeypem", "securitytoken");

    /** HTTP headers whose value is a credential, always masked. */
    static final List<String> HEADER_NAMES = List.of("authorization", "proxy-authorization");

    /** Words that make a name ending in {@code key} a secret key. */
    static final List<String> KEY_QUALIFIERS = List.of("secret", "private", "api", "access", "auth", "signing",
            "encryption", "master", "license");

    private static final List<String> SCHEMES = List.of("basic", "bearer", "digest", "negotiate", "ntlm", "token");

    private final List<String>[] parameters;
    private final List<String>[] cloud;

    SecretParameters(List<String> parameterNames) {
        parameters = byLength(concat(parameterNames, HEADER_NAMES));
        cloud = byLength(CLOUD_NAMES);
    }

    /** Whether {@code name} is made of name characters only. */
    static boolean isNameText(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (!nameChar(name.charAt(i))) {
                return false;
            }
        }
        return !name.isEmpty();
    }

    /** {@code s} with secret values masked (the same instance when there is none); counts into {@code counts}. */
    String mask(String s, MaskCounts counts) {
        return parameters(userInfo(s, counts), counts);
    }

    /**
     * {@code s} with the password of URL user information masked ({@code scheme://user:password@host}).
     * The user information ends at the first {@code / ? #} or delimiter after {@code ://}; its
     * password runs from its first {@code :} to its last {@code @}. Linear: a scan stops before the
     * next {@code ://}.
     */
    static String userInfo(String s, MaskCounts counts) {
        int at = s.indexOf("://");
        if (at < 0) {
            return s;
        }
        StringBuilder out = null;
        int copied = 0;
        int n = s.length();
        while (at >= 0) {
            int start = at + 3;
            int colon = -1;
            int last = -1;
            int p = start;
            while (p < n) {
                char c = s.charAt(p);
                if (c == '/' || c == '?' || c == '#' || (delimiter(c) && c != ';' && c != ',' && c != '&')) {
                    break;
                }
                if (c == ':' && colon < 0) {
                    colon = p;
                } else if (c == '@') {
                    last = p;
                }
                p++;
            }
            if (colon >= 0 && last > colon + 1 && !(last - colon - 1 == MASK.length() && s.startsWith(MASK, colon + 1))) {
                if (out == null) {
                    out = new StringBuilder(n + 16);
                }
                out.append(s, copied, colon + 1).append(MASK);
                copied = last;
                counts.add(MaskKind.SECRET_PARAMETER);
            }
            at = p < n ? s.indexOf("://", p) : -1;
        }
        return out == null ? s : out.append(s, copied, n).toString();
    }

    private String parameters(String s, MaskCounts counts) {
        int n = s.length();
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (!nameChar(c) || (i > 0 && nameChar(s.charAt(i - 1)))) {
                i++;
                continue;
            }
            int end = i;
            while (end < n && nameChar(s.charAt(end))) {
                end++;
            }
            int dashes = 0;
            while (i + dashes < end && s.charAt(i + dashes) == '-') {
                dashes++;
            }
            int nameStart = i + dashes;
            if (i > 0 && s.charAt(i - 1) == '%' && end - i > 2 && hex(s.charAt(i)) && hex(s.charAt(i + 1))) {
                nameStart = i + 2; // after a URL-encoded character: %3Fpassword%3D…
            }
            MaskKind kind = kindOf(s, nameStart, end, i);
            int[] value = kind == null ? null : value(s, end, dashes, quoted(s, i));
            if (value == null) {
                i = end;
                continue;
            }
            if (out == null) {
                out = new StringBuilder(n + 16);
            }
            out.append(s, copied, value[0]).append(MASK);
            copied = value[1];
            counts.add(kind);
            i = Math.max(value[1], end);
        }
        if (out == null) {
            return s;
        }
        return out.append(s, copied, n).toString();
    }

    /** The kind the name at [from, to) stands for, or {@code null}. */
    private MaskKind kindOf(String s, int from, int to, int tokenStart) {
        int len = to - from;
        if (len == 0 || len > MaskingPolicy.MAX_NAME_LENGTH) {
            return null;
        }
        if (matches(parameters, s, from, len) || lastComponentMatches(s, from, to)) {
            return MaskKind.SECRET_PARAMETER;
        }
        // cloud secrets are JSON members: the name in quotes
        if (from == tokenStart && quoted(s, from) > 0 && matches(cloud, s, from, len)) {
            return MaskKind.CLOUD_SECRET;
        }
        return null;
    }

    /**
     * Whether the last {@code _}/{@code -} separated component of the name at [from, to) is a listed
     * name (MYSQL_ROOT_PASSWORD, db-password, api_token). {@code key} alone is too common a last word
     * (primary_key, sort_key): it counts only after one of {@link #KEY_QUALIFIERS}
     * (AWS_SECRET_ACCESS_KEY, X-Api-Key, private_key).
     */
    private boolean lastComponentMatches(String s, int from, int to) {
        int sep = to - 1;
        while (sep > from && s.charAt(sep) != '_' && s.charAt(sep) != '-') {
            sep--;
        }
        if (sep <= from || sep + 1 >= to) {
            return false;
        }
        int len = to - sep - 1;
        if (!matches(parameters, s, sep + 1, len)) {
            return false;
        }
        if (len != 3 || !s.regionMatches(true, sep + 1, "key", 0, 3)) {
            return true;
        }
        for (int c = from; c < sep; ) {
            int e = c;
            while (e < sep && s.charAt(e) != '_' && s.charAt(e) != '-') {
                e++;
            }
            for (String q : KEY_QUALIFIERS) {
                if (e - c == q.length() && s.regionMatches(true, c, q, 0, q.length())) {
                    return true;
                }
            }
            c = e + 1;
        }
        return false;
    }

    /** 1 when the token at {@code at} opens with {@code "}, 2 with {@code \"}, otherwise 0. */
    private static int quoted(String s, int at) {
        if (at > 0 && s.charAt(at - 1) == '"') {
            return at > 1 && s.charAt(at - 2) == '\\' ? 2 : 1;
        }
        return 0;
    }

    /**
     * The value after the name ending at {@code p} as [start, end) to replace, or {@code null} when
     * the name is not followed by a value.
     */
    private static int[] value(String s, int p, int dashes, int quote) {
        int n = s.length();
        // the closing quote of a quoted name
        if (quote == 1 && p < n && s.charAt(p) == '"') {
            p++;
        } else if (quote == 2 && p + 1 < n && s.charAt(p) == '\\' && s.charAt(p + 1) == '"') {
            p += 2;
        }
        int q = skipSpaces(s, p);
        boolean encoded = false;
        if (q < n && (s.charAt(q) == '=' || s.charAt(q) == ':')) {
            q = skipSpaces(s, q + 1);
        } else if (q + 2 < n && s.charAt(q) == '%' && s.charAt(q + 1) == '3'
                && "DdAa".indexOf(s.charAt(q + 2)) >= 0) {
            q += 3;
            encoded = true;
        } else if ((dashes == 1 || dashes == 2) && q > p && q < n && s.charAt(q) != '-') {
            // an option and its value: --password hunter2
            return bare(s, q, false);
        } else {
            return null;
        }
        if (q >= n) {
            return null;
        }
        char c = s.charAt(q);
        if (c == '"' || c == '\'') {
            int end = q + 1;
            while (end < n && s.charAt(end) != c) {
                end += s.charAt(end) == '\\' ? 2 : 1;
            }
            return within(s, q + 1, Math.min(end, n));
        }
        if (c == '\\' && q + 1 < n && s.charAt(q + 1) == '"') {
            // a value quoted inside JSON text held in a JSON string: \"…\"
            int end = s.indexOf("\\\"", q + 2);
            return within(s, q + 2, end < 0 ? n : end);
        }
        if (c == '{' || c == '[') {
            return null; // an object or array: its members are looked at one by one
        }
        return bare(s, q, encoded);
    }

    /** A quoted value [from, to): past an authorization scheme if it opens with one. */
    private static int[] within(String s, int from, int to) {
        int start = pastScheme(s, from, to);
        if (start >= to || s.startsWith(MASK, start) && start + MASK.length() == to) {
            return null;
        }
        return new int[] {start, to};
    }

    private static int[] bare(String s, int q, boolean encoded) {
        int n = s.length();
        int start = q;
        int schemeEnd = pastScheme(s, q, n);
        if (schemeEnd > q) {
            start = schemeEnd;
        }
        int end = start;
        while (end < n && !delimiter(s.charAt(end))) {
            if (encoded && s.charAt(end) == '%' && end + 2 < n && s.charAt(end + 1) == '2' && s.charAt(end + 2) == '6') {
                break;
            }
            end++;
        }
        if (end == start || s.startsWith(MASK, start) && end == start + MASK.length()) {
            return null;
        }
        return new int[] {start, end};
    }

    /** After {@code Basic }/{@code Bearer } (…) at {@code from}, or {@code from}. */
    private static int pastScheme(String s, int from, int to) {
        for (String scheme : SCHEMES) {
            int after = from + scheme.length();
            if (after < to && s.charAt(after) == ' ' && s.regionMatches(true, from, scheme, 0, scheme.length())) {
                return skipSpaces(s, after);
            }
        }
        return from;
    }

    private static int skipSpaces(String s, int p) {
        while (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) {
            p++;
        }
        return p;
    }

    private static boolean delimiter(char c) {
        return Character.isWhitespace(c) || c == '&' || c == ';' || c == ',' || c == '"' || c == '\'' || c == ')'
                || c == ']' || c == '}' || c == '<' || c == '>' || c == '|' || c == '\\';
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    static boolean nameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    private static boolean matches(List<String>[] names, String s, int from, int len) {
        if (len >= names.length || names[len] == null) {
            return false;
        }
        for (String name : names[len]) {
            if (s.regionMatches(true, from, name, 0, len)) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static List<String>[] byLength(List<String> names) {
        List<String>[] out = new List[MaskingPolicy.MAX_NAME_LENGTH + 1];
        for (String name : names) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (out[lower.length()] == null) {
                out[lower.length()] = new ArrayList<>();
            }
            if (!out[lower.length()].contains(lower)) {
                out[lower.length()].add(lower);
            }
        }
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
