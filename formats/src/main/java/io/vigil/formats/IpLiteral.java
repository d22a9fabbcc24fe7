package io.vigil.formats;

/**
 * Tells IP literals from host names without any lookup ({@link java.net.InetAddress#getByName}
 * would resolve names, which a decoder must never do): the decoders' name for
 * {@link io.vigil.model.IpLiteral}, which decides what an event may hold in a field mapped as ip.
 */
final class IpLiteral {

    private IpLiteral() {}

    static boolean isIp(String s) {
        return io.vigil.model.IpLiteral.isIp(s);
    }
}
