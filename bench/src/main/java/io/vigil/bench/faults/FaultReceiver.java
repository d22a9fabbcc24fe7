package io.vigil.bench.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vigil.connectors.webhook.WebhookSignature;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The responder of the fault scenarios: a JDK {@code HttpServer} on loopback that verifies each
 * request's Vigil signature and records, per idempotency key, how many times it accepted it (answered
 * 200). A receiver with faults answers a share of the requests with a fault instead, chosen by a
 * seeded hash of the request's idempotency key and attempt number (so the same request gets the same
 * answer in every run, whatever the order the requests come in): an HTTP 500 or 503, no answer until
 * after the client's timeout (then 503, to a client long gone), or the connection closed without an
 * answer.
 *
 * <p>A request whose signature does not verify is answered 401 and counted, never accepted.
 */
public final class FaultReceiver implements AutoCloseable {

    /** What the receiver did with one request. */
    public enum Answer { ACCEPTED, HTTP_5XX, TIMEOUT, RESET, BAD_SIGNATURE }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-receiver");
        t.setDaemon(true);
        return t;
    });
    private final byte[] secret;
    private final double faultShare;
    private final long seed;
    private final Duration hold;
    private final Map<String, Integer> accepted = new ConcurrentHashMap<>();
    private final Map<Answer, AtomicLong> answers = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private volatile long lastRequestNanos = System.nanoTime();

    private FaultReceiver(String secret, double faultShare, long seed, Duration hold) throws IOException {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.faultShare = faultShare;
        this.seed = seed;
        this.hold = hold;
        for (Answer a : Answer.values()) {
            answers.put(a, new AtomicLong());
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A receiver that accepts every correctly signed request. */
    public static FaultReceiver healthy(String secret) throws IOException {
        return new FaultReceiver(secret, 0, 0, Duration.ZERO);
    }

    /**
     * A receiver that answers {@code faultShare} of the requests with a fault, a third each of 5xx,
     * timeouts (held for {@code hold}, longer than the client's timeout) and closed connections.
     */
    public static FaultReceiver faulty(String secret, double faultShare, long seed, Duration hold) throws IOException {
        return new FaultReceiver(secret, faultShare, seed, hold);
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Accepted (answered 200) requests per idempotency key. */
    public Map<String, Integer> accepted() {
        return new TreeMap<>(accepted);
    }

    /** Requests by answer. */
    public Map<String, Long> answers() {
        Map<String, Long> out = new TreeMap<>();
        answers.forEach((a, n) -> out.put(a.name().toLowerCase(java.util.Locale.ROOT), n.get()));
        return out;
    }

    public long requests() {
        return requests.get();
    }

    /** Time since the last request came in. */
    public Duration quietFor() {
        return Duration.ofNanos(System.nanoTime() - lastRequestNanos);
    }

    /** The answer to attempt {@code attempt} of the delivery {@code key}: the same in every run for the same seed. */
    Answer decide(String key, String attempt) {
        if (faultShare <= 0) {
            return Answer.ACCEPTED;
        }
        long h = mix(seed ^ mix(key.hashCode() * 31L + (attempt == null ? 0 : attempt.hashCode())));
        double u = (h >>> 11) * 0x1.0p-53;
        if (u >= faultShare) {
            return Answer.ACCEPTED;
        }
        double third = faultShare / 3;
        return u < third ? Answer.HTTP_5XX : u < 2 * third ? Answer.TIMEOUT : Answer.RESET;
    }

    /** SplitMix64's finalizer. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private void handle(HttpExchange ex) throws IOException {
        lastRequestNanos = System.nanoTime();
        requests.incrementAndGet();
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        String problem = WebhookSignature.verify(secret, ex.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER),
                ex.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER), body,
                System.currentTimeMillis() / 1000, 300);
        String key = ex.getRequestHeaders().getFirst(WebhookSignature.IDEMPOTENCY_HEADER);
        Answer answer = problem != null || key == null ? Answer.BAD_SIGNATURE
                : decide(key, ex.getRequestHeaders().getFirst(WebhookSignature.ATTEMPT_HEADER));
        answers.get(answer).incrementAndGet();
        switch (answer) {
            case ACCEPTED -> {
                accepted.merge(key, 1, Integer::sum);
                respond(ex, 200);
            }
            case BAD_SIGNATURE -> respond(ex, 401);
            case HTTP_5XX -> respond(ex, (lastRequestNanos & 1) == 0 ? 500 : 503);
            case TIMEOUT -> {
                try {
                    Thread.sleep(hold.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                respond(ex, 503);
            }
            // closing the exchange before any answer closes the connection: the client reads no status
            case RESET -> ex.close();
        }
        lastRequestNanos = System.nanoTime();
    }

    private static void respond(HttpExchange ex, int status) {
        try {
            ex.sendResponseHeaders(status, -1);
        } catch (IOException e) {
            // the client is gone (it timed out): nothing to answer
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
