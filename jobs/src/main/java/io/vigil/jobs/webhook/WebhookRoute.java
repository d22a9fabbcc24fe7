package io.vigil.jobs.webhook;

import io.vigil.connectors.webhook.WebhookTarget;
import java.io.Serializable;
import java.util.Objects;

/** One configured endpoint: where and how to call it (the connector's part), what it gets and in which format. */
public record WebhookRoute(WebhookTarget target, WebhookFormat format, WebhookFilter filter) implements Serializable {

    public WebhookRoute {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(filter, "filter");
    }

    public String name() {
        return target.name();
    }
}
