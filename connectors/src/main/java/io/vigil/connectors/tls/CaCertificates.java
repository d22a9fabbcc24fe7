package io.vigil.connectors.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS trust in one CA certificate file (PEM, one or more certificates) instead of the JVM's trust
 * store: what Elasticsearch and webhook endpoints with a private CA need. Certificates and host
 * names are still verified.
 */
public final class CaCertificates {

    private CaCertificates() {}

    /** A TLS context trusting exactly the certificates of {@code pemFile}. */
    public static SSLContext sslContext(String pemFile) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("pkcs12");
        trust.load(null, null);
        int i = 0;
        try (InputStream in = Files.newInputStream(Path.of(pemFile))) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca" + i++, c);
            }
        }
        if (i == 0) {
            throw new GeneralSecurityException(pemFile + " holds no certificate");
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
