package io.vigil.connectors.webhook;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One payload for one configured endpoint, ready to send: the job renders the body, the
 * connector signs and delivers it. The endpoint is a configured name, never a URL, so nothing in
 * event data can choose where a request goes.
 *
 * @param endpoint name of a configured endpoint
 * @param idempotencyKey the {@code Idempotency-Key} header: the same for every attempt, and for
 *     the same alert or incident version after a restart or a replay
 * @param subjectKind what the payload is about ({@code alert}, {@code incident}), for the record
 * @param subjectId the alert or incident id, for the record
 * @param contentType the body's media type
 * @param body the payload
 * @param createdAt when the request was made (epoch milliseconds): the delivery order
 * @param priority {@link Priority#URGENT} requests may use the share of the endpoint's queue kept
 *     for them and are sent before normal ones; which requests are urgent is the job's decision
 */
public record WebhookRequest(String endpoint, String idempotencyKey, String subjectKind, String subjectId,
                             String contentType, String body, long createdAt, Priority priority) {

    /**
     * How a request competes for its endpoint's queue. The connector knows no severities: the job
     * maps what matters most (high and critical alerts, incidents) to {@link #URGENT}.
     */
    public enum Priority {
        /** Queued while the queue has room outside the urgent reserve. */
        NORMAL,
        /** May also use the reserve ({@link WebhookTarget#urgentReserve()}), and is sent first. */
        URGENT
    }

    /** Header-safe and bounded: the key is a header value. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:/+=-]{1,200}");

    public WebhookRequest {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(subjectKind, "subjectKind");
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        // a request restored from a checkpoint taken before priorities existed has none
        priority = priority == null ? Priority.NORMAL : priority;
        if (!KEY.matcher(idempotencyKey).matches()) {
            throw new IllegalArgumentException("idempotency key must be 1–200 characters of [A-Za-z0-9._:/+=-]: "
                    + idempotencyKey);
        }
    }

    /** A {@link Priority#NORMAL} request. */
    public WebhookRequest(String endpoint, String idempotencyKey, String subjectKind, String subjectId,
                          String contentType, String body, long createdAt) {
        this(endpoint, idempotencyKey, subjectKind, subjectId, contentType, body, createdAt, Priority.NORMAL);
    }

    public boolean urgent() {
        return priority == Priority.URGENT;
    }
}
