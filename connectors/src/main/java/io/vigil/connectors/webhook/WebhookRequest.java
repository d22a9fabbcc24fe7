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
 */
public record WebhookRequest(String endpoint, String idempotencyKey, String subjectKind, String subjectId,
                             String contentType, String body, long createdAt) {

    /** Header-safe and bounded: the key is a header value. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:/+=-]{1,200}");

    public WebhookRequest {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(subjectKind, "subjectKind");
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        if (!KEY.matcher(idempotencyKey).matches()) {
            throw new IllegalArgumentException("idempotency key must be 1–200 characters of [A-Za-z0-9._:/+=-]: "
                    + idempotencyKey);
        }
    }
}
