package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.connectors.elasticsearch.ElasticsearchConnection;
import io.vigil.connectors.elasticsearch.SecuredElasticsearch;
import io.vigil.connectors.tls.TestCertificates;
import io.vigil.cli.triage.TestIncidents;
import io.vigil.jobs.stream.StreamingServices;
import io.vigil.jobs.wiring.Connections;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Elasticsearch over https with a certificate of its own CA (a self-signed certificate made by
 * the JDK's keytool for 127.0.0.1, {@link TestCertificates}): without that CA the commands stop with an error that says to
 * give it; with it (option or environment variable) they work.
 */
class ElasticsearchTlsTest {

    private static final String KEY = IncidentsSecurityTest.KEY;

    @TempDir
    static Path dir;

    private static SecuredElasticsearch https;
    private static Path ca;
    private static Path otherCa;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void start() throws Exception {
        TestCertificates es = TestCertificates.create(dir, "es");
        ca = es.caPem();
        otherCa = TestCertificates.create(dir, "other").caPem();
        https = SecuredElasticsearch.https(StreamingServices.ES.url(), es.serverContext()).apiKey(KEY, "carol", "triage-cli");
        // the incident index as Vigil maps it, whichever test class ran first on the shared node
        Connections.installTemplates(ElasticsearchConnection.of(StreamingServices.ES.url()));
        TestIncidents.write(StreamingServices.REST, TestIncidents.open("tls-incident"));
    }

    @AfterAll
    static void stop() {
        https.close();
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
