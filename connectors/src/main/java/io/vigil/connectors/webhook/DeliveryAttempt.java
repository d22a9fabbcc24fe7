package io.vigil.connectors.webhook;

import java.util.Objects;

/**
 * One attempt to deliver one request to one endpoint, as recorded for accountability.
 *
 * @param endpoint the endpoint's configured name (never its URL, which may hold a token)
 * @param idempotencyKey the request's key, the same on every attempt
 * @param subjectKind {@code alert} or {@code incident}
 * @param subjectId the alert or incident id
 * @param attempt 1 for the first attempt; 0 for a request refused before any attempt
 * @param startedAt when the attempt was sent (epoch milliseconds)
 * @param statusCode the HTTP status, or {@code null} when there was no response
 * @param latencyMillis from sending to the response or the error
 * @param outcome one of {@link #DELIVERED}, {@link #RETRYING}, {@link #FAILED}, {@link #EXHAUSTED}, {@link #REFUSED}
 * @param error what went wrong, or {@code null}
 * @param nextAttemptAt when the next attempt is due (epoch milliseconds), for {@link #RETRYING}
 */
public record DeliveryAttempt(String endpoint, String idempotencyKey, String subjectKind, String subjectId,
                              int attempt, long startedAt, Integer statusCode, long latencyMillis, String outcome,
                              String error, Long nextAttemptAt) {

    /** The endpoint accepted the request (2xx). */
    public static final String DELIVERED = "delivered";
    /** Failed in a way worth retrying (429, 408, 5xx, timeout, connection error); another attempt is due. */
    public static final String RETRYING = "retrying";
    /** Failed in a way retrying cannot fix (other 4xx, a redirect not followed): dead-lettered. */
    public static final String FAILED = "failed";
    /** Failed in a way worth retrying, but the retry budget is spent: dead-lettered. */
    public static final String EXHAUSTED = "exhausted";
    /** Never sent: the endpoint's queue was full or the endpoint is not configured: dead-lettered. */
    public static final String REFUSED = "refused";

    public DeliveryAttempt {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** Whether this attempt ended the delivery in a dead letter. */
    public boolean deadLettered() {
        return FAILED.equals(outcome) || EXHAUSTED.equals(outcome) || REFUSED.equals(outcome);
    }
}
