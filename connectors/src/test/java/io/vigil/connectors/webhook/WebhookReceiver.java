package io.vigil.connectors.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real HTTP server on loopback that plays a responder: answers each request with the next
 * scripted reply (then the default), verifies the Vigil signature with its secret, and records
 * what it received, for tests to wait on and inspect.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** A scripted reply: a status with headers, or no answer at all until the receiver closes. */
    public record Reply(int status, Map<String, String> headers, boolean hangs) {
        public static Reply status(int status) {
            return new Reply(status, Map.of(), false);
        }

        public static Reply status(int status, String header, String value) {
            return new Reply(status, Map.of(header, value), false);
        }

        public static Reply hang() {
            return new Reply(0, Map.of(), true);
        }
    }

    /** A request as received. */
    public record Received(String method, String path, Map<String, String> headers, String body, int replied,
                           String signatureProblem, long receivedAtMillis) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        public String idempotencyKey() {
            return header(WebhookSignature.IDEMPOTENCY_HEADER);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "webhook-receiver");
        t.setDaemon(true);
        return t;
    });
    private final byte[] secret;
    private final Deque<Reply> script = new ArrayDeque<>();
    private final List<Received> received = new ArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private Reply otherwise = Reply.status(200);
    private int hanging;

    private WebhookReceiver(String secret, javax.net.ssl.SSLContext tls) throws IOException {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(loopback, 50);
        } else {
            com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(loopback, 50);
            https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
            server = https;
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A receiver verifying signatures with {@code secret}; it answers 200 until told otherwise. */
    public static WebhookReceiver start(String secret) throws IOException {
        return new WebhookReceiver(secret, null);
    }

    /** The same over https, presenting the certificate of {@code tls}. */
    public static WebhookReceiver startHttps(String secret, javax.net.ssl.SSLContext tls) throws IOException {
        return new WebhookReceiver(secret, tls);
    }

    /** {@code http(s)://127.0.0.1:port/path}. */
    public String url(String path) {
        return (server instanceof com.sun.net.httpserver.HttpsServer ? "https://" : "http://") + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The next requests get these replies, in order. */
    public synchronized WebhookReceiver then(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /** Requests beyond the script get this reply. */
    public synchronized WebhookReceiver otherwise(Reply reply) {
        this.otherwise = reply;
        return this;
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** Requests being held without an answer right now. */
    public synchronized int hanging() {
        return hanging;
    }

    /** Waits until what was received satisfies {@code condition}; fails after {@code timeout}. */
    public List<Received> await(String what, Predicate<List<Received>> condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!condition.test(received)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("timed out waiting for " + what + "; received " + received);
                }
                wait(left);
            }
            return List.copyOf(received);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, String> headers = new TreeMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
        String problem = WebhookSignature.verify(secret, headers.get("x-vigil-timestamp"),
                headers.get("x-vigil-signature"), body, System.currentTimeMillis() / 1000, 300);
        Reply reply;
        synchronized (this) {
            reply = script.isEmpty() ? otherwise : script.poll();
            received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().getPath(), headers,
                    new String(body, StandardCharsets.UTF_8), reply.hangs() ? -1 : reply.status(), problem,
                    System.currentTimeMillis()));
            if (reply.hangs()) {
                hanging++;
            }
            notifyAll();
        }
        if (reply.hangs()) {
            try {
                closing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
            return;
        }
        reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.sendResponseHeaders(reply.status(), -1);
        ex.close();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
