package io.vigil.formats.syslog;

import io.vigil.model.SecurityEvent;

/** Address and port helpers for log text, written to never resolve names or throw. */
final class Net {

    private Net() {}

    /** Whether {@code s} is an IPv4 or IPv6 literal (IPv6 may end in dotted IPv4, or carry a %zone). */
    static boolean isIp(String s) {
        return s != null && (isIpv4(s, 0, s.length()) || isIpv6(s));
    }

    static boolean isIpv4(String s, int from, int to) {
        int parts = 0;
        int i = from;
        while (parts < 4) {
            int v = 0;
            int digits = 0;
            while (i < to && digits < 4) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                v = v * 10 + (c - '0');
                digits++;
                i++;
            }
            if (digits == 0 || digits > 3 || v > 255) {
                return false;
            }
            parts++;
            if (parts < 4) {
                if (i >= to || s.charAt(i) != '.') {
                    return false;
                }
                i++;
            }
        }
        return i == to;
    }

    static boolean isIpv6(String s) {
        int end = s.indexOf('%');
        if (end == 0) {
            return false;
        }
        if (end < 0) {
            end = s.length();
        }
        if (end < 2 || end > 45) {
            return false;
        }
        int groups = 0;
        boolean compressed = false;
        int i = 0;
        if (s.startsWith("::")) {
            compressed = true;
            i = 2;
            if (i == end) {
                return true;
            }
        } else if (s.charAt(0) == ':') {
            return false;
        }
        while (i < end) {
            int start = i;
            while (i < end && hex(s.charAt(i))) {
                i++;
            }
            int len = i - start;
            if (i < end && s.charAt(i) == '.') {
                // trailing dotted IPv4 stands for two groups
                return isIpv4(s, start, end) && groups + 2 <= (compressed ? 7 : 8) && (compressed || groups + 2 == 8);
            }
            if (len == 0 || len > 4) {
                return false;
            }
            groups++;
            if (i == end) {
                break;
            }
            if (s.charAt(i) != ':') {
                return false;
            }
            i++;
            if (i < end && s.charAt(i) == ':') {
                if (compressed) {
                    return false;
                }
                compressed = true;
                i++;
                if (i == end) {
                    break;
                }
            } else if (i == end) {
                return false; // a single trailing colon
            }
        }
        return compressed ? groups <= 7 : groups == 8;
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** The port written at {@code s[from..to)}, or {@code null} when it is not one. */
    static Integer port(String s, int from, int to) {
        if (to <= from || to - from > 5) {
            return null;
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            v = v * 10 + (c - '0');
        }
        return v <= 65535 ? v : null;
    }

    /** A remote host as written: {@code source.ip} when it is an address, otherwise {@code source.domain}. */
    static void source(SecurityEvent.Builder b, String host) {
        if (host == null || host.isEmpty()) {
            return;
        }
        if (isIp(host)) {
            b.sourceIp(host);
        } else {
            b.sourceDomain(host);
        }
    }

    /** {@code null} for an empty string: log formats write absent values as nothing. */
    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
