package io.vigil.connectors.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS is verified: an endpoint whose certificate nobody trusts gets nothing, and the failure is final. */
class WebhookTlsTest {

    @TempDir
    Path dir;

    @Test
    void anUntrustedCertificateFailsTheDeliveryWithoutRetries() throws Exception {
        // a self-signed certificate for 127.0.0.1, made with the JDK's keytool
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        try (InputStream out = keytool.getInputStream()) {
            out.readAllBytes();
        }
        assertThat(keytool.waitFor()).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        AtomicInteger handled = new AtomicInteger();
        server.createContext("/", ex -> {
            handled.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
        List<DeliveryAttempt> attempts = new ArrayList<>();
        List<DeadDelivery> dead = new ArrayList<>();
        try {
            WebhookTarget target = WebhookDispatcherTest.target("https://127.0.0.1:" + server.getAddress().getPort() + "/")
                    .build();
            try (WebhookDispatcher d = new WebhookDispatcher(target.resolve(Map.of("RESPONDER_SECRET", "s")::get),
                    Clock.systemUTC())) {
                d.deliver(List.of(WebhookDispatcherTest.request("k-tls")).iterator(), attempts::add, dead::add);
            }
        } finally {
            server.stop(0);
        }
        assertThat(handled).hasValue(0);
        assertThat(attempts).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(DeliveryAttempt.FAILED);
            assertThat(a.error()).startsWith("TLS handshake failed");
        });
        assertThat(dead).hasSize(1);
    }
}
