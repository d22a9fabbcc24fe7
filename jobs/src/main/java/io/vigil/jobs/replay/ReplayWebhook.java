package io.vigil.jobs.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vigil.connectors.webhook.DeliveryAttempt;
import io.vigil.connectors.webhook.WebhookDispatcher;
import io.vigil.connectors.webhook.WebhookRequest;
import io.vigil.connectors.webhook.WebhookTarget;
import io.vigil.jobs.VigilJob;
import io.vigil.jobs.io.NdjsonFileSink;
import io.vigil.jobs.webhook.DeliveryDocuments;
import io.vigil.jobs.webhook.WebhookFilter;
import io.vigil.jobs.webhook.WebhookFormat;
import io.vigil.jobs.webhook.WebhookRequests;
import io.vigil.jobs.webhook.WebhookRoute;
import io.vigil.model.Alert;
import io.vigil.model.EcsJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.util.ListCollector;

/**
 * {@code vigil replay --webhook URL}: the replay's new alerts, delivered to one endpoint once the
 * job is done. The job renders each new alert's request exactly as the streaming job does
 * ({@link WebhookRequests#of(Alert, List, org.apache.flink.util.Collector)}: generic JSON, later
 * copies of an alert skipped) into a temporary file in the output directory; then they are
 * delivered in alert time order, one per idempotency key (the alert id), through
 * {@link WebhookDispatcher} with the signing, retries and bounds of the stream.
 */
public final class ReplayWebhook {

    /** The endpoint's name in records, and its key id. */
    public static final String ENDPOINT = "replay";
    public static final String SECRET_ENV = "VIGIL_WEBHOOK_SECRET";
    public static final String DELIVERIES_FILE = "deliveries.ndjson";
    public static final String DEAD_LETTERS_FILE = "webhook-dead-letters.ndjson";
    /** The rendered requests, written by the job, deleted once the replay is done. */
    static final String REQUESTS_FILE = ".webhook-requests.ndjson";

    public static final int MAX_ATTEMPTS = 5;
    public static final Duration INITIAL_BACKOFF = Duration.ofMillis(500);
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** What became of the run's alerts: requests made (distinct alerts), delivered, dead-lettered, attempts. */
    public record Result(long requests, long delivered, long deadLettered, long attempts) {}

    private ReplayWebhook() {}

    /**
     * The endpoint at {@code url}, signed with the secret in {@value #SECRET_ENV}, key id
     * {@value #ENDPOINT}, with a modest retry budget.
     *
     * @throws IllegalArgumentException when {@code url} is not an http(s) URL without credentials
     */
    public static WebhookTarget target(String url) {
        return WebhookTarget.builder().name(ENDPOINT).url(url).secretEnv(SECRET_ENV).keyId(ENDPOINT)
                .maxAttempts(MAX_ATTEMPTS).initialBackoff(INITIAL_BACKOFF).maxBackoff(MAX_BACKOFF).timeout(TIMEOUT)
                .build();
    }

    /** The job output writing each new alert's request, as JSON, one a line, to {@code file}. */
    static VigilJob.Output<Alert> requestsOutput(WebhookTarget target, Path file) {
        WebhookRoute route = new WebhookRoute(target, WebhookFormat.GENERIC, WebhookFilter.ALL_ALERTS);
        return new VigilJob.Output<>(NdjsonFileSink.<Alert>builder().path(file.toString())
                .encoder(a -> requestLine(a, route)).build(), "webhook requests", "webhook-requests-sink", 1);
    }

    /** The request for {@code a} as a JSON line, or {@code null} when it gets none (a later copy). */
    static String requestLine(Alert a, WebhookRoute route) {
        List<WebhookRequest> requests = new ArrayList<>(1);
        WebhookRequests.of(a, List.of(route), new ListCollector<>(requests));
        if (requests.isEmpty()) {
            return null;
        }
        try {
            return EcsJson.MAPPER.writeValueAsString(requests.get(0));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The requests in {@code file}: one per idempotency key (the first), in alert time order (then
     * key).
     */
    static List<WebhookRequest> read(Path file) throws IOException {
        Map<String, WebhookRequest> byKey = new LinkedHashMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    WebhookRequest r = EcsJson.MAPPER.readValue(line, WebhookRequest.class);
                    byKey.putIfAbsent(r.idempotencyKey(), r);
                }
            }
        }
        List<WebhookRequest> out = new ArrayList<>(byKey.values());
        out.sort(Comparator.comparingLong(WebhookRequest::createdAt).thenComparing(WebhookRequest::idempotencyKey));
        return out;
    }

    /**
     * Delivers the requests of {@code requestsFile} to {@code target}, writing every attempt to
     * {@code outDir}/{@value #DELIVERIES_FILE} and every delivery given up to
     * {@code outDir}/{@value #DEAD_LETTERS_FILE}, with a progress line every
     * {@code progressIntervalMs} (0: none).
     */
    static Result deliver(WebhookTarget.Resolved target, Path requestsFile, Path outDir, long progressIntervalMs,
                          PrintStream progress) throws Exception {
        List<WebhookRequest> requests = read(requestsFile);
        AtomicLong delivered = new AtomicLong();
        AtomicLong dead = new AtomicLong();
        AtomicLong attempts = new AtomicLong();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "replay-webhook-progress");
            t.setDaemon(true);
            return t;
        });
        if (progressIntervalMs > 0) {
            ticker.scheduleAtFixedRate(() -> progress.printf("webhook: %,d of %,d delivered, %,d dead-lettered, "
                            + "%,d attempts%n", delivered.get(), requests.size(), dead.get(), attempts.get()),
                    progressIntervalMs, progressIntervalMs, TimeUnit.MILLISECONDS);
        }
        WebhookDispatcher.Summary s;
        try (BufferedWriter deliveries = Files.newBufferedWriter(outDir.resolve(DELIVERIES_FILE), StandardCharsets.UTF_8);
             BufferedWriter deadLetters = Files.newBufferedWriter(outDir.resolve(DEAD_LETTERS_FILE),
                     StandardCharsets.UTF_8);
             WebhookDispatcher dispatcher = new WebhookDispatcher(target, Clock.systemUTC())) {
            s = dispatcher.deliver(requests.iterator(), a -> {
                attempts.incrementAndGet();
                if (DeliveryAttempt.DELIVERED.equals(a.outcome())) {
                    delivered.incrementAndGet();
                }
                line(deliveries, DeliveryDocuments.write(a));
            }, d -> {
                dead.incrementAndGet();
                line(deadLetters, EcsJson.write(DeliveryDocuments.deadLetter(d)));
            });
        } finally {
            ticker.shutdownNow();
        }
        return new Result(requests.size(), s.delivered(), s.deadLettered(), s.attempts());
    }

    private static void line(Writer w, String line) {
        try {
            w.write(line);
            w.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
