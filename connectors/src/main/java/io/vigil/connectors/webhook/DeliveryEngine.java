package io.vigil.connectors.webhook;

import java.util.Comparator;
import java.util.HashSet;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.DoubleSupplier;

/**
 * Deliveries to one endpoint, driven by one thread: {@link #offer} queues a request, {@link #pump}
 * records the attempts that finished, sends what is due within the in-flight and rate bounds,
 * and says when it wants to be pumped again. Nothing here blocks: requests go out asynchronously
 * and their results are picked up by the next pump, so a slow or dead endpoint only fills its own
 * queue, up to {@link WebhookTarget#maxPending()}, beyond which requests are dead-lettered.
 *
 * <p>Urgent requests ({@link WebhookRequest.Priority#URGENT}) come first twice over: a share of the
 * queue ({@link WebhookTarget#reservedForUrgent()}) is theirs alone, so a flood of normal requests
 * filling the rest never refuses one; and of the deliveries due, urgent ones are sent first.
 *
 * <p>The queue lives in a {@link Store}: Flink keyed state in the job, so pending deliveries
 * survive a restart, or memory for the command line. Which attempts are in flight is not stored:
 * after a restore they are simply due again, sent with the same idempotency key.
 */
public final class DeliveryEngine implements AutoCloseable {

    /** How often a pump looks for finished attempts while some are in flight. */
    public static final long POLL_MILLIS = 20;

    /** Where the queue lives. Calls come from the pumping thread only. */
    public interface Store {
        PendingDelivery get(String key) throws Exception;

        void put(String key, PendingDelivery delivery) throws Exception;

        void remove(String key) throws Exception;

        Iterable<PendingDelivery> all() throws Exception;

        int size() throws Exception;
    }

    /** Where attempts and dead letters go. */
    public interface Outputs {
        void attempt(DeliveryAttempt attempt);

        void dead(DeadDelivery dead);
    }

    /** What became of an offered request. */
    public enum Admission { QUEUED, DUPLICATE, REFUSED }

    private record Finished(PendingDelivery delivery, int attempt, long startedAt, WebhookClient.Response response) {}

    /** A queued delivery not in flight, by when it is due: the send order within a priority. */
    private record Waiting(long due, long createdAt, String key) {}

    private static final Comparator<Waiting> ORDER = Comparator.comparingLong(Waiting::due)
            .thenComparingLong(Waiting::createdAt).thenComparing(Waiting::key);

    private final WebhookClient client;
    private final WebhookTarget target;
    private final DoubleSupplier random;
    private final TokenBucket bucket;
    private final Set<String> inFlight = new HashSet<>();
    private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
    private volatile Runnable onFinished = () -> { };
    /**
     * The store's deliveries not in flight, urgent and normal apart, each in send order: an index
     * kept in memory so a pump looks only at what is due, rebuilt from the store after a restore.
     */
    private final PriorityQueue<Waiting> urgent = new PriorityQueue<>(ORDER);
    private final PriorityQueue<Waiting> normal = new PriorityQueue<>(ORDER);
    private boolean indexed;

    /** @param random jitter source, values in [0, 1) */
    public DeliveryEngine(WebhookClient client, DoubleSupplier random) {
        this.client = Objects.requireNonNull(client, "client");
        this.target = client.target().target();
        this.random = Objects.requireNonNull(random, "random");
        this.bucket = new TokenBucket(target.ratePerSecond());
    }

    public WebhookTarget target() {
        return target;
    }

    /** Called (from an HTTP thread) whenever an attempt finishes, for a pump loop that waits. */
    public void onFinished(Runnable callback) {
        this.onFinished = Objects.requireNonNull(callback, "callback");
    }

    public int inFlight() {
        return inFlight.size();
    }

    /**
     * Queues {@code request}, unless the same key is already queued or the queue is full for its
     * priority (then dead-lettered): normal requests may not take the places reserved for urgent ones.
     */
    public Admission offer(Store store, WebhookRequest request, long now, Outputs out) throws Exception {
        String key = request.idempotencyKey();
        if (store.get(key) != null) {
            return Admission.DUPLICATE;
        }
        if (!hasRoom(store, request.priority())) {
            refuse(request, now, fullReason(store.size(), request.priority()), out);
            return Admission.REFUSED;
        }
        index(store);
        store.put(key, new PendingDelivery(request, now));
        waiting(request).add(new Waiting(now, request.createdAt(), key));
        return Admission.QUEUED;
    }

    /** Whether a request of {@code priority} would be queued now (for callers that wait instead of refusing). */
    public boolean hasRoom(Store store, WebhookRequest.Priority priority) throws Exception {
        return store.size() < target.capacityFor(priority);
    }

    private String fullReason(int pending, WebhookRequest.Priority priority) {
        String where = "webhook " + target.name() + ": ";
        int reserved = target.reservedForUrgent();
        if (priority == WebhookRequest.Priority.URGENT || reserved == 0) {
            return where + "queue full (" + pending + " deliveries pending, max-pending " + target.maxPending()
                    + "); the endpoint is slow or down";
        }
        return where + "queue full for normal deliveries (" + pending + " pending; the last " + reserved + " of "
                + "max-pending " + target.maxPending() + " are reserved for urgent ones); the endpoint is slow or down";
    }

