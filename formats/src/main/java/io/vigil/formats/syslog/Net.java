package io.vigil.formats.syslog;

import io.vigil.model.IpLiteral;
import io.vigil.model.SecurityEvent;

/** Address and port helpers for log text, written to never resolve names or throw. */
final class Net {

    private Net() {}

    /** Whether {@code s} is an IPv4 or IPv6 literal: the model's check, the one event fields are validated with. */
    static boolean isIp(String s) {
        return IpLiteral.isIp(s);
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
