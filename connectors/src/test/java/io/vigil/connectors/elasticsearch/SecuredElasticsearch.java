package io.vigil.connectors.elasticsearch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.vigil.model.EcsJson;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * Elasticsearch with security on, for tests: a loopback HTTP(S) server in front of the real test
 * node (which runs without the security plugin). It does what a secured cluster does at its door:
 *
 * <ul>
 *   <li>a request without an accepted {@code Authorization} header gets 401, as Elasticsearch
 *       answers it ({@code security_exception}, {@code WWW-Authenticate});
 *   <li>{@code GET /_security/_authenticate} answers with the user the header authenticates;
 *   <li>the audit indices ({@code vigil-audit-*}) take only {@code PUT …/_create/ID}, what the
 *       {@code create_doc} privilege allows; anything else there is 403 (and so is every write
 *       for a user given no audit privilege at all);
 *   <li>everything else is forwarded to the real node as it came (raw path and query), and its
 *       answer returned.
 * </ul>
 *
 * Every request is recorded with the {@code Authorization} header it carried. Shared by the tests
 * of the modules above (the connectors test-jar).
 */
public final class SecuredElasticsearch implements AutoCloseable {

    /** A request as it reached the door. */
    public record Seen(String method, String rawUri, String authorization) {}

    /** Who a header authenticates, and whether they may create audit entries. */
    public record User(String username, String authentication, String apiKeyName, boolean mayWriteAudit) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final HttpClient forward = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String node;
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final List<Seen> seen = java.util.Collections.synchronizedList(new ArrayList<>());

    private SecuredElasticsearch(HttpServer server, String node) {
        this.server = server;
        this.node = node.endsWith("/") ? node.substring(0, node.length() - 1) : node;
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Over http, in front of {@code node} (the real node's URL). */
    public static SecuredElasticsearch http(String node) throws IOException {
        return new SecuredElasticsearch(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0),
                node);
    }

    /** Over https with this server certificate, in front of {@code node}. */
    public static SecuredElasticsearch https(String node, SSLContext tls) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new SecuredElasticsearch(server, node);
    }

    /** Accepts {@code ApiKey KEY}, authenticating the key's owner. */
    public SecuredElasticsearch apiKey(String key, String owner, String keyName) {
        users.put("ApiKey " + key, new User(owner, "api_key", keyName, true));
        return this;
    }

    /** Accepts basic authentication of {@code user} with {@code password}. */
    public SecuredElasticsearch user(String user, String password) {
        users.put(basic(user, password), new User(user, "native", null, true));
        return this;
    }

    /** Accepts {@code ApiKey KEY} for a user with no privilege on the audit indices. */
    public SecuredElasticsearch apiKeyWithoutAudit(String key, String owner) {
        users.put("ApiKey " + key, new User(owner, "api_key", "no-audit", false));
        return this;
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public String url() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The requests so far. */
    public List<Seen> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    public void forget() {
        seen.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod();
            URI uri = exchange.getRequestURI();
            String rawPath = uri.getRawPath();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            seen.add(new Seen(method, uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()), auth));
            byte[] body = exchange.getRequestBody().readAllBytes();
            User user = auth == null ? null : users.get(auth);
            if (user == null) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"security\" charset=\"UTF-8\"");
                exchange.getResponseHeaders().add("WWW-Authenticate", "ApiKey");
                error(exchange, 401, "unable to authenticate with provided credentials and anonymous access is not "
                        + "allowed for this request");
                return;
            }
            if (rawPath.equals("/_security/_authenticate") && method.equals("GET")) {
                ObjectNode me = EcsJson.MAPPER.createObjectNode();
                me.put("username", user.username());
                me.putArray("roles").add("vigil_analyst");
                me.putObject("authentication_realm").put("name", user.authentication()).put("type", user.authentication());
                me.put("authentication_type", user.apiKeyName() == null ? "realm" : "api_key");
                if (user.apiKeyName() != null) {
                    me.putObject("api_key").put("id", "k-" + user.apiKeyName()).put("name", user.apiKeyName());
                }
                send(exchange, 200, EcsJson.toJson(me).getBytes(StandardCharsets.UTF_8), "application/json");
                return;
            }
            if (rawPath.startsWith("/vigil-audit")) {
                boolean create = method.equals("PUT") && rawPath.matches("/vigil-audit-[^/]+/_create/[^/]+");
                if (!create || !user.mayWriteAudit()) {
                    error(exchange, 403, "action [indices:data/write/index] is unauthorized for user ["
                            + user.username() + "] with effective roles [vigil_analyst] on indices [vigil-audit-*]");
                    return;
                }
            }
            forward(exchange, method, uri, body);
        } catch (IOException | RuntimeException e) {
            error(exchange, 502, "proxy: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(exchange, 502, "proxy interrupted");
        } finally {
            exchange.close();
        }
    }

    private void forward(HttpExchange exchange, String method, URI uri, byte[] body)
            throws IOException, InterruptedException {
        String target = node + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(60))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        // the Java client negotiates its media type (compatible-with=8) in both headers
        for (String header : List.of("Content-Type", "Accept")) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        HttpResponse<InputStream> answer = forward.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        byte[] bytes;
        try (InputStream in = answer.body()) {
            bytes = in.readAllBytes();
        }
        // the node's headers back (the Java client wants X-Elastic-Product), but those of the transfer
        answer.headers().map().forEach((name, values) -> {
            if (!List.of("content-length", "transfer-encoding", "connection", "content-type").contains(
                    name.toLowerCase(java.util.Locale.ROOT))) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        send(exchange, answer.statusCode(), bytes,
                answer.headers().firstValue("Content-Type").orElse("application/json"));
    }

    private static void error(HttpExchange exchange, int status, String reason) throws IOException {
        ObjectNode body = EcsJson.MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.putArray("root_cause").addObject().put("type", "security_exception").put("reason", reason);
        error.put("type", "security_exception");
        error.put("reason", reason);
        body.put("status", status);
        send(exchange, status, EcsJson.toJson(body).getBytes(StandardCharsets.UTF_8), "application/json");
    }

    private static void send(HttpExchange exchange, int status, byte[] body, String type) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        if (body.length == 0 || "HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
