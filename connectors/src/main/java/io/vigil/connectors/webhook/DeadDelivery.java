package io.vigil.connectors.webhook;

import java.util.Objects;

/**
 * A request that was not delivered: refused, rejected by the endpoint, or out of retries. It keeps
 * the payload, so nothing is lost and it can be sent again by hand.
 *
 * @param request the request, with its body and idempotency key
 * @param attempts attempts made
 * @param lastStatus the last HTTP status, or {@code null}
 * @param reason why it was given up, with the last error
 * @param at when it was given up (epoch milliseconds)
 */
public record DeadDelivery(WebhookRequest request, int attempts, Integer lastStatus, String reason, long at) {

    public DeadDelivery {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(reason, "reason");
    }
}
