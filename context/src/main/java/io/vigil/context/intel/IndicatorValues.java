package io.vigil.context.intel;

import io.vigil.model.IpLiteral;
import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The normal form of indicator values, shared by the feeds (which refuse what does not normalize)
 * and the matching (which normalizes event values the same way). Plain scanning code: event values
 * are untrusted, so no regular expression and no work beyond the value's (capped) length.
 */
public final class IndicatorValues {

    /** Longest domain name (RFC 1035 text form). */
    public static final int MAX_DOMAIN = 253;
    /** Longest URL an indicator may have, and the longest event URL matched. */
    public static final int MAX_URL = 4096;

    private IndicatorValues() {}

    /**
     * {@code raw} in the normal form of {@code type}.
     *
     * @throws IllegalArgumentException saying what is wrong with the value
     */
    public static String normalize(Indicator.Type type, String raw) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("empty value");
        }
        String v = raw.strip();
        return switch (type) {
            case IPV4_ADDR -> {
                byte[] a = address(v);
                if (a == null || a.length != 4) {
                    throw new IllegalArgumentException("not an IPv4 address: " + shorten(v));
                }
                yield format(a);
            }
            case IPV6_ADDR -> {
                byte[] a = address(v);
                if (a == null || a.length != 16) {
                    throw new IllegalArgumentException("not an IPv6 address: " + shorten(v));
                }
                yield format(a);
            }
            case CIDR -> cidr(v);
            case DOMAIN_NAME -> {
                String d = domain(v);
                if (d == null) {
                    throw new IllegalArgumentException("not a domain name: " + shorten(v));
                }
                yield d;
            }
            case URL -> {
                String u = url(v);
                if (u == null) {
                    throw new IllegalArgumentException("not a URL (scheme://host...) of at most " + MAX_URL
                            + " characters: " + shorten(v));
                }
                yield u;
            }
            case MD5, SHA1, SHA256 -> {
                int digits = hashBytes(type) * 2;
                if (v.length() != digits || !hex(v)) {
                    throw new IllegalArgumentException("not a " + type + " (" + digits + " hex digits): " + shorten(v));
                }
                yield v.toLowerCase(Locale.ROOT);
            }
        };
    }

    /** The type of an address or CIDR text ({@code ip} in CSV, {@code ip-src} in MISP), or {@code null}. */
    public static Indicator.Type addressType(String v) {
        String s = v.strip();
        if (s.indexOf('/') >= 0) {
            return Indicator.Type.CIDR;
        }
        byte[] a = address(s);
        return a == null ? null : a.length == 4 ? Indicator.Type.IPV4_ADDR : Indicator.Type.IPV6_ADDR;
    }

    /** The hash type of hex text by its length ({@code hash} in CSV), or {@code null}. */
    public static Indicator.Type hashType(String v) {
        String s = v.strip();
        if (!hex(s)) {
            return null;
        }
        return switch (s.length()) {
            case 32 -> Indicator.Type.MD5;
            case 40 -> Indicator.Type.SHA1;
            case 64 -> Indicator.Type.SHA256;
            default -> null;
        };
    }

    static int hashBytes(Indicator.Type type) {
        return switch (type) {
            case MD5 -> 16;
            case SHA1 -> 20;
            case SHA256 -> 32;
            default -> throw new IllegalArgumentException(type + " is no hash");
        };
    }

    /**
     * The bytes of an IP literal (4 for IPv4 and IPv4-mapped IPv6, 16 for IPv6), or {@code null}.
     * Only text {@link IpLiteral} accepts reaches {@link InetAddress}, so no name is ever resolved.
     */
    public static byte[] address(String v) {
        if (v == null) {
            return null;
        }
        if (IpLiteral.isIpv4(v)) {
            byte[] b = new byte[4];
            int part = 0;
            int n = 0;
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '.') {
                    b[part++] = (byte) n;
                    n = 0;
                } else {
                    n = n * 10 + (c - '0');
                }
            }
            b[3] = (byte) n;
            return b;
        }
        if (!IpLiteral.isIpv6(v)) {
            return null;
        }
        int zone = v.indexOf('%');
        try {
            // ::ffff:a.b.c.d comes back as the IPv4 address (4 bytes): it is that address
            return InetAddress.getByName(zone >= 0 ? v.substring(0, zone) : v).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** An address's canonical text: dotted decimal, or RFC 5952 (lower case, longest zero run as {@code ::}). */
    public static String format(byte[] a) {
        return format(a, 0, a.length);
    }

    static String format(byte[] a, int off, int len) {
        StringBuilder s = new StringBuilder(len == 4 ? 15 : 39);
        if (len == 4) {
            for (int i = 0; i < 4; i++) {
                if (i > 0) {
                    s.append('.');
                }
                s.append(a[off + i] & 0xff);
            }
            return s.toString();
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (a[off + 2 * i] & 0xff) << 8 | a[off + 2 * i + 1] & 0xff;
        }
        int bestAt = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestAt = i;
                bestLen = j - i;
            }
            i = j;
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestAt) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }

    /** {@code addr/len} with the host bits cleared; refuses a bad address or length. */
    static String cidr(String v) {
        int slash = v.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR (address/prefix length): " + shorten(v));
        }
        byte[] a = address(v.substring(0, slash));
        int len = prefixLength(v, slash + 1);
        if (a == null || len < 0 || len > a.length * 8) {
            throw new IllegalArgumentException("not a CIDR (address/prefix length): " + shorten(v));
        }
        mask(a, len);
        return format(a) + "/" + len;
    }

    static int prefixLength(String v, int from) {
        int n = v.length() - from;
        if (n < 1 || n > 3) {
            return -1;
        }
        int len = 0;
        for (int i = from; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            len = len * 10 + (c - '0');
        }
        return len;
    }

    /** Clears the bits of {@code a} past the first {@code len}. */
    static void mask(byte[] a, int len) {
        mask(a, 0, a.length, len);
    }

    static void mask(byte[] a, int off, int size, int len) {
        for (int i = 0; i < size; i++) {
            int keep = len - i * 8;
            if (keep <= 0) {
                a[off + i] = 0;
            } else if (keep < 8) {
                a[off + i] &= (byte) (0xff << (8 - keep));
            }
        }
    }

    /**
     * A domain name in lower case without a trailing dot (internationalized names in their ASCII
     * form), or {@code null} when it is none: labels of 1–63 letters, digits, {@code -} or
     * {@code _}, at most 253 characters, at least two labels.
     */
    public static String domain(String v) {
        if (v == null || v.isEmpty() || v.length() > 2 * MAX_DOMAIN) {
            return null;
        }
        String d = v.endsWith(".") ? v.substring(0, v.length() - 1) : v;
        boolean ascii = true;
        for (int i = 0; i < d.length(); i++) {
            if (d.charAt(i) >= 128) {
                ascii = false;
                break;
            }
        }
        if (!ascii) {
            try {
                d = IDN.toASCII(d);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        d = d.toLowerCase(Locale.ROOT);
        if (d.isEmpty() || d.length() > MAX_DOMAIN) {
            return null;
        }
        int labels = 0;
        int labelStart = 0;
        for (int i = 0; i <= d.length(); i++) {
            char c = i == d.length() ? '.' : d.charAt(i);
            if (c == '.') {
                int len = i - labelStart;
                if (len < 1 || len > 63) {
                    return null;
                }
                labels++;
                labelStart = i + 1;
            } else if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return null;
            }
        }
        return labels >= 2 ? d : null;
    }

    /**
     * A URL lightly normalized, or {@code null} when it is not {@code scheme://host...}: scheme and
     * host in lower case, the default port of http/https dropped, the fragment dropped, an empty
     * path written {@code /}; path and query kept as they are (their case matters to servers).
     */
    public static String url(String v) {
        if (v == null || v.length() > MAX_URL) {
            return null;
        }
        int colon = v.indexOf("://");
        if (colon < 1) {
            return null;
        }
        for (int i = 0; i < colon; i++) {
            char c = v.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && (c >= '0' && c <= '9' || c == '+'
                    || c == '-' || c == '.'))) {
                return null;
            }
        }
        String scheme = v.substring(0, colon).toLowerCase(Locale.ROOT);
        int hostStart = colon + 3;
        int hostEnd = hostStart;
        while (hostEnd < v.length() && "/?#".indexOf(v.charAt(hostEnd)) < 0) {
            hostEnd++;
        }
        if (hostEnd == hostStart) {
            return null;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= ' ' || c == 127) {
                return null; // no spaces or controls in a URL
            }
        }
        String authority = v.substring(hostStart, hostEnd).toLowerCase(Locale.ROOT);
        if (scheme.equals("http") && authority.endsWith(":80")) {
            authority = authority.substring(0, authority.length() - 3);
        } else if (scheme.equals("https") && authority.endsWith(":443")) {
            authority = authority.substring(0, authority.length() - 4);
        }
        int fragment = v.indexOf('#', hostEnd);
        String rest = v.substring(hostEnd, fragment < 0 ? v.length() : fragment);
        if (rest.isEmpty() || rest.charAt(0) == '?') {
            rest = "/" + rest;
        }
        return scheme + "://" + authority + rest;
    }

    /** The host of a URL ({@code scheme://[user@]host[:port]/...}) when it is a domain name, or {@code null}. */
    public static String urlHost(String v) {
        if (v == null || v.length() > MAX_URL) {
            return null;
        }
        int colon = v.indexOf("://");
        if (colon < 1) {
            return null;
        }
        int start = colon + 3;
        int end = start;
        while (end < v.length() && "/?#".indexOf(v.charAt(end)) < 0) {
            end++;
        }
        int at = v.lastIndexOf('@', end - 1);
        if (at >= start) {
            start = at + 1;
        }
        int port = v.lastIndexOf(':', end - 1);
        // a colon inside an IPv6 literal's brackets is no port; only the authority [start, end) counts
        int bracket = v.lastIndexOf(']', end - 1);
        if (port >= start && port > bracket) {
            end = port;
        }
        return end - start > MAX_DOMAIN ? null : domain(v.substring(start, end));
    }

    static boolean hex(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    /** A value cut for an error message: feeds can hold anything. */
    static String shorten(String v) {
        return v.length() <= 80 ? "'" + v + "'" : "'" + v.substring(0, 80) + "…'";
    }
}
