package io.vigil.connectors.webhook;

import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Delivers a finite set of requests to one endpoint outside Flink, with the same signing, retries
 * and bounds as the job, and returns when every one is delivered or given up: for
 * {@code vigil webhooks test} and {@code vigil replay --webhook}. The queue is in memory.
 */
public final class WebhookDispatcher implements AutoCloseable {

    /** What became of the requests. */
    public record Summary(long delivered, long deadLettered, long attempts) {}

    private final DeliveryEngine engine;
    private final Clock clock;

    public WebhookDispatcher(WebhookTarget.Resolved target, Clock clock) {
        this.engine = new DeliveryEngine(new WebhookClient(target), () -> ThreadLocalRandom.current().nextDouble());
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Sends {@code requests} (at most {@code max-pending} queued at once, the urgent reserve kept
     * for urgent ones), reporting every attempt and every dead letter as they happen, and waits
     * until all are finished: a request that finds the queue full waits for room, in order.
     */
    public Summary deliver(Iterator<WebhookRequest> requests, Consumer<DeliveryAttempt> onAttempt,
                           Consumer<DeadDelivery> onDead) throws Exception {
        Semaphore finished = new Semaphore(0);
        engine.onFinished(finished::release);
        MemoryStore store = new MemoryStore();
        long[] counts = new long[3];
        DeliveryEngine.Outputs outputs = new DeliveryEngine.Outputs() {
            @Override
            public void attempt(DeliveryAttempt a) {
                counts[2]++;
                if (DeliveryAttempt.DELIVERED.equals(a.outcome())) {
                    counts[0]++;
                }
                onAttempt.accept(a);
            }

            @Override
            public void dead(DeadDelivery d) {
                counts[1]++;
                onDead.accept(d);
            }
        };
        WebhookRequest next = requests.hasNext() ? requests.next() : null;
        while (true) {
            long now = clock.millis();
            while (next != null && engine.hasRoom(store, next.priority())) {
                engine.offer(store, next, now, outputs);
                next = requests.hasNext() ? requests.next() : null;
            }
            long wake = engine.pump(store, now, outputs);
            if (next == null && store.size() == 0) {
                return new Summary(counts[0], counts[1], counts[2]);
            }
            long wait = wake == Long.MAX_VALUE ? DeliveryEngine.POLL_MILLIS : Math.max(1, wake - clock.millis());
            if (finished.tryAcquire(wait, TimeUnit.MILLISECONDS)) {
                finished.drainPermits();
            }
        }
    }

    @Override
    public void close() {
        engine.close();
    }

    /** The queue in memory, in arrival order. */
    static final class MemoryStore implements DeliveryEngine.Store {
        private final Map<String, PendingDelivery> map = new LinkedHashMap<>();

        @Override
        public PendingDelivery get(String key) {
            return map.get(key);
        }

        @Override
        public void put(String key, PendingDelivery delivery) {
            map.put(key, delivery);
        }

        @Override
        public void remove(String key) {
            map.remove(key);
        }

        @Override
        public Iterable<PendingDelivery> all() {
            return map.values();
        }

        @Override
        public int size() {
            return map.size();
        }
    }
}
