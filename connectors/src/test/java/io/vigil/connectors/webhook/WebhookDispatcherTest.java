package io.vigil.connectors.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.connectors.webhook.WebhookReceiver.Received;
import io.vigil.connectors.webhook.WebhookReceiver.Reply;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Signing, retries and dead letters against a real HTTP server on loopback. */
class WebhookDispatcherTest {

    static final String SECRET = "loopback-secret";

    private WebhookReceiver receiver;
    private final List<DeliveryAttempt> attempts = new ArrayList<>();
    private final List<DeadDelivery> dead = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        receiver = WebhookReceiver.start(SECRET);
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    static WebhookTarget.Builder target(String url) {
        return WebhookTarget.builder().name("responder").url(url).secretEnv("RESPONDER_SECRET").keyId("k2026")
                .initialBackoff(Duration.ofMillis(20)).maxBackoff(Duration.ofMillis(100)).maxAttempts(4)
                .timeout(Duration.ofSeconds(5));
    }

    static WebhookRequest request(String id) {
        return new WebhookRequest("responder", id, "alert", id, "application/json",
                "{\"alert\":{\"id\":\"" + id + "\"}}", 1_700_000_000_000L);
    }

    private WebhookDispatcher.Summary deliver(WebhookTarget target, WebhookRequest... requests) throws Exception {
        try (WebhookDispatcher d = new WebhookDispatcher(target.resolve(Map.of("RESPONDER_SECRET", SECRET)::get),
                Clock.systemUTC())) {
            return d.deliver(List.of(requests).iterator(), attempts::add, dead::add);
        }
    }

