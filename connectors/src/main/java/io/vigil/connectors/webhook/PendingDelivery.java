package io.vigil.connectors.webhook;

/**
 * A delivery not yet finished, as kept in state: the request and where its retries stand. A
 * mutable POJO so Flink serializes it without Kryo; only {@link DeliveryEngine} changes it.
 */
public final class PendingDelivery {

    public WebhookRequest request;
    /** Attempts sent so far (an attempt in flight at a checkpoint counts: it is sent again after a restore). */
    public int attempts;
    /** When the next attempt is due (epoch milliseconds). */
    public long nextAttemptAt;
    public Integer lastStatus;
    public String lastError;

    public PendingDelivery() {}

    PendingDelivery(WebhookRequest request, long nextAttemptAt) {
        this.request = request;
        this.nextAttemptAt = nextAttemptAt;
    }
}
