package io.vigil.connectors.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A server certificate for 127.0.0.1, self-signed (so it is its own CA), made by the JDK's
 * {@code keytool} the way an operator would: for the TLS endpoints of tests (an https proxy, a
 * webhook receiver, a Kafka listener), with what clients need to trust it.
 *
 * @param keystore PKCS12 store with the key pair and certificate, password {@link #password}
 * @param password the stores' password
 * @param caPem the certificate as PEM, what a client configured with a CA file trusts
 * @param truststore PKCS12 store holding only the certificate, password {@link #password}
 */
public record TestCertificates(String alias, Path keystore, String password, Path caPem, Path truststore) {

    public static final String PASSWORD = "test-store-password";

    /** A new key pair and certificate named {@code alias}, its files in {@code dir}. */
    public static TestCertificates create(Path dir, String alias) throws IOException {
        Path keystore = dir.resolve(alias + ".p12");
        Path pem = dir.resolve(alias + "-ca.pem");
        Path truststore = dir.resolve(alias + "-truststore.p12");
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + alias,
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-file", pem.toString());
        keytool("-importcert", "-noprompt", "-alias", alias, "-file", pem.toString(), "-keystore",
                truststore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        return new TestCertificates(alias, keystore, PASSWORD, pem, truststore);
    }

    /** A TLS context presenting this certificate: for a test server. */
    public SSLContext serverContext() throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, password.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        return tls;
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        // the output goes to a file, so waiting is bounded by the timeout, not by keytool closing its output
        Path log = Files.createTempFile("keytool", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("keytool " + args[0] + " did not finish within 60 s: " + output(log));
            }
            if (p.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + output(log));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String output(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
