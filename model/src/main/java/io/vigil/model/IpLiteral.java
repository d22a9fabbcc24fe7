package io.vigil.model;

/**
 * Whether text is an IP address literal that Elasticsearch's {@code ip} field type accepts, decided
 * without any lookup ({@link java.net.InetAddress#getByName} would resolve host names, which Vigil
 * must never do for attacker-controlled text).
 *
 * <p>Stricter than Elasticsearch where the two differ, never looser: IPv4 is a dotted quad of
 * ASCII decimals 0–255 without leading zeros ({@code 010.0.0.1} is refused by Elasticsearch);
 * IPv6 is RFC 4291 text with hex groups of one to four ASCII digits, at most one {@code ::}, an
 * optional dotted-quad tail, and, without such a tail, an optional {@code %zone} of letters,
 * digits, {@code .}, {@code _} or {@code -}.
 */
public final class IpLiteral {

    /** Longest IPv6 text before a zone: eight groups, or six and a dotted quad. */
    private static final int MAX_IPV6 = 45;
    /** Longest zone accepted (interface names, Windows zone indices). */
    private static final int MAX_ZONE = 32;

    private IpLiteral() {}

    public static boolean isIp(String s) {
        return s != null && (isIpv4(s) || isIpv6(s));
    }

    public static boolean isIpv4(String s) {
        return s != null && ipv4(s, 0, s.length());
    }

    public static boolean isIpv6(String s) {
        if (s == null) {
            return false;
        }
        int end = s.indexOf('%');
        if (end >= 0 && !zone(s, end + 1)) {
            return false;
        }
        boolean zoned = end >= 0;
        if (!zoned) {
            end = s.length();
        }
        if (end < 2 || end > MAX_IPV6) {
            return false;
        }
        int groups = 0;
        boolean gap = false;
        int i = 0;
        if (s.charAt(0) == ':') {
            if (s.charAt(1) != ':') {
                return false;
            }
            gap = true;
            i = 2;
        }
        while (i < end) {
            int start = i;
            while (i < end && i - start < 4 && hex(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                return false; // ":::" or a stray character
            }
            if (i < end && s.charAt(i) == '.') {
                // a dotted-quad tail ends the address; Elasticsearch refuses one with a zone
                if (zoned || !ipv4(s, start, end)) {
                    return false;
                }
                groups += 2;
                break;
            }
            groups++;
            if (i == end) {
                break;
            }
            if (s.charAt(i) != ':') {
                return false; // a fifth hex digit, or not hex
            }
            i++;
            if (i < end && s.charAt(i) == ':') {
                if (gap) {
                    return false;
                }
                gap = true;
                i++;
            } else if (i == end) {
                return false; // one trailing ':'
            }
        }
        return gap ? groups <= 7 : groups == 8;
    }

    private static boolean ipv4(String s, int from, int to) {
        int i = from;
        for (int part = 0; part < 4; part++) {
            int start = i;
            int v = 0;
            while (i < to && i - start < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                v = v * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || v > 255 || digits > 1 && s.charAt(start) == '0') {
                return false;
            }
            if (part < 3) {
                if (i >= to || s.charAt(i) != '.') {
                    return false;
                }
                i++;
            }
        }
        return i == to;
    }

    private static boolean zone(String s, int from) {
        int n = s.length() - from;
        if (n < 1 || n > MAX_ZONE) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean hex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
