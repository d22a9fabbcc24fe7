package io.vigil.connectors.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.vigil.connectors.tls.TestCertificates;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS is verified: an endpoint whose certificate nobody trusts gets nothing, and the failure is
 * final; with its CA given ({@code ca-cert}) the same endpoint is delivered to.
 */
class WebhookTlsTest {

    @TempDir
    Path dir;

    @Test
    void anUntrustedCertificateFailsTheDeliveryWithoutRetriesAndItsCaMakesItTrusted() throws Exception {
        // a self-signed certificate for 127.0.0.1, made with the JDK's keytool
        TestCertificates certificate = TestCertificates.create(dir, "server");
        SSLContext ssl = certificate.serverContext();
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
        List<DeliveryAttempt> trusted = new ArrayList<>();
        try {
            WebhookTarget target = WebhookDispatcherTest.target("https://127.0.0.1:" + server.getAddress().getPort() + "/")
                    .build();
            try (WebhookDispatcher d = new WebhookDispatcher(target.resolve(Map.of("RESPONDER_SECRET", "s")::get),
                    Clock.systemUTC())) {
                d.deliver(List.of(WebhookDispatcherTest.request("k-tls")).iterator(), attempts::add, dead::add);
            }
            assertThat(handled).hasValue(0);
            WebhookTarget withCa = target.toBuilder().caCert(certificate.caPem().toString()).build();
            try (WebhookDispatcher d = new WebhookDispatcher(withCa.resolve(Map.of("RESPONDER_SECRET", "s")::get),
                    Clock.systemUTC())) {
                d.deliver(List.of(WebhookDispatcherTest.request("k-tls-ca")).iterator(), trusted::add, dead::add);
            }
        } finally {
            server.stop(0);
        }
        assertThat(attempts).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(DeliveryAttempt.FAILED);
            assertThat(a.error()).startsWith("TLS handshake failed");
        });
        assertThat(dead).hasSize(1);
        assertThat(trusted).singleElement().satisfies(a -> assertThat(a.outcome()).isEqualTo(DeliveryAttempt.DELIVERED));
        assertThat(handled).hasValue(1);
    }
}
