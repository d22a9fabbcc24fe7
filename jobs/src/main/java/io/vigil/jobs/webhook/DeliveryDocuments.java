package io.vigil.jobs.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.connectors.webhook.DeadDelivery;
import io.vigil.connectors.webhook.DeliveryAttempt;
import io.vigil.model.DeadLetter;
import io.vigil.model.EcsJson;
import io.vigil.model.Ids;
import io.vigil.model.Origin;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Delivery attempts as {@code vigil-deliveries-*} documents (ECS where ECS has a field), and
 * deliveries given up as dead letters keeping their payload.
 */
public final class DeliveryDocuments {

    private DeliveryDocuments() {}

    /** One document per attempt: the same attempt written twice (a restore) keeps one id. */
    public static String id(DeliveryAttempt a) {
        return Ids.of("delivery", a.endpoint(), a.idempotencyKey(), Integer.toString(a.attempt()));
    }

    public static ObjectNode toTree(DeliveryAttempt a) {
        ObjectNode root = EcsJson.MAPPER.createObjectNode();
        root.put("@timestamp", Instant.ofEpochMilli(a.startedAt()).toString());
        ObjectNode event = root.putObject("event");
        event.put("kind", "event");
        event.put("category", "network");
        event.put("action", "webhook-delivery");
        event.put("outcome", DeliveryAttempt.DELIVERED.equals(a.outcome()) ? "success" : "failure");
        event.put("duration", a.latencyMillis() * 1_000_000L);
        if (a.statusCode() != null) {
            root.putObject("http").putObject("response").put("status_code", a.statusCode());
        }
        if (a.error() != null) {
            root.putObject("error").put("message", a.error());
        }
        ObjectNode vigil = root.putObject("vigil");
        ObjectNode d = vigil.putObject("delivery");
        d.put("endpoint", a.endpoint());
        d.put("idempotency_key", a.idempotencyKey());
        d.put("attempt", a.attempt());
        d.put("outcome", a.outcome());
        if (a.nextAttemptAt() != null) {
            d.put("next_attempt_at", Instant.ofEpochMilli(a.nextAttemptAt()).toString());
        }
        if (a.subjectKind() != null) {
            d.putObject("subject").put("kind", a.subjectKind()).put("id", a.subjectId());
            // the alert or incident it is about, under the field names those indices use
            if (WebhookRequests.ALERT.equals(a.subjectKind()) || WebhookRequests.INCIDENT.equals(a.subjectKind())) {
                vigil.putObject(a.subjectKind()).put("id", a.subjectId());
            }
        }
        return root;
    }

    public static String write(DeliveryAttempt a) {
        return EcsJson.toJson(toTree(a));
    }

    /** The attempt a {@link #toTree} document records (its {@code _source}). */
    public static DeliveryAttempt fromTree(JsonNode doc) {
        JsonNode d = doc.path("vigil").path("delivery");
        JsonNode status = doc.at("/http/response/status_code");
        JsonNode next = d.path("next_attempt_at");
        return new DeliveryAttempt(d.path("endpoint").asText(), d.path("idempotency_key").asText(),
                d.at("/subject/kind").asText(null), d.at("/subject/id").asText(null), d.path("attempt").asInt(),
                Instant.parse(doc.path("@timestamp").asText()).toEpochMilli(),
                status.isNumber() ? Integer.valueOf(status.asInt()) : null,
                doc.at("/event/duration").asLong() / 1_000_000L, d.path("outcome").asText(),
                doc.at("/error/message").asText(null),
                next.isTextual() ? Long.valueOf(Instant.parse(next.asText()).toEpochMilli()) : null);
    }

    /**
     * One line for a person: {@code webhook soar: delivered (HTTP 200, 35 ms)},
     * {@code webhook soar: attempt 2 → HTTP 500, retrying (next 2024-06-01T10:00:05Z)},
     * {@code webhook soar: attempt 5 → I/O error: …, exhausted, dead-lettered}.
     */
    public static String summary(DeliveryAttempt a) {
        String prefix = "webhook " + a.endpoint() + ": ";
        if (DeliveryAttempt.DELIVERED.equals(a.outcome())) {
            return prefix + "delivered" + (a.attempt() > 1 ? " on attempt " + a.attempt() : "") + " ("
                    + (a.statusCode() == null ? "" : "HTTP " + a.statusCode() + ", ") + a.latencyMillis() + " ms)";
        }
        // the error names the status when there was one (HTTP 500, HTTP 302: redirect …)
        String what = a.error() != null ? a.error() : a.statusCode() != null ? "HTTP " + a.statusCode() : "no response";
        if (what.startsWith(prefix)) {
            what = what.substring(prefix.length());
        }
        StringBuilder line = new StringBuilder(prefix);
        if (DeliveryAttempt.REFUSED.equals(a.outcome())) {
            line.append("refused, never sent: ").append(what);
        } else {
            line.append("attempt ").append(a.attempt()).append(" → ").append(what).append(", ").append(a.outcome());
        }
        if (a.nextAttemptAt() != null) {
            line.append(" (next ").append(Instant.ofEpochMilli(a.nextAttemptAt())).append(')');
        }
        if (a.deadLettered()) {
            line.append(", dead-lettered");
        }
        return line.toString();
    }

    /** A delivery given up, as a dead letter: the payload as raw text, where it was going, and why. */
    public static DeadLetter deadLetter(DeadDelivery d) {
        String body = d.request().body();
        return new DeadLetter(body, DeadLetter.UTF_8, body.getBytes(StandardCharsets.UTF_8).length,
                Origin.webhook(d.request().endpoint(), d.request().idempotencyKey(), d.attempts()), "webhook",
                d.reason(), DeadLetter.WEBHOOK, null);
    }

    /** {@link #deadLetter} in the job. */
    public static final class ToDeadLetter implements MapFunction<DeadDelivery, DeadLetter> {
        private static final long serialVersionUID = 1L;

        @Override
        public DeadLetter map(DeadDelivery d) {
            return deadLetter(d);
        }
    }
}
