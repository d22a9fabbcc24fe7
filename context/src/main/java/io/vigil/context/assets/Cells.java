package io.vigil.context.assets;

import io.vigil.model.IpLiteral;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reading the typed cells the hosts and identities tables share, with errors naming the cell. */
final class Cells {

    /** The most characters of a value (a host name is at most 253). */
    static final int MAX_VALUE_CHARS = 256;
    /** The most addresses of one host. */
    static final int MAX_IPS = 64;

    private Cells() {}

    /** The text of {@code column}, at most {@link #MAX_VALUE_CHARS}, or {@code null}. */
    static String text(String origin, TableRow row, String column) {
        String v = row.text(column);
        if (v != null && v.length() > MAX_VALUE_CHARS) {
            throw error(origin, row.where(column), "longer than " + MAX_VALUE_CHARS + " characters");
        }
        return v;
    }

    /** The text of {@code column}, which the row must have. */
    static String required(String origin, TableRow row, String column) {
        String v = text(origin, row, column);
        if (v == null) {
            throw error(origin, row.where(column), "no " + column);
        }
        return v;
    }

    /** The lower-case text of {@code column}, or {@code null}. */
    static String lower(String origin, TableRow row, String column) {
        String v = text(origin, row, column);
        return v == null ? null : v.toLowerCase(Locale.ROOT);
    }

    static Criticality criticality(String origin, TableRow row) {
        String v = text(origin, row, "criticality");
        if (v == null) {
            return null;
        }
        Criticality c = Criticality.parse(v);
        if (c == null) {
            throw error(origin, row.where("criticality"), "'" + v + "' is not a criticality: " + Criticality.ACCEPTED);
        }
        return c;
    }

    /** A yes/no cell: {@code true}, {@code yes}, {@code 1} or {@code false}, {@code no}, {@code 0}; blank is no. */
    static boolean bool(String origin, TableRow row, String column) {
        String v = text(origin, row, column);
        if (v == null) {
            return false;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "y", "1" -> true;
            case "false", "no", "n", "0" -> false;
            default -> throw error(origin, row.where(column), "'" + v + "' is not true or false");
        };
    }

    /** The addresses of {@code column}: a list (JSON) or one cell separated by spaces or {@code ;} (CSV). */
    static List<String> ips(String origin, TableRow row, String column) {
        List<String> ips = new ArrayList<>();
        for (String cell : row.values(column)) {
            int i = 0;
            while (i < cell.length()) {
                while (i < cell.length() && separator(cell.charAt(i))) {
                    i++;
                }
                int start = i;
                while (i < cell.length() && !separator(cell.charAt(i))) {
                    i++;
                }
                if (start == i) {
                    continue;
                }
                String ip = cell.substring(start, i);
                String canonical = canonicalIp(ip);
                if (canonical == null) {
                    throw error(origin, row.where(column), "'" + clip(ip) + "' is not an IP address");
                }
                if (ips.size() == MAX_IPS) {
                    throw error(origin, row.where(column), "more than " + MAX_IPS + " addresses");
                }
                if (!ips.contains(canonical)) {
                    ips.add(canonical);
                }
            }
        }
        return ips;
    }

    /**
     * One text for every spelling of an address ({@code 2001:DB8::1} and {@code 2001:db8:0::1}), or
     * {@code null} when {@code ip} is not an IP literal (never a name lookup). An IPv6 zone
     * ({@code fe80::1%eth0}) is dropped first: it names an interface of the machine that wrote the
     * address, and InetAddress would look that interface up on this one, per event.
     */
    static String canonicalIp(String ip) {
        if (ip == null || ip.length() > 64 || !IpLiteral.isIp(ip)) {
            return null;
        }
        int zone = ip.indexOf('%');
        String literal = zone >= 0 ? ip.substring(0, zone) : ip;
        try {
            // a literal without a zone: InetAddress parses it, no name service, no interface lookup
            return InetAddress.getByName(literal).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static IllegalArgumentException error(String origin, String where, String what) {
        return new IllegalArgumentException(origin + ": " + where + ": " + what);
    }

    private static boolean separator(char c) {
        return c == ';' || c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
