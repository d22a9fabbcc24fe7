package io.vigil.rules.exceptions;

import io.vigil.model.IpLiteral;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 network of an exception's {@code cidr}. Text is turned into an address only when
 * it is an IP literal ({@link IpLiteral}): no name is ever looked up, whatever an event holds.
 */
record AddressRange(byte[] network, int prefix) {

    /** The range of {@code text} ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, or one address), or null when it is not one. */
    static AddressRange parse(String text) {
        int slash = text.indexOf('/');
        byte[] bytes = address(slash < 0 ? text : text.substring(0, slash));
        if (bytes == null) {
            return null;
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            String digits = text.substring(slash + 1);
            if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            prefix = Integer.parseInt(digits);
            if (prefix > bytes.length * 8) {
                return null;
            }
        }
        return new AddressRange(bytes, prefix);
    }

    /** The bytes of an IP literal (4 or 16), or null when {@code text} is not one. */
    static byte[] address(String text) {
        if (text == null || text.isEmpty() || !IpLiteral.isIp(text)) {
            return null;
        }
        int zone = text.indexOf('%');
        try {
            return InetAddress.getByName(zone < 0 ? text : text.substring(0, zone)).getAddress();
        } catch (UnknownHostException e) {
            return null; // not reached for a literal
        }
    }

    /** Whether the address {@code a} (bytes of {@link #address}) is in this range. */
    boolean contains(byte[] a) {
        if (a == null || a.length != network.length) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int bits = prefix % 8;
        if (bits == 0) {
            return true;
        }
        int mask = (0xff << (8 - bits)) & 0xff;
        return (a[whole] & mask) == (network[whole] & mask);
    }
}