    private PriorityQueue<Waiting> waiting(WebhookRequest request) {
        return request.urgent() ? urgent : normal;
    }

    /** Gives {@code request} up before any attempt: a {@code refused} record and a dead letter, never a silent drop. */
    public static void refuse(WebhookRequest request, long now, String reason, Outputs out) {
        out.attempt(new DeliveryAttempt(request.endpoint(), request.idempotencyKey(), request.subjectKind(),
                request.subjectId(), 0, now, null, 0, DeliveryAttempt.REFUSED, reason, null));
        out.dead(new DeadDelivery(request, 0, null, reason, now));
    }

    /**
     * Records finished attempts, sends due deliveries, and returns when to pump next (epoch
     * milliseconds), or {@link Long#MAX_VALUE} when nothing is pending.
     */
    public long pump(Store store, long now, Outputs out) throws Exception {
        index(store);
        Finished f;
        while ((f = finished.poll()) != null) {
            record(store, f, now, out);
        }
        long wake = sendDue(store, now);
        if (!inFlight.isEmpty()) {
            wake = Math.min(wake, now + POLL_MILLIS);
        }
        return wake;
    }

    /** After a restore the index is empty: everything in the store is waiting (nothing is in flight yet). */
    private void index(Store store) throws Exception {
        if (!indexed) {
            for (PendingDelivery p : store.all()) {
                if (!inFlight.contains(p.request.idempotencyKey())) {
                    waiting(p.request).add(new Waiting(p.nextAttemptAt, p.request.createdAt(),
                            p.request.idempotencyKey()));
                }
            }
            indexed = true;
        }
    }

    /** Sends what is due within the bounds, urgent first; returns when the next waiting delivery is due. */
    private long sendDue(Store store, long now) throws Exception {
        PriorityQueue<Waiting> next;
        while ((next = due(now)) != null && inFlight.size() < target.maxInFlight()) {
            long wait = bucket.take(now);
            if (wait > 0) {
                return now + wait;
            }
            Waiting w = next.poll();
            PendingDelivery p = store.get(w.key());
            if (p != null && !inFlight.contains(w.key())) {
                send(store, p, now);
            }
        }
        // a full in-flight window is reopened by the next finished attempt, which the poll picks up
        if (inFlight.size() >= target.maxInFlight()) {
            return Long.MAX_VALUE;
        }
        return Math.min(urgent.isEmpty() ? Long.MAX_VALUE : urgent.peek().due(),
                normal.isEmpty() ? Long.MAX_VALUE : normal.peek().due());
    }

    /** The queue whose head is due and goes next: urgent before normal. */
    private PriorityQueue<Waiting> due(long now) {
        if (!urgent.isEmpty() && urgent.peek().due() <= now) {
            return urgent;
        }
        if (!normal.isEmpty() && normal.peek().due() <= now) {
            return normal;
        }
        return null;
    }

    private void send(Store store, PendingDelivery p, long now) throws Exception {
        String key = p.request.idempotencyKey();
        p.attempts++;
        store.put(key, p);
        inFlight.add(key);
        int attempt = p.attempts;
        client.send(p.request, attempt, now).thenAccept(r -> {
            finished.add(new Finished(p, attempt, now, r));
            onFinished.run();
        });
    }

    private void record(Store store, Finished f, long now, Outputs out) throws Exception {
        WebhookRequest r = f.delivery().request;
        String key = r.idempotencyKey();
        inFlight.remove(key);
        PendingDelivery p = store.get(key);
        if (p == null) {
            return;
        }
        WebhookClient.Response resp = f.response();
        p.lastStatus = resp.status();
        p.lastError = resp.error();
        String outcome;
        Long next = null;
        switch (resp.verdict()) {
            case DELIVERED -> outcome = DeliveryAttempt.DELIVERED;
            case RETRY -> outcome = p.attempts >= target.maxAttempts() ? DeliveryAttempt.EXHAUSTED
                    : DeliveryAttempt.RETRYING;
            default -> outcome = DeliveryAttempt.FAILED;
        }
        if (DeliveryAttempt.RETRYING.equals(outcome)) {
            next = now + target.backoffMillis(p.attempts, resp.retryAfterMillis(), random.getAsDouble());
            p.nextAttemptAt = next;
            store.put(key, p);
            waiting(r).add(new Waiting(next, r.createdAt(), key));
        } else {
            store.remove(key);
        }
        out.attempt(new DeliveryAttempt(target.name(), key, r.subjectKind(), r.subjectId(), f.attempt(), f.startedAt(),
                resp.status(), resp.latencyMillis(), outcome, resp.error(), next));
        if (DeliveryAttempt.FAILED.equals(outcome)) {
            out.dead(new DeadDelivery(r, p.attempts, resp.status(), "webhook " + target.name() + ": not retried: "
                    + resp.error(), now));
        } else if (DeliveryAttempt.EXHAUSTED.equals(outcome)) {
            out.dead(new DeadDelivery(r, p.attempts, resp.status(), "webhook " + target.name() + ": gave up after "
                    + p.attempts + " attempts; last: " + resp.error(), now));
        }
    }

    /** Stops the endpoint's HTTP threads; attempts in flight are abandoned (they are still pending in the store). */
    @Override
    public void close() {
        client.close();
    }
}
