package io.vigil.formats.windows;

/** Small conversions of Windows event values to ECS values; all return {@code null} rather than throw. */
public final class WinValues {

    /** Keywords bit set on events logged as "Audit Failure". */
    public static final long AUDIT_FAILURE = 0x0010_0000_0000_0000L;
    /** Keywords bit set on events logged as "Audit Success". */
    public static final long AUDIT_SUCCESS = 0x0020_0000_0000_0000L;

    private WinValues() {}

    /** {@code v} unless Windows' placeholder for "nothing" ({@code -}, empty, blank). */
    public static String present(String v) {
        if (v == null) {
            return null;
        }
        String t = v.trim();
        return t.isEmpty() || "-".equals(t) ? null : t;
    }

    /**
     * An IP address for {@code source.ip}: {@code -} dropped, IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d},
     * as Kerberos events write it) reduced to IPv4, {@code ::1} and other IPv6 kept. Text that is not
     * an address literal gives {@code null}; no name is ever resolved.
     */
    public static String ip(String v) {
        String t = present(v);
        if (t == null) {
            return null;
        }
        if (t.regionMatches(true, 0, "::ffff:", 0, 7) && isIpv4(t.substring(7))) {
            return t.substring(7);
        }
        if (isIpv4(t)) {
            return t;
        }
        return isIpv6(t) ? t : null;
    }

    static boolean isIpv4(String s) {
        int parts = 0;
        int value = -1;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c == '.') {
                if (value < 0 || value > 255) {
                    return false;
                }
                parts++;
                value = -1;
            } else if (c >= '0' && c <= '9') {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return parts == 4;
    }

    static boolean isIpv6(String s) {
        if (s.indexOf(':') < 0 || s.length() > 64) {
            return false;
        }
        int zone = s.indexOf('%');
        String addr = zone >= 0 ? s.substring(0, zone) : s;
        for (int i = 0; i < addr.length(); i++) {
            char c = addr.charAt(i);
            boolean ok = c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A port 1–65535; Windows' {@code 0} and {@code -} mean "none". */
    public static Integer port(String v) {
        Long n = number(v);
        return n != null && n > 0 && n <= 65535 ? n.intValue() : null;
    }

    /** A non-negative number written in decimal or as {@code 0x…} hex (process ids, logon ids). */
    public static Long number(String v) {
        String t = present(v);
        if (t == null) {
            return null;
        }
        try {
            if (t.length() > 2 && t.charAt(0) == '0' && (t.charAt(1) == 'x' || t.charAt(1) == 'X')) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            long n = Long.parseLong(t);
            return n >= 0 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The Keywords bit mask from its record text: a signed or unsigned decimal (NXLog writes
     * {@code -9214364837600034816}) or {@code 0x…} hex; {@code null} when it is neither (Winlogbeat
     * writes names such as {@code Audit Success}, see {@link #auditResult}).
     */
    public static Long keywordBits(String v) {
        String t = present(v);
        if (t == null) {
            return null;
        }
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            return t.startsWith("-") ? Long.parseLong(t) : Long.parseUnsignedLong(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code success}/{@code failure} from the Keywords text (bits or names), else {@code null}. */
    public static String auditResult(String keywords) {
        if (keywords == null) {
            return null;
        }
        Long bits = keywordBits(keywords);
        if (bits != null) {
            if ((bits & AUDIT_FAILURE) != 0) return "failure";
            if ((bits & AUDIT_SUCCESS) != 0) return "success";
            return null;
        }
        String k = keywords.toLowerCase(java.util.Locale.ROOT);
        if (k.contains("audit failure")) return "failure";
        if (k.contains("audit success")) return "success";
        return null;
    }

    /** Whether a Windows status code ({@code 0x0}, {@code 0xc000006d}) is zero; {@code null} if unreadable. */
    public static Boolean statusIsZero(String v) {
        Long n = number(v);
        return n == null ? null : n == 0;
    }

    /** The file name of a Windows or POSIX path. */
    public static String baseName(String path) {
        if (path == null) {
            return null;
        }
        int cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
        String name = cut >= 0 ? path.substring(cut + 1) : path;
        return name.isEmpty() ? null : name;
    }
}
