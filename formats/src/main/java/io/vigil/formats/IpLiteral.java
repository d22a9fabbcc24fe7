package io.vigil.formats;

/**
 * Tells IP literals from host names without any lookup ({@link java.net.InetAddress#getByName}
 * would resolve names, which a decoder must never do).
 */
final class IpLiteral {

    private IpLiteral() {}

    static boolean isIp(String s) {
        return s != null && (isIpv4(s) || isIpv6(s));
    }

    static boolean isIpv4(String s) {
        int n = s.length();
        if (n < 7 || n > 15) {
            return false;
        }
        int parts = 0;
        int i = 0;
        while (i <= n) {
            int start = i;
            int v = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                v = v * 10 + (s.charAt(i) - '0');
                i++;
                if (i - start > 3) {
                    return false;
                }
            }
            if (i == start || v > 255) {
                return false;
            }
            parts++;
            if (i == n) {
                break;
            }
            if (s.charAt(i) != '.') {
                return false;
            }
            i++;
        }
        return parts == 4;
    }

    /** Hex groups separated by ':', at most one '::', optionally an IPv4 tail and a %zone. */
    static boolean isIpv6(String s) {
        int zone = s.indexOf('%');
        String a = zone >= 0 ? s.substring(0, zone) : s;
        if (a.length() < 2 || a.length() > 45 || a.indexOf(':') < 0) {
            return false;
        }
        int doubleColon = a.indexOf("::");
        if (doubleColon >= 0 && a.indexOf("::", doubleColon + 1) >= 0) {
            return false;
        }
        String[] groups = a.split(":", -1);
        int count = 0;
        for (int g = 0; g < groups.length; g++) {
            String group = groups[g];
            if (group.isEmpty()) {
                continue; // part of "::" (or a leading/trailing one, checked by the "::" rule)
            }
            if (g == groups.length - 1 && group.indexOf('.') >= 0) {
                if (!isIpv4(group)) {
                    return false;
                }
                count += 2;
                continue;
            }
            if (group.length() > 4) {
                return false;
            }
            for (int i = 0; i < group.length(); i++) {
                if (Character.digit(group.charAt(i), 16) < 0) {
                    return false;
                }
            }
            count++;
        }
        if (a.startsWith(":") && !a.startsWith("::") || a.endsWith(":") && !a.endsWith("::")) {
            return false;
        }
        return doubleColon >= 0 ? count < 8 : count == 8;
    }
}
