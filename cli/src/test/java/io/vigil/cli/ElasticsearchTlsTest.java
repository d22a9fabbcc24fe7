package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cli.triage.TestIncidents;
import io.vigil.jobs.stream.StreamingServices;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Elasticsearch over https with a certificate of its own CA (a self-signed certificate made by
 * the JDK's keytool for 127.0.0.1): without that CA the commands stop with an error that says to
 * give it; with it (option or environment variable) they work.
 */
class ElasticsearchTlsTest {

    private static final String KEY = IncidentsSecurityTest.KEY;
    private static final String STORE_PASSWORD = "test-store-password";

    @TempDir
    static Path dir;

    private static SecuredElasticsearch https;
    private static Path ca;
    private static Path otherCa;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void start() throws Exception {
        Path store = keyPair("es", dir.resolve("es.p12"));
        ca = exportCertificate("es", store, dir.resolve("ca.pem"));
        otherCa = exportCertificate("other", keyPair("other", dir.resolve("other.p12")), dir.resolve("other-ca.pem"));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, STORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, STORE_PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        https = SecuredElasticsearch.https(StreamingServices.ES.url(), tls).apiKey(KEY, "carol", "triage-cli");
        TestIncidents.write(StreamingServices.REST, TestIncidents.open("tls-incident"));
    }

    @AfterAll
    static void stop() {
        https.close();
    }

    /** A key pair and self-signed certificate for 127.0.0.1 in a new PKCS12 store, by the JDK's keytool. */
    private static Path keyPair(String alias, Path store) throws Exception {
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + alias,
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        return store;
    }

    private static Path exportCertificate(String alias, Path store, Path pem) throws Exception {
        keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", store.toString(), "-storepass", STORE_PASSWORD,
                "-file", pem.toString());
        return pem;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }

    private int vigil(Map<String, String> env, String... args) {
        err.getBuffer().setLength(0);
        CommandLine cl = VigilCli.commandLine();
        ((IncidentsCommand) cl.getSubcommands().get("incidents").getCommand()).getenv = env::get;
        ((SetupCommand) cl.getSubcommands().get("setup").getCommand()).getenv = env::get;
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void anUntrustedCertificateIsAClearErrorThatSaysWhereTheCaGoes() {
        assertThat(vigil(Map.of("VIGIL_ES_API_KEY", KEY), "incidents", "show", "--es", https.url(), "tls-incident"))
                .isEqualTo(VigilCli.FAILURE);
        assertThat(err.toString()).contains("Elasticsearch at " + https.url() + ": its TLS certificate is not trusted")
                .contains("no CA certificate was given and this JVM's trust store does not hold its issuer")
                .contains("$VIGIL_ES_CA_CERT").contains("--es-ca-cert");

        assertThat(vigil(Map.of("VIGIL_ES_API_KEY", KEY), "setup", "--es", https.url(), "--es-ca-cert",
                otherCa.toString())).isEqualTo(VigilCli.FAILURE);
        assertThat(err.toString()).contains("it is not signed by the CA certificate " + otherCa);
    }

    @Test
    void theCaFromTheOptionOrTheEnvironmentIsTrusted() {
        assertThat(vigil(Map.of("VIGIL_ES_API_KEY", KEY), "incidents", "show", "--es", https.url(), "--es-ca-cert",
                ca.toString(), "tls-incident")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Incident tls-incident");
        assertThat(vigil(Map.of("VIGIL_ES_API_KEY", KEY, "VIGIL_ES_CA_CERT", ca.toString()), "incidents", "list", "--es",
                https.url())).as(err.toString()).isZero();
        assertThat(https.seen()).isNotEmpty().allSatisfy(r -> assertThat(r.authorization()).isEqualTo("ApiKey " + KEY));
    }
}
