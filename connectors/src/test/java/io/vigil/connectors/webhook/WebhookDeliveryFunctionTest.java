package io.vigil.connectors.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.connectors.webhook.WebhookReceiver.Received;
import io.vigil.connectors.webhook.WebhookReceiver.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The delivery operator under Flink's test harness, with real HTTP servers on loopback: state and
 * timers go when deliveries finish, one endpoint never holds back another, and pending
 * deliveries come back from a snapshot.
 *
 * <p>Processing time follows the wall clock (receivers check signature timestamps) and is moved
 * in small steps while the test waits for the HTTP results, which arrive on other threads.
 */
class WebhookDeliveryFunctionTest {

    private static final Map<String, String> ENV = Map.of("RESPONDER_SECRET", WebhookDispatcherTest.SECRET);

    private final List<WebhookReceiver> receivers = new ArrayList<>();
    private final List<KeyedOneInputStreamOperatorTestHarness<String, WebhookRequest, DeliveryAttempt>> harnesses =
            new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (var h : harnesses) {
            h.close();
        }
        receivers.forEach(WebhookReceiver::close);
    }

    private WebhookReceiver receiver() throws Exception {
        WebhookReceiver r = WebhookReceiver.start(WebhookDispatcherTest.SECRET);
        receivers.add(r);
        return r;
    }

    private KeyedOneInputStreamOperatorTestHarness<String, WebhookRequest, DeliveryAttempt> harness(
            OperatorSubtaskState restore, WebhookTarget... targets) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new WebhookDeliveryFunction(List.of(targets), ENV::get)),
                WebhookRequest::endpoint, Types.STRING);
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        h.setProcessingTime(System.currentTimeMillis());
        harnesses.add(h);
        return h;
    }

    private static WebhookTarget target(String name, WebhookReceiver r) {
        return WebhookDispatcherTest.target(r.url("/" + name)).name(name).build();
    }

    private static WebhookRequest request(String endpoint, String id) {
        return new WebhookRequest(endpoint, id, "alert", id, "application/json", "{\"id\":\"" + id + "\"}",
                1_700_000_000_000L);
    }

    private static List<DeliveryAttempt> attempts(KeyedOneInputStreamOperatorTestHarness<String, WebhookRequest,
            DeliveryAttempt> h) {
        return h.extractOutputValues();
    }

    /** Moves processing time along with the wall clock until {@code done} holds (at most 20 s). */
    private static void runUntil(KeyedOneInputStreamOperatorTestHarness<String, WebhookRequest, DeliveryAttempt> h,
                                 String what, Predicate<List<DeliveryAttempt>> done) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!done.test(attempts(h))) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; attempts: " + attempts(h));
            }
            Thread.sleep(5);
            h.setProcessingTime(Math.max(h.getProcessingTime() + 1, System.currentTimeMillis()));
        }
    }

    private static long count(List<DeliveryAttempt> attempts, String endpoint, String outcome) {
        return attempts.stream().filter(a -> a.endpoint().equals(endpoint) && a.outcome().equals(outcome)).count();
    }

    @Test
    void aDeliveredRequestLeavesNoStateAndNoTimers() throws Exception {
        WebhookReceiver r = receiver().then(Reply.status(502));
        var h = harness(null, target("soar", r));

        h.processElement(new StreamRecord<>(request("soar", "alert-1")));
        assertThat(h.numKeyedStateEntries()).isPositive();
        runUntil(h, "the delivery", a -> count(a, "soar", DeliveryAttempt.DELIVERED) == 1);
        // the last timer may still be registered: let it fire
        h.setProcessingTime(h.getProcessingTime() + DeliveryEngine.POLL_MILLIS + 1);

        assertThat(attempts(h)).extracting(DeliveryAttempt::outcome)
                .containsExactly(DeliveryAttempt.RETRYING, DeliveryAttempt.DELIVERED);
        assertThat(r.received()).extracting(Received::idempotencyKey).containsExactly("alert-1", "alert-1");
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numProcessingTimeTimers()).isZero();
    }

    @Test
    void anEndpointThatNeverAnswersDoesNotHoldBackAnother() throws Exception {
        WebhookReceiver dead = receiver().otherwise(Reply.hang());
        WebhookReceiver live = receiver();
        // long enough that the fast endpoint's four deliveries finish first also on a loaded machine
        WebhookTarget slow = WebhookDispatcherTest.target(dead.url("/slow")).name("slow").timeout(Duration.ofSeconds(4))
                .maxAttempts(2).maxInFlight(2).build();
        var h = harness(null, slow, target("fast", live));

        for (int i = 0; i < 4; i++) {
            h.processElement(new StreamRecord<>(request("slow", "s" + i)));
            h.processElement(new StreamRecord<>(request("fast", "f" + i)));
        }
        runUntil(h, "the fast endpoint's deliveries", a -> count(a, "fast", DeliveryAttempt.DELIVERED) == 4);
        // the fast endpoint got everything while the slow one still holds its first two requests
        assertThat(attempts(h)).noneMatch(a -> a.endpoint().equals("slow"));
        assertThat(dead.hanging()).isEqualTo(2);
        assertThat(live.received()).extracting(Received::idempotencyKey).containsExactlyInAnyOrder("f0", "f1", "f2", "f3");

        // the slow endpoint times out, retries and dead-letters every request, while fast keeps receiving
        h.processElement(new StreamRecord<>(request("fast", "f4")));
        runUntil(h, "the slow endpoint's dead letters", a -> count(a, "slow", DeliveryAttempt.EXHAUSTED) == 4
                && count(a, "fast", DeliveryAttempt.DELIVERED) == 5);
        assertThat(count(attempts(h), "slow", DeliveryAttempt.RETRYING)).isEqualTo(4);
        assertThat(attempts(h)).filteredOn(a -> a.endpoint().equals("slow"))
                .allMatch(a -> a.error().contains("timed out after 4000 ms"));
        assertThat(h.getSideOutput(WebhookDeliveryFunction.DEAD)).extracting(s -> s.getValue().request().idempotencyKey())
                .containsExactlyInAnyOrder("s0", "s1", "s2", "s3");
        // f4 was sent while the slow endpoint was still busy with its first attempts
        long slowFinished = attempts(h).stream().filter(a -> a.endpoint().equals("slow")
                && a.outcome().equals(DeliveryAttempt.EXHAUSTED)).mapToLong(a -> a.startedAt() + a.latencyMillis())
                .max().orElseThrow();
        assertThat(attempts(h).stream().filter(a -> a.idempotencyKey().equals("f4")).findFirst().orElseThrow()
                .startedAt()).isLessThan(slowFinished);
    }

    @Test
    void aPendingDeliveryComesBackFromASnapshotAndIsSentWithTheSameKey() throws Exception {
        WebhookReceiver r = receiver().otherwise(Reply.status(503));
        WebhookTarget t = WebhookDispatcherTest.target(r.url("/soar")).name("soar")
                .initialBackoff(Duration.ofMillis(200)).maxBackoff(Duration.ofMillis(400)).maxAttempts(20).build();
        var first = harness(null, t);
        first.processElement(new StreamRecord<>(request("soar", "alert-7")));
        runUntil(first, "a failed attempt", a -> count(a, "soar", DeliveryAttempt.RETRYING) >= 1);
        OperatorSubtaskState snapshot = first.snapshot(1, first.getProcessingTime());
        int attemptsBefore = r.received().size();
        first.close();
        harnesses.remove(first);

        r.otherwise(Reply.status(200));
        var second = harness(snapshot, t);
        runUntil(second, "the delivery after the restore", a -> count(a, "soar", DeliveryAttempt.DELIVERED) == 1);

        List<Received> got = r.received();
        assertThat(got).extracting(Received::idempotencyKey).containsOnly("alert-7");
        assertThat(got.get(got.size() - 1).replied()).isEqualTo(200);
        // attempts go on counting from where the snapshot was
        assertThat(attempts(second)).last().satisfies(a -> assertThat(a.attempt()).isGreaterThan(attemptsBefore - 1));
        second.setProcessingTime(second.getProcessingTime() + DeliveryEngine.POLL_MILLIS + 1);
        assertThat(second.numKeyedStateEntries()).isZero();
    }

    @Test
    void aRequestForAnEndpointNotConfiguredIsDeadLetteredNotDropped() throws Exception {
        var h = harness(null, target("soar", receiver()));

        h.processElement(new StreamRecord<>(request("gone", "alert-9")));

        assertThat(attempts(h)).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(DeliveryAttempt.REFUSED);
            assertThat(a.error()).contains("'gone' is not configured");
        });
        assertThat(h.getSideOutput(WebhookDeliveryFunction.DEAD)).hasSize(1);
        assertThat(h.numKeyedStateEntries()).isZero();
    }

    @Test
    void theUrgentReserveAndOrderHoldInKeyedStateAndAfterARestore() throws Exception {
        // the endpoint holds the first request (slow), then answers everything
        WebhookReceiver r = receiver().then(Reply.hang());
        WebhookTarget t = WebhookDispatcherTest.target(r.url("/soar")).name("soar").maxInFlight(1).maxPending(5)
                .urgentReserve(0.2).build();
        var first = harness(null, t);
        for (int i = 0; i < 5; i++) {
            first.processElement(new StreamRecord<>(request("soar", "low-" + i)));
        }
        first.processElement(new StreamRecord<>(urgent("soar", "critical-1")));
        r.await("the first request, held", got -> got.size() == 1, Duration.ofSeconds(10));

        // four normal places, one reserved: low-4 is refused, the critical alert is queued
        assertThat(attempts(first)).singleElement().satisfies(a -> {
            assertThat(a.idempotencyKey()).isEqualTo("low-4");
            assertThat(a.outcome()).isEqualTo(DeliveryAttempt.REFUSED);
            assertThat(a.error()).contains("reserved for urgent ones");
        });
        assertThat(first.getSideOutput(WebhookDeliveryFunction.DEAD)).extracting(d -> d.getValue().request()
                .idempotencyKey()).containsExactly("low-4");
        OperatorSubtaskState snapshot = first.snapshot(1, first.getProcessingTime());
        first.close();
        harnesses.remove(first);

        // restored: the queue is still full for normal requests and the critical one goes first
        var second = harness(snapshot, t);
        second.processElement(new StreamRecord<>(request("soar", "low-5")));
        second.processElement(new StreamRecord<>(urgent("soar", "critical-2")));
        runUntil(second, "the restored deliveries", a -> count(a, "soar", DeliveryAttempt.DELIVERED) == 5);

        assertThat(attempts(second)).filteredOn(a -> a.outcome().equals(DeliveryAttempt.REFUSED))
                .extracting(DeliveryAttempt::idempotencyKey).containsExactly("low-5", "critical-2");
        assertThat(attempts(second)).filteredOn(a -> a.idempotencyKey().equals("critical-2")).singleElement()
                .satisfies(a -> assertThat(a.error()).contains("queue full (5 deliveries pending, max-pending 5)"));
        assertThat(r.received().subList(1, r.received().size())).extracting(Received::idempotencyKey)
                .containsExactly("critical-1", "low-0", "low-1", "low-2", "low-3");
        second.setProcessingTime(second.getProcessingTime() + DeliveryEngine.POLL_MILLIS + 1);
        assertThat(second.numKeyedStateEntries()).isZero();
    }

    /** Urgent, and made a second after the normal requests: by age alone it would be sent after them. */
    private static WebhookRequest urgent(String endpoint, String id) {
        return new WebhookRequest(endpoint, id, "alert", id, "application/json", "{\"id\":\"" + id + "\"}",
                1_700_000_001_000L, WebhookRequest.Priority.URGENT);
    }
}
