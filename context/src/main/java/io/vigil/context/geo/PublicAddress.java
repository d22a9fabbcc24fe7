package io.vigil.context.geo;

import io.vigil.model.IpLiteral;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Whether an address is routed on the public internet, so a GeoIP database may place it. Private,
 * loopback, link-local, shared (CGNAT), documentation, benchmarking, multicast and other
 * special-purpose ranges of the IANA IPv4 and IPv6 special-purpose address registries (RFC 6890
 * and its updates) are not: a database that places one (some place the documentation ranges in
 * a country) is wrong for Vigil, whatever it says.
 *
 * <p>Decided from the bytes, never by a lookup: {@link #parse} accepts only IP literals.
 */
public final class PublicAddress {

    private PublicAddress() {}

    /** The address {@code text} names, or {@code null} when it is not an IP literal (never resolved as a host name). */
    public static InetAddress parse(String text) {
        if (text == null || !IpLiteral.isIp(text)) {
            return null;
        }
        int zone = text.indexOf('%');
        String literal = zone >= 0 ? text.substring(0, zone) : text;
        try {
            // a literal: InetAddress parses it without any name service
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Whether {@code address} is public (a GeoIP database may place it). */
    public static boolean isPublic(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 4 ? publicV4(b, 0) : publicV6(b);
    }

    private static boolean publicV4(byte[] b, int at) {
        int a0 = b[at] & 0xff;
        int a1 = b[at + 1] & 0xff;
        int a2 = b[at + 2] & 0xff;
        if (a0 == 0 || a0 == 10 || a0 == 127 || a0 >= 224) {
            return false; // "this network", private, loopback, multicast 224/4, reserved 240/4 and broadcast
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return false; // 100.64.0.0/10 shared address space (CGNAT)
        }
        if (a0 == 169 && a1 == 254) {
            return false; // link-local
        }
        if (a0 == 172 && (a1 & 0xf0) == 16) {
            return false; // 172.16.0.0/12 private
        }
        if (a0 == 192 && a1 == 168) {
            return false; // private
        }
        if (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) {
            return false; // 192.0.0.0/24 protocol assignments, 192.0.2.0/24 TEST-NET-1
        }
        if (a0 == 192 && a1 == 88 && a2 == 99) {
            return false; // 6to4 relay anycast (deprecated)
        }
        if (a0 == 198 && (a1 & 0xfe) == 18) {
            return false; // 198.18.0.0/15 benchmarking
        }
        if (a0 == 198 && a1 == 51 && a2 == 100) {
            return false; // TEST-NET-2
        }
        return !(a0 == 203 && a1 == 0 && a2 == 113); // TEST-NET-3
    }

    private static boolean publicV6(byte[] b) {
        int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        if (w0 == 0) {
            // ::/128, ::1, IPv4-compatible and IPv4-mapped (InetAddress already turns ::ffff:a.b.c.d
            // into IPv4): nothing in ::/16 is a public IPv6 address
            return false;
        }
        if (w0 == 0x0064 && w1 == 0xff9b) {
            // 64:ff9b::/96 NAT64 (and the local-use 64:ff9b:1::/48): the IPv4 address inside decides
            return allZero(b, 4, 12) && publicV4(b, 12);
        }
        if ((w0 & 0xe000) != 0x2000) {
            // outside 2000::/3, the only global unicast space: 100::/64 discard, fc00::/7 unique
            // local, fe80::/10 link-local, fec0::/10 site-local, ff00::/8 multicast, and unassigned
            return false;
        }
        if (w0 == 0x2001 && w1 < 0x0200) {
            return false; // 2001::/23 IETF protocol assignments (Teredo, benchmarking, ORCHID, …)
        }
        if (w0 == 0x2001 && w1 == 0x0db8) {
            return false; // 2001:db8::/32 documentation
        }
        if (w0 == 0x3fff && w1 < 0x1000) {
            return false; // 3fff::/20 documentation (RFC 9637)
        }
        if (w0 == 0x2002) {
            return publicV4(b, 2); // 6to4: the IPv4 address inside decides
        }
        return true;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
