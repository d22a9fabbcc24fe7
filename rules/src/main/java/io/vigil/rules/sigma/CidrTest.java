package io.vigil.rules.sigma;

import io.vigil.model.IpLiteral;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Whether a value is an IP address (v4 or v6) inside a network. The value is parsed only when it
 * is an IP literal ({@link IpLiteral}), so no name is ever looked up.
 */
record CidrTest(byte[] network, int prefix) implements ValueTest {

    static CidrTest parse(String cidr) throws SigmaException {
        int slash = cidr.indexOf('/');
        String address = slash < 0 ? cidr.strip() : cidr.substring(0, slash).strip();
        byte[] bytes = bytes(address);
        if (bytes == null) {
            throw SigmaException.problem("cidr: '" + cidr + "' is not an IPv4 or IPv6 network");
        }
        int prefix;
        try {
            prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(cidr.substring(slash + 1).strip());
        } catch (NumberFormatException e) {
            throw SigmaException.problem("cidr: '" + cidr + "' has no prefix length after '/'");
        }
        if (prefix < 0 || prefix > bytes.length * 8) {
            throw SigmaException.problem("cidr: prefix /" + prefix + " out of range in '" + cidr + "'");
        }
        return new CidrTest(bytes, prefix);
    }

    /** The address bytes of an IP literal, or null when {@code text} is not one. */
    static byte[] bytes(String text) {
        if (text == null || text.isEmpty() || text.length() > 45 || !IpLiteral.isIp(text)) {
            return null;
        }
        int zone = text.indexOf('%');
        try {
            // a literal without its zone: no name is looked up
            return InetAddress.getByName(zone < 0 ? text : text.substring(0, zone)).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public boolean test(String value, String lower) {
        byte[] a = bytes(value.strip());
        if (a == null || a.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }
}
