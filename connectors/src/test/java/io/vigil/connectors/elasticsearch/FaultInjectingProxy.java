package io.vigil.connectors.elasticsearch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP proxy in front of a real Elasticsearch node that can answer some requests
 * itself: the faults a cluster, a load balancer or a security layer produce (401, 403, 400 for
 * a whole request, 413 for a large body), while everything else reaches the real node. It keeps
 * every request it received, so a test can read what the client sent.
 */
public final class FaultInjectingProxy implements AutoCloseable {

    /** A request as the proxy received it. */
    public record Received(String method, String path, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public boolean isBulk() {
            return path.startsWith("/_bulk");
        }
    }

    /** An answer the proxy gives instead of the node's. */
    public record Reply(int status, String contentType, byte[] body) {

        /** An Elasticsearch-shaped error ({@code {"error":{"type":…,"reason":…},"status":…}}). */
        public static Reply error(int status, String type, String reason) {
            String json = "{\"error\":{\"root_cause\":[{\"type\":\"" + type + "\",\"reason\":\"" + reason + "\"}],"
                    + "\"type\":\"" + type + "\",\"reason\":\"" + reason + "\"},\"status\":" + status + "}";
            return new Reply(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }

        /** A status without a body, as a reverse proxy or Netty's size check answers. */
        public static Reply empty(int status) {
            return new Reply(status, null, new byte[0]);
        }
    }

    /** Decides the answer to a request: a reply, or {@code null} to pass it to the node. */
    @FunctionalInterface
    public interface Fault {
        Reply answer(Received request);

        Fault NONE = r -> null;

        /** Every bulk request answered with this error. */
        static Fault bulk(int status, String type, String reason) {
            return r -> r.isBulk() ? Reply.error(status, type, reason) : null;
        }

        /** Bulk requests with a body over {@code maxBytes} answered 413, the others passed on. */
        static Fault bulkLargerThan(int maxBytes) {
            return r -> r.isBulk() && r.body().length > maxBytes ? Reply.empty(413) : null;
        }
    }

    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive");

    private final HttpServer server;
    private final ExecutorService threads;
    private final HttpClient upstream = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String target;
    private final List<Received> received = new ArrayList<>();
    private volatile Fault fault = Fault.NONE;

    private FaultInjectingProxy(String target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        this.threads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "es-fault-proxy");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A proxy on a free loopback port passing everything to {@code target} ({@code http://127.0.0.1:9200}). */
    public static FaultInjectingProxy to(String target) throws IOException {
        return new FaultInjectingProxy(target);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on, requests are answered by {@code fault} (or passed on where it answers {@code null}). */
    public void fault(Fault fault) {
        this.fault = fault;
    }

    /** The requests received so far. */
    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** The bulk requests received so far. */
    public List<Received> bulkRequests() {
        return received().stream().filter(Received::isBulk).toList();
    }

    public synchronized void clear() {
        received.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            byte[] body = exchange.getRequestBody().readAllBytes();
            Received request = new Received(exchange.getRequestMethod(), path, body);
            synchronized (this) {
                received.add(request);
            }
            Reply reply = fault.answer(request);
            if (reply == null) {
                reply = forward(exchange, request);
            } else {
                exchange.getResponseHeaders().set("X-Elastic-Product", "Elasticsearch");
            }
            if (reply.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            }
            exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            if (reply.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        }
    }

    private Reply forward(HttpExchange exchange, Received request) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + request.path()))
                .timeout(Duration.ofSeconds(60))
                .method(request.method(), request.body().length == 0
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
            if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                h.getValue().forEach(v -> b.header(h.getKey(), v));
            }
        }
        HttpResponse<byte[]> response;
        try {
            response = upstream.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding to " + target, e);
        }
        response.headers().firstValue("X-Elastic-Product")
                .ifPresent(v -> exchange.getResponseHeaders().set("X-Elastic-Product", v));
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                response.body());
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
