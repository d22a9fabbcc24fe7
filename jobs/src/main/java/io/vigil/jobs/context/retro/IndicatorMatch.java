package io.vigil.jobs.context.retro;

import io.vigil.context.intel.Indicator;
import io.vigil.model.EcsJson;
import io.vigil.model.IpLiteral;
import io.vigil.model.SecurityEvent;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Which field of an event carries an indicator, by plain comparison (no pattern matching on event
 * values): the same fields the retro-hunt queries search, so a hit the store returns is confirmed
 * and named here.
 */
public final class IndicatorMatch {

    /** Address fields (mapped as ip in vigil-events-*). */
    public static final List<String> IP_FIELDS = List.of("source.ip", "destination.ip", "related.ip");
    /** Domain fields: the indicator's domain or any subdomain of it. */
    public static final List<String> DOMAIN_FIELDS = List.of("source.domain", "destination.domain", "url.domain");
    public static final List<String> URL_FIELDS = List.of("url.original");
    public static final String MD5 = "file.hash.md5";
    public static final String SHA1 = "file.hash.sha1";
    public static final String SHA256 = "file.hash.sha256";
    /** Longest domain name (RFC 1035), a bound on what is compared. */
    private static final int MAX_DOMAIN = 253;

    private IndicatorMatch() {}

    /** The event fields an indicator of {@code type} is looked for in. */
    public static List<String> fields(Indicator.Type type) {
        return switch (type) {
            case IPV4_ADDR, IPV6_ADDR, CIDR -> IP_FIELDS;
            case DOMAIN_NAME -> DOMAIN_FIELDS;
            case URL -> URL_FIELDS;
            case MD5 -> List.of(MD5);
            case SHA1 -> List.of(SHA1);
            case SHA256 -> List.of(SHA256);
        };
    }

    /** The first field of {@code event} carrying {@code indicator} and its value there, or {@code null}. */
    public static String[] find(Indicator indicator, SecurityEvent event) {
        for (String field : fields(indicator.type())) {
            List<String> values = "related.ip".equals(field) ? event.relatedIp() : single(EcsJson.value(event, field));
            for (String v : values) {
                if (v != null && matches(indicator, v)) {
                    return new String[] {field, v};
                }
            }
        }
        return null;
    }

    private static List<String> single(String v) {
        return v == null ? List.of() : List.of(v);
    }

    /** Whether event value {@code value} carries {@code indicator}. */
    public static boolean matches(Indicator indicator, String value) {
        return switch (indicator.type()) {
            case IPV4_ADDR, IPV6_ADDR -> sameAddress(indicator.value(), value);
            case CIDR -> inNetwork(indicator.value(), value);
            case DOMAIN_NAME -> inDomain(indicator.value(), value);
            case URL -> indicator.value().equals(value);
            case MD5, SHA1, SHA256 -> indicator.value().equalsIgnoreCase(value);
        };
    }

    static boolean inDomain(String domain, String value) {
        if (value.length() > MAX_DOMAIN) {
            return false;
        }
        String v = value.endsWith(".") ? value.substring(0, value.length() - 1) : value;
        String d = domain.toLowerCase(Locale.ROOT);
        v = v.toLowerCase(Locale.ROOT);
        return v.equals(d) || (v.length() > d.length() && v.endsWith(d) && v.charAt(v.length() - d.length() - 1) == '.');
    }

    static boolean sameAddress(String a, String b) {
        byte[] x = address(a);
        byte[] y = address(b);
        return x != null && y != null && java.util.Arrays.equals(x, y);
    }

    static boolean inNetwork(String cidr, String value) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return sameAddress(cidr, value);
        }
        byte[] net = address(cidr.substring(0, slash));
        byte[] v = address(value);
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        if (net == null || v == null || net.length != v.length || prefix < 0 || prefix > net.length * 8) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (net[i] != v[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (net[full] & mask) == (v[full] & mask);
    }

    /** The bytes of an address literal (an IPv4-mapped IPv6 address as IPv4), never a name lookup; {@code null} if not one. */
    static byte[] address(String s) {
        String t = s.strip();
        int zone = t.indexOf('%');
        if (zone >= 0) {
            t = t.substring(0, zone);
        }
        if (!IpLiteral.isIp(t)) {
            return null;
        }
        try {
            return InetAddress.getByName(t).getAddress(); // a literal: parsed, never resolved
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