    @Test
    void aDeliveryIsSignedSoTheReceiverVerifiesItAndCarriesTheIdempotencyKey() throws Exception {
        WebhookDispatcher.Summary s = deliver(target(receiver.url("/hooks")).header("X-Team", "secops").build(),
                request("a1b2c3"));

        assertThat(s).isEqualTo(new WebhookDispatcher.Summary(1, 0, 1));
        Received r = receiver.received().get(0);
        assertThat(r.signatureProblem()).isNull();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/hooks");
        assertThat(r.idempotencyKey()).isEqualTo("a1b2c3");
        assertThat(r.header("X-Vigil-Key-Id")).isEqualTo("k2026");
        assertThat(r.header("X-Vigil-Attempt")).isEqualTo("1");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("X-Team")).isEqualTo("secops");
        assertThat(r.body()).isEqualTo("{\"alert\":{\"id\":\"a1b2c3\"}}");
        assertThat(attempts).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(DeliveryAttempt.DELIVERED);
            assertThat(a.statusCode()).isEqualTo(200);
            assertThat(a.attempt()).isEqualTo(1);
            assertThat(a.error()).isNull();
        });
    }

    @Test
    void twoServerErrorsThenSuccessIsOneAcceptedDeliveryAfterThreeAttemptsWithOneKey() throws Exception {
        receiver.then(Reply.status(500), Reply.status(500), Reply.status(200));

        WebhookDispatcher.Summary s = deliver(target(receiver.url("/")).build(), request("k-500"));

        assertThat(s.delivered()).isEqualTo(1);
        assertThat(s.deadLettered()).isZero();
        List<Received> got = receiver.received();
        assertThat(got).hasSize(3);
        assertThat(got).extracting(Received::idempotencyKey).containsOnly("k-500");
        assertThat(got).extracting(r -> r.header("X-Vigil-Attempt")).containsExactly("1", "2", "3");
        assertThat(got).extracting(Received::signatureProblem).containsOnlyNulls();
        assertThat(got.stream().filter(r -> r.replied() == 200)).hasSize(1);
        assertThat(attempts).extracting(DeliveryAttempt::outcome).containsExactly(DeliveryAttempt.RETRYING,
                DeliveryAttempt.RETRYING, DeliveryAttempt.DELIVERED);
        assertThat(attempts).extracting(DeliveryAttempt::statusCode).containsExactly(500, 500, 200);
        assertThat(attempts).extracting(DeliveryAttempt::idempotencyKey).containsOnly("k-500");
        assertThat(attempts.get(0).nextAttemptAt()).isNotNull();
        assertThat(dead).isEmpty();
    }

    @Test
    void aClientErrorIsNotRetriedAndGoesToDeadLetters() throws Exception {
        receiver.then(Reply.status(400));

        WebhookDispatcher.Summary s = deliver(target(receiver.url("/")).build(), request("k-400"));

        assertThat(s).isEqualTo(new WebhookDispatcher.Summary(0, 1, 1));
        assertThat(receiver.received()).hasSize(1);
        assertThat(attempts).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(DeliveryAttempt.FAILED);
            assertThat(a.statusCode()).isEqualTo(400);
        });
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.request().idempotencyKey()).isEqualTo("k-400");
            assertThat(d.request().body()).contains("k-400");
            assertThat(d.reason()).contains("not retried").contains("HTTP 400");
            assertThat(d.lastStatus()).isEqualTo(400);
        });
    }

    @Test
    void aBudgetSpentOnServerErrorsEndsInADeadLetterWithTheLastError() throws Exception {
        receiver.otherwise(Reply.status(503));

        WebhookDispatcher.Summary s = deliver(target(receiver.url("/")).maxAttempts(3).build(), request("k-503"));

        assertThat(s).isEqualTo(new WebhookDispatcher.Summary(0, 1, 3));
        assertThat(attempts).extracting(DeliveryAttempt::outcome).containsExactly(DeliveryAttempt.RETRYING,
                DeliveryAttempt.RETRYING, DeliveryAttempt.EXHAUSTED);
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.attempts()).isEqualTo(3);
            assertThat(d.reason()).contains("gave up after 3 attempts").contains("HTTP 503");
        });
    }

    @Test
    void retryAfterIsHonoured() throws Exception {
        receiver.then(Reply.status(429, "Retry-After", "1"), Reply.status(200));

        deliver(target(receiver.url("/")).maxBackoff(Duration.ofSeconds(5)).build(), request("k-429"));

        List<Received> got = receiver.received();
        assertThat(got).hasSize(2);
        assertThat(attempts.get(0).nextAttemptAt() - attempts.get(0).startedAt()).isGreaterThanOrEqualTo(1000);
        assertThat(got.get(1).receivedAtMillis() - got.get(0).receivedAtMillis()).isGreaterThanOrEqualTo(1000);
        assertThat(attempts.get(1).outcome()).isEqualTo(DeliveryAttempt.DELIVERED);
    }

    @Test
    void anEndpointThatNeverAnswersTimesOutIsRetriedThenDeadLettered() throws Exception {
        receiver.otherwise(Reply.hang());

        WebhookDispatcher.Summary s = deliver(target(receiver.url("/")).timeout(Duration.ofMillis(300)).maxAttempts(2)
                .build(), request("k-hang"));

        assertThat(s).isEqualTo(new WebhookDispatcher.Summary(0, 1, 2));
        assertThat(receiver.received()).hasSize(2);
        assertThat(attempts).extracting(DeliveryAttempt::error).allMatch(e -> e.contains("timed out after 300 ms"));
        assertThat(attempts).extracting(DeliveryAttempt::statusCode).containsOnlyNulls();
        assertThat(attempts).allMatch(a -> a.latencyMillis() >= 300);
        assertThat(dead).singleElement().satisfies(d -> assertThat(d.reason()).contains("timed out"));
    }

    @Test
    void aRefusedConnectionIsRetried() throws Exception {
        String url = receiver.url("/");
        receiver.close();

        WebhookDispatcher.Summary s = deliver(target(url).maxAttempts(2).build(), request("k-down"));

        assertThat(s).isEqualTo(new WebhookDispatcher.Summary(0, 1, 2));
        assertThat(attempts).extracting(DeliveryAttempt::outcome).containsExactly(DeliveryAttempt.RETRYING,
                DeliveryAttempt.EXHAUSTED);
        assertThat(attempts.get(0).error()).contains("connection");
    }

    @Test
    void aRedirectToAnotherHostIsNotFollowed() throws Exception {
        try (WebhookReceiver other = WebhookReceiver.start(SECRET)) {
            // "localhost" and "127.0.0.1" are different hosts to a client, though the same machine
            receiver.then(Reply.status(307, "Location", "http://localhost:" + other.port() + "/stolen"));

            WebhookDispatcher.Summary s = deliver(target(receiver.url("/")).build(), request("k-redirect"));

            assertThat(s).isEqualTo(new WebhookDispatcher.Summary(0, 1, 1));
            assertThat(other.received()).isEmpty();
            assertThat(attempts.get(0).error()).contains("redirect to http://localhost:" + other.port())
                    .contains("not followed");
        }
    }

    @Test
    void aSameOriginRedirectKeepingTheMethodIsFollowedWithTheSameSignature() throws Exception {
        receiver.then(Reply.status(308, "Location", "/v2/hooks"), Reply.status(202));

        WebhookDispatcher.Summary s = deliver(target(receiver.url("/hooks")).build(), request("k-moved"));

        assertThat(s.delivered()).isEqualTo(1);
        List<Received> got = receiver.received();
        assertThat(got).extracting(Received::path).containsExactly("/hooks", "/v2/hooks");
        assertThat(got.get(1).signatureProblem()).isNull();
        assertThat(got.get(1).idempotencyKey()).isEqualTo("k-moved");
        // one attempt, whose response is the redirected request's
        assertThat(attempts).singleElement().satisfies(a -> assertThat(a.statusCode()).isEqualTo(202));
    }

    @Test
    void theQueueBoundRefusesInsteadOfWaitingAndInFlightRequestsAreBounded() throws Exception {
        receiver.otherwise(Reply.hang());
        WebhookTarget target = target(receiver.url("/")).timeout(Duration.ofMillis(500)).maxAttempts(1).maxInFlight(2)
                .maxPending(3).urgentReserve(0).build();
        DeliveryEngine engine = new DeliveryEngine(new WebhookClient(target.resolve(Map.of("RESPONDER_SECRET",
                SECRET)::get)), () -> 0.5);
        WebhookDispatcher.MemoryStore store = new WebhookDispatcher.MemoryStore();
        DeliveryEngine.Outputs out = new DeliveryEngine.Outputs() {
            @Override
            public void attempt(DeliveryAttempt a) {
                attempts.add(a);
            }

            @Override
            public void dead(DeadDelivery d) {
                dead.add(d);
            }
        };
        try {
            long now = System.currentTimeMillis();
            for (int i = 0; i < 5; i++) {
                assertThat(engine.offer(store, request("q" + i), now, out)).isEqualTo(i < 3
                        ? DeliveryEngine.Admission.QUEUED : DeliveryEngine.Admission.REFUSED);
            }
            assertThat(engine.offer(store, request("q0"), now, out)).isEqualTo(DeliveryEngine.Admission.DUPLICATE);
            engine.pump(store, now, out);
            assertThat(engine.inFlight()).isEqualTo(2);
            receiver.await("two requests held", r -> r.size() == 2, Duration.ofSeconds(10));
            assertThat(dead).extracting(d -> d.request().idempotencyKey()).containsExactly("q3", "q4");
            assertThat(dead).allMatch(d -> d.reason().contains("queue full"));
        } finally {
            engine.close();
        }
    }

    /** Urgent, and made a second after the normal requests: by age alone it would be sent after them. */
    static WebhookRequest urgent(String id) {
        return new WebhookRequest("responder", id, "alert", id, "application/json",
                "{\"alert\":{\"id\":\"" + id + "\",\"severity\":\"critical\"}}", 1_700_000_001_000L,
                WebhookRequest.Priority.URGENT);
    }

    @Test
    void aFloodOfNormalRequestsLeavesRoomForUrgentOnesWhichAreSentFirst() throws Exception {
        // the endpoint is slow: it holds the first request until it times out, then answers
        receiver.then(Reply.hang());
        WebhookTarget target = target(receiver.url("/")).timeout(Duration.ofMillis(500)).maxInFlight(1)
                .maxPending(10).urgentReserve(0.2).build();
        assertThat(target.reservedForUrgent()).isEqualTo(2);
        DeliveryEngine engine = new DeliveryEngine(new WebhookClient(target.resolve(Map.of("RESPONDER_SECRET",
                SECRET)::get)), () -> 0.5);
        WebhookDispatcher.MemoryStore store = new WebhookDispatcher.MemoryStore();
        Semaphore finished = new Semaphore(0);
        engine.onFinished(finished::release);
        DeliveryEngine.Outputs out = new DeliveryEngine.Outputs() {
            @Override
            public void attempt(DeliveryAttempt a) {
                attempts.add(a);
            }

            @Override
            public void dead(DeadDelivery d) {
                dead.add(d);
            }
        };
        try {
            long now = System.currentTimeMillis();
            for (int i = 0; i < 10; i++) {
                assertThat(engine.offer(store, request("low-" + i), now, out)).as("low-%d", i)
                        .isEqualTo(i < 8 ? DeliveryEngine.Admission.QUEUED : DeliveryEngine.Admission.REFUSED);
            }
            engine.pump(store, now, out);
            receiver.await("the first request, held", r -> r.size() == 1, Duration.ofSeconds(10));

            // the normal requests fill their share: urgent ones still get in, up to the whole queue
            assertThat(engine.offer(store, urgent("critical-1"), now, out)).isEqualTo(DeliveryEngine.Admission.QUEUED);
            assertThat(engine.offer(store, urgent("critical-2"), now, out)).isEqualTo(DeliveryEngine.Admission.QUEUED);
            assertThat(engine.offer(store, urgent("critical-3"), now, out)).isEqualTo(DeliveryEngine.Admission.REFUSED);
            assertThat(engine.offer(store, request("low-10"), now, out)).isEqualTo(DeliveryEngine.Admission.REFUSED);

            long deadline = System.currentTimeMillis() + 20_000;
            while (store.size() > 0) {
                assertThat(System.currentTimeMillis()).as("all delivered in time").isLessThan(deadline);
                long wake = engine.pump(store, System.currentTimeMillis(), out);
                long wait = wake == Long.MAX_VALUE ? DeliveryEngine.POLL_MILLIS
                        : Math.max(1, wake - System.currentTimeMillis());
                finished.tryAcquire(wait, TimeUnit.MILLISECONDS);
            }
        } finally {
            engine.close();
        }

        // the held request timed out; then the urgent ones went first, then the normal ones by age
        assertThat(receiver.received()).extracting(Received::idempotencyKey).containsExactly("low-0", "critical-1",
                "critical-2", "low-1", "low-2", "low-3", "low-4", "low-5", "low-6", "low-7", "low-0");
        assertThat(attempts).filteredOn(a -> a.idempotencyKey().startsWith("critical-1")).singleElement()
                .satisfies(a -> assertThat(a.outcome()).isEqualTo(DeliveryAttempt.DELIVERED));
        assertThat(dead).extracting(d -> d.request().idempotencyKey())
                .containsExactly("low-8", "low-9", "critical-3", "low-10");
        assertThat(dead).filteredOn(d -> d.request().idempotencyKey().startsWith("low-")).allSatisfy(d ->
                assertThat(d.reason()).contains("queue full for normal deliveries")
                        .contains("the last 2 of max-pending 10 are reserved for urgent ones"));
        assertThat(dead).filteredOn(d -> d.request().idempotencyKey().equals("critical-3")).singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("queue full (10 deliveries pending, max-pending 10)"));
        assertThat(attempts).filteredOn(a -> a.outcome().equals(DeliveryAttempt.REFUSED)).hasSize(4);
    }

    @Test
    void theDispatcherWaitsForRoomOutsideTheReserveInsteadOfRefusing() throws Exception {
        WebhookDispatcher.Summary s = deliver(target(receiver.url("/")).maxInFlight(1).maxPending(4)
                .urgentReserve(0.5).build(), request("n1"), request("n2"), request("n3"), urgent("u1"), request("n4"));

        assertThat(s).isEqualTo(new WebhookDispatcher.Summary(5, 0, 5));
        assertThat(dead).isEmpty();
        assertThat(receiver.received()).extracting(Received::idempotencyKey)
                .containsExactlyInAnyOrder("u1", "n1", "n2", "n3", "n4");
    }
}
