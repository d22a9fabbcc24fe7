package io.vigil.connectors.webhook;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLHandshakeException;

/**
 * Sends signed requests to one endpoint, asynchronously: a call returns at once and its future
 * completes with the response or the error, never with an exception. Redirects are followed only
 * when they keep the method and the body (307, 308) and stay on the same scheme, host and port;
 * TLS certificates are verified, by the JDK's trust store or the target's CA certificate.
 */
public final class WebhookClient implements AutoCloseable {

    /** How many same-origin redirects one attempt follows. */
    public static final int MAX_REDIRECTS = 3;
    public static final String USER_AGENT = "vigil-webhooks/1";

    /**
     * The result of one attempt.
     *
     * @param status HTTP status, or {@code null} when no response came
     * @param verdict what it means for the delivery
     * @param error what went wrong, or {@code null}
     * @param retryAfterMillis the server's {@code Retry-After}, or {@code null}
     */
    public record Response(Integer status, WebhookTarget.Verdict verdict, long latencyMillis, String error,
                           Long retryAfterMillis) {}

    private final WebhookTarget.Resolved target;
    private final ExecutorService executor;
    private final HttpClient http;

    public WebhookClient(WebhookTarget.Resolved target) {
        this.target = Objects.requireNonNull(target, "target");
        String name = target.target().name();
        AtomicInteger n = new AtomicInteger();
        // one pool per endpoint: a slow endpoint's callbacks never wait behind another's
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "vigil-webhook-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Duration timeout = target.target().timeout();
        HttpClient.Builder http = HttpClient.newBuilder();
        if (target.target().caCert() != null) {
            try {
                http.sslContext(io.vigil.connectors.tls.CaCertificates.sslContext(target.target().caCert()));
            } catch (java.io.IOException | java.security.GeneralSecurityException e) {
                executor.shutdownNow();
                throw new IllegalStateException("webhook '" + name + "': cannot use the CA certificate "
                        + target.target().caCert() + ": " + e.getMessage(), e);
            }
        }
        this.http = http
                .executor(executor)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .build();
    }

    public WebhookTarget.Resolved target() {
        return target;
    }

    /**
     * Sends attempt {@code attempt} of {@code request}, signed at {@code nowMillis}.
     */
    public CompletableFuture<Response> send(WebhookRequest request, int attempt, long nowMillis) {
        byte[] body = request.body().getBytes(StandardCharsets.UTF_8);
        long timestamp = Math.floorDiv(nowMillis, 1000L);
        String signature = WebhookSignature.sign(target.secret(), timestamp, body);
        long started = System.nanoTime();
        CompletableFuture<Response> result;
        try {
            result = exchange(target.uri(), request, body, timestamp, signature, attempt, 0)
                    .thenApply(resp -> response(resp, started));
        } catch (RuntimeException e) {
            // a request that cannot even be built is not worth retrying
            result = CompletableFuture.completedFuture(new Response(null, WebhookTarget.Verdict.FAIL,
                    millisSince(started), "request not sent: " + e.getMessage(), null));
        }
        return result.exceptionally(e -> failure(e, started));
    }

    private CompletableFuture<HttpResponse<Void>> exchange(URI uri, WebhookRequest request, byte[] body,
                                                           long timestamp, String signature, int attempt, int hops) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(target.target().timeout())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        target.headers().forEach(b::header);
        b.header("Content-Type", request.contentType())
                .header("User-Agent", USER_AGENT)
                .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(WebhookSignature.KEY_ID_HEADER, target.target().keyId())
                .header(WebhookSignature.SIGNATURE_HEADER, signature)
                .header(WebhookSignature.IDEMPOTENCY_HEADER, request.idempotencyKey())
                .header(WebhookSignature.ATTEMPT_HEADER, Integer.toString(attempt));
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.discarding()).thenCompose(resp -> {
            int s = resp.statusCode();
            if ((s == 307 || s == 308) && hops < MAX_REDIRECTS) {
                URI next = location(uri, resp);
                if (next != null && sameOrigin(uri, next)) {
                    return exchange(next, request, body, timestamp, signature, attempt, hops + 1);
                }
            }
            return CompletableFuture.completedFuture(resp);
        });
    }

    private static URI location(URI from, HttpResponse<?> resp) {
        return resp.headers().firstValue("Location").map(l -> {
            try {
                return from.resolve(l.trim());
            } catch (IllegalArgumentException e) {
                return null;
            }
        }).orElse(null);
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(String.valueOf(b.getScheme()))
                && a.getHost().equalsIgnoreCase(String.valueOf(b.getHost()))
                && port(a) == port(b);
    }

    private static int port(URI u) {
        if (u.getPort() != -1) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private Response response(HttpResponse<Void> resp, long started) {
        int status = resp.statusCode();
        WebhookTarget.Verdict verdict = WebhookTarget.verdict(status);
        String error = null;
        if (status >= 300 && status < 400) {
            URI to = location(resp.uri(), resp);
            error = "HTTP " + status + ": redirect " + (to == null || to.getHost() == null ? "without a usable Location"
                    : "to " + to.getScheme() + "://" + to.getHost() + (to.getPort() == -1 ? "" : ":" + to.getPort()))
                    + " not followed (only 307/308 to the same origin are)";
        } else if (verdict != WebhookTarget.Verdict.DELIVERED) {
            error = "HTTP " + status;
        }
        Long retryAfter = resp.headers().firstValue("Retry-After").map(v -> retryAfterMillis(v, System.currentTimeMillis()))
                .orElse(null);
        return new Response(status, verdict, millisSince(started), error, retryAfter);
    }

    private Response failure(Throwable e, long started) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        String what;
        WebhookTarget.Verdict verdict = WebhookTarget.Verdict.RETRY;
        if (t instanceof HttpTimeoutException) {
            what = "timed out after " + target.target().timeout().toMillis() + " ms";
        } else if (t instanceof SSLHandshakeException) {
            // an untrusted certificate does not fix itself between attempts
            what = "TLS handshake failed: " + t.getMessage();
            verdict = WebhookTarget.Verdict.FAIL;
        } else if (t instanceof ConnectException) {
            what = "connection refused or unreachable" + (t.getMessage() == null ? "" : ": " + t.getMessage());
        } else if (t instanceof IOException) {
            what = "I/O error: " + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        } else {
            what = "request failed: " + t;
            verdict = WebhookTarget.Verdict.FAIL;
        }
        return new Response(null, verdict, millisSince(started), what, null);
    }

    /** {@code Retry-After} as delta-seconds or an HTTP date; {@code null} when it is neither. */
    static Long retryAfterMillis(String value, long nowMillis) {
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Math.min(seconds, Integer.MAX_VALUE) * 1000L;
        } catch (NumberFormatException ignored) {
            // an HTTP date, then
        }
        try {
            long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT))
                    .toInstant().toEpochMilli();
            return Math.max(0, at - nowMillis);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000L;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
