package io.vigil.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.connectors.webhook.WebhookSignature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The faulty receiver of the scenarios, over real HTTP on loopback. */
class FaultReceiverTest {

    private static final String SECRET = "receiver-test-secret";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aHealthyReceiverAcceptsSignedRequestsPerKeyAndRefusesBadSignatures() throws Exception {
        try (FaultReceiver r = FaultReceiver.healthy(SECRET)) {
            assertThat(send(r, "k1", "1", SECRET)).isEqualTo(200);
            assertThat(send(r, "k1", "2", SECRET)).isEqualTo(200);
            assertThat(send(r, "k2", "1", SECRET)).isEqualTo(200);
            assertThat(send(r, "k3", "1", "another-secret")).isEqualTo(401);
            assertThat(r.accepted()).containsExactlyInAnyOrderEntriesOf(Map.of("k1", 2, "k2", 1));
            assertThat(r.answers()).containsEntry("accepted", 3L).containsEntry("bad_signature", 1L);
        }
    }

    @Test
    void aFaultyReceiverFailsAboutTheShareAskedWithEachKindOfFaultTheSameWayForTheSameSeed() throws Exception {
        try (FaultReceiver r = FaultReceiver.faulty(SECRET, 0.5, 7, Duration.ofMillis(300));
             FaultReceiver same = FaultReceiver.faulty(SECRET, 0.5, 7, Duration.ofMillis(300));
             FaultReceiver other = FaultReceiver.faulty(SECRET, 0.5, 8, Duration.ofMillis(300))) {
            Map<FaultReceiver.Answer, Integer> kinds = new EnumMap<>(FaultReceiver.Answer.class);
            int differ = 0;
            for (int i = 0; i < 2000; i++) {
                FaultReceiver.Answer a = r.decide("key-" + i, "1");
                kinds.merge(a, 1, Integer::sum);
                assertThat(same.decide("key-" + i, "1")).isEqualTo(a);
                differ += other.decide("key-" + i, "1") == a ? 0 : 1;
            }
            assertThat(kinds.get(FaultReceiver.Answer.ACCEPTED)).isBetween(900, 1100);
            assertThat(kinds.get(FaultReceiver.Answer.HTTP_5XX)).isBetween(250, 420);
            assertThat(kinds.get(FaultReceiver.Answer.TIMEOUT)).isBetween(250, 420);
            assertThat(kinds.get(FaultReceiver.Answer.RESET)).isBetween(250, 420);
            assertThat(differ).as("another seed, other faults").isGreaterThan(500);
            // a retry (another attempt) of a failed request gets its own draw
            int retriedOk = 0;
            for (int i = 0; i < 200; i++) {
                if (r.decide("key-" + i, "1") != FaultReceiver.Answer.ACCEPTED
                        && r.decide("key-" + i, "2") == FaultReceiver.Answer.ACCEPTED) {
                    retriedOk++;
                }
            }
            assertThat(retriedOk).isGreaterThan(20);
        }
    }

    @Test
    void eachFaultReachesTheClientAsItsKindAndOnlyAcceptedRequestsCount() throws Exception {
        try (FaultReceiver r = FaultReceiver.faulty(SECRET, 0.5, 7, Duration.ofMillis(1500))) {
            String fiveXx = keyAnswered(r, FaultReceiver.Answer.HTTP_5XX);
            String timeout = keyAnswered(r, FaultReceiver.Answer.TIMEOUT);
            String reset = keyAnswered(r, FaultReceiver.Answer.RESET);
            String ok = keyAnswered(r, FaultReceiver.Answer.ACCEPTED);
            assertThat(send(r, fiveXx, "1", SECRET)).isIn(500, 503);
            assertThat(send(r, timeout, "1", SECRET)).as("no answer within the client's 1 s").isEqualTo(-1);
            assertThat(send(r, reset, "1", SECRET)).as("the connection closed without an answer").isEqualTo(-1);
            assertThat(send(r, ok, "1", SECRET)).isEqualTo(200);
            assertThat(r.accepted()).containsOnlyKeys(ok);
        }
    }

    private static String keyAnswered(FaultReceiver r, FaultReceiver.Answer wanted) {
        for (int i = 0; ; i++) {
            if (r.decide("key-" + i, "1") == wanted) {
                return "key-" + i;
            }
        }
    }

    /** The status, or -1 when no answer came (timeout, closed connection). */
    private int send(FaultReceiver r, String key, String attempt, String secret) throws InterruptedException {
        byte[] body = ("{\"id\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8);
        long ts = System.currentTimeMillis() / 1000;
        HttpRequest req = HttpRequest.newBuilder(URI.create(r.url("/hooks"))).timeout(Duration.ofSeconds(1))
                .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(ts))
                .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret.getBytes(StandardCharsets.UTF_8), ts, body))
                .header(WebhookSignature.IDEMPOTENCY_HEADER, key).header(WebhookSignature.ATTEMPT_HEADER, attempt)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }
}
