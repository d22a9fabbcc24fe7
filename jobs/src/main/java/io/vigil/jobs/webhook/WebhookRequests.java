package io.vigil.jobs.webhook;

import io.vigil.connectors.webhook.WebhookRequest;
import io.vigil.jobs.detect.AlertDocuments;
import io.vigil.model.Alert;
import io.vigil.model.Incident;
import java.util.List;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Alerts and incident changes into one request per endpoint that wants them, rendered in the
 * endpoint's format. Idempotency keys: the alert id; the incident id and its version. High and
 * critical alerts and incidents are {@linkplain WebhookRequest.Priority#URGENT urgent}: they may use
 * the share of each endpoint's queue kept for them and are sent first.
 */
public final class WebhookRequests {

    public static final String ALERT = "alert";
    public static final String INCIDENT = "incident";

    /** The lowest severity whose requests are urgent. */
    public static final String URGENT_FROM = "high";

    private WebhookRequests() {}

    /**
     * The requests for {@code a}: none for a later copy of an alert (it only adds suppressed
     * events), which would otherwise reach responders twice under one key.
     */
    public static void of(Alert a, List<WebhookRoute> routes, Collector<WebhookRequest> out) {
        if (a.suppressedCount() > 0) {
            return;
        }
        for (WebhookRoute r : routes) {
            if (r.filter().accepts(a)) {
                out.collect(request(a, r));
            }
        }
    }

    /** The request carrying {@code a} to {@code route}'s endpoint, whatever its filter says. */
    public static WebhookRequest request(Alert a, WebhookRoute route) {
        return new WebhookRequest(route.name(), a.id(), ALERT, a.id(), WebhookFormat.CONTENT_TYPE,
                route.format().render(a), a.timestamp().toEpochMilli(), priority(a.severity()));
    }

    public static void of(Incident i, List<WebhookRoute> routes, Collector<WebhookRequest> out) {
        for (WebhookRoute r : routes) {
            if (r.filter().accepts(i)) {
                out.collect(request(i, r));
            }
        }
    }

    /** The request carrying this version of {@code i} to {@code route}'s endpoint, whatever its filter says. */
    public static WebhookRequest request(Incident i, WebhookRoute route) {
        return new WebhookRequest(route.name(), incidentKey(i), INCIDENT, i.id(), WebhookFormat.CONTENT_TYPE,
                route.format().render(i), i.lastSeen().toEpochMilli(), priority(i.severity()));
    }

    /** Urgent from {@link #URGENT_FROM} up; an unknown or missing severity is normal. */
    public static WebhookRequest.Priority priority(String severity) {
        return severity != null && AlertDocuments.severityNumber(severity) >= AlertDocuments.severityNumber(URGENT_FROM)
                ? WebhookRequest.Priority.URGENT : WebhookRequest.Priority.NORMAL;
    }

    /** {@code <incident id>:<version>}: one key per change of an incident. */
    public static String incidentKey(Incident i) {
        return i.id() + ":" + i.version();
    }

    /** Alerts into requests, in the job. */
    public static final class FromAlerts implements FlatMapFunction<Alert, WebhookRequest> {
        private static final long serialVersionUID = 1L;
        private final List<WebhookRoute> routes;

        public FromAlerts(List<WebhookRoute> routes) {
            this.routes = List.copyOf(routes);
        }

        @Override
        public void flatMap(Alert a, Collector<WebhookRequest> out) {
            of(a, routes, out);
        }
    }

    /** Incident changes into requests, in the job. */
    public static final class FromIncidents implements FlatMapFunction<Incident, WebhookRequest> {
        private static final long serialVersionUID = 1L;
        private final List<WebhookRoute> routes;

        public FromIncidents(List<WebhookRoute> routes) {
            this.routes = List.copyOf(routes);
        }

        @Override
        public void flatMap(Incident i, Collector<WebhookRequest> out) {
            of(i, routes, out);
        }
    }
}
