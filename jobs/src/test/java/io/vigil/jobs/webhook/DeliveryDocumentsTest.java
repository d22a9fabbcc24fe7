package io.vigil.jobs.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.connectors.webhook.DeliveryAttempt;
import io.vigil.model.EcsJson;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Delivery documents read back into the attempts they record, and their one-line summaries. */
class DeliveryDocumentsTest {

    private static final long T = Instant.parse("2024-06-01T10:00:01.250Z").toEpochMilli();

    private static final List<DeliveryAttempt> ATTEMPTS = List.of(
            new DeliveryAttempt("soar", "a1", "alert", "a1", 1, T, 500, 120, DeliveryAttempt.RETRYING, "HTTP 500",
                    T + 2_000),
            new DeliveryAttempt("soar", "a1", "alert", "a1", 2, T + 2_000, 200, 35, DeliveryAttempt.DELIVERED, null, null),
            new DeliveryAttempt("slack", "i1:3", "incident", "i1", 5, T, null, 10_000, DeliveryAttempt.EXHAUSTED,
                    "I/O error: request timed out", null),
            new DeliveryAttempt("ops", "i1:4", "incident", "i1", 0, T, null, 0, DeliveryAttempt.REFUSED,
                    "webhook ops: queue full (10 deliveries pending); the endpoint is slow or down", null),
            new DeliveryAttempt("ops", "k", null, null, 1, T, 302, 8, DeliveryAttempt.FAILED,
                    "HTTP 302: redirect to another origin not followed", null));

    @Test
    void aDocumentReadsBackIntoItsAttempt() throws Exception {
        for (DeliveryAttempt a : ATTEMPTS) {
            // as Elasticsearch returns it: the written JSON, parsed
            assertThat(DeliveryDocuments.fromTree(EcsJson.MAPPER.readTree(DeliveryDocuments.write(a)))).isEqualTo(a);
        }
    }

    @Test
    void summariesSayWhatHappened() {
        assertThat(ATTEMPTS.stream().map(DeliveryDocuments::summary)).containsExactly(
                "webhook soar: attempt 1 → HTTP 500, retrying (next 2024-06-01T10:00:03.250Z)",
                "webhook soar: delivered on attempt 2 (HTTP 200, 35 ms)",
                "webhook slack: attempt 5 → I/O error: request timed out, exhausted, dead-lettered",
                "webhook ops: refused, never sent: queue full (10 deliveries pending); the endpoint is slow or down, "
                        + "dead-lettered",
                "webhook ops: attempt 1 → HTTP 302: redirect to another origin not followed, failed, dead-lettered");
    }
}
