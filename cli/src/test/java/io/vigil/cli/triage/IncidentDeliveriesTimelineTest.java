package io.vigil.cli.triage;

import io.vigil.jobs.stream.StreamingServices;

import io.vigil.jobs.wiring.Connections;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.connectors.elasticsearch.ElasticsearchConnection;
import io.vigil.connectors.elasticsearch.IndexTemplates;
import io.vigil.connectors.webhook.DeliveryAttempt;
import io.vigil.cli.VigilCli;
import io.vigil.jobs.incident.IncidentDocuments;
import io.vigil.cli.triage.IncidentTriage;
import io.vigil.jobs.webhook.DeliveryDocuments;
import io.vigil.model.Ids;
import io.vigil.model.Incident;
import io.vigil.model.TimelineEntry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

/**
 * Webhook delivery attempts in an incident's timeline, in the real Elasticsearch node with the
 * real index templates: the attempts of the incident, of the incident merged into it and of their
 * alerts are read from {@code vigil-deliveries-*} with the timeline, in time order; those of other
 * alerts and incidents are not.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IncidentDeliveriesTimelineTest {

    private static final String INCIDENT = Ids.of("test", "deliveries", "incident");
    private static final String MERGED = Ids.of("test", "deliveries", "merged");
    private static final String OTHER = Ids.of("test", "deliveries", "other");
    private static final String ALERT_1 = Ids.of("test", "deliveries", "alert-1");
    private static final String ALERT_2 = Ids.of("test", "deliveries", "alert-2");
    private static final String OTHER_ALERT = Ids.of("test", "deliveries", "other-alert");

    private static RestClient rest;
    private static String url;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void incidentsAndTheirTimelines() throws Exception {
        rest = StreamingServices.REST;
        url = StreamingServices.ES.url();
        // no delivery index yet: the timeline must still read
        rest.performRequest(new Request("DELETE", "/vigil-deliveries-*?ignore_unavailable=true"));
        Connections.installTemplates(ElasticsearchConnection.of(url));

        incident(INCIDENT, null, "2024-06-01T10:00:00Z", "2024-06-01T10:05:00Z");
        incident(MERGED, INCIDENT, "2024-06-01T10:01:00Z", "2024-06-01T10:01:00Z");
        incident(OTHER, null, "2024-06-01T10:00:02Z", "2024-06-01T10:00:02Z");
        timeline(alert(INCIDENT, ALERT_1, "2024-06-01T10:00:00Z"));
        // a key event of alert 1: it refers to the alert too, but is not the alert
        timeline(new TimelineEntry(Ids.of("test", "event", ALERT_1), INCIDENT, Instant.parse("2024-06-01T09:59:58Z"),
                TimelineEntry.EVENT, "contributed to ssh-brute-force", "ssh-brute-force", "SSH brute force", null,
                List.of(), Map.of("source.ip", "203.0.113.9"), null, ALERT_1, "auth.log:12", null, null, null));
        timeline(alert(MERGED, ALERT_2, "2024-06-01T10:01:00Z"));
        timeline(new TimelineEntry(Ids.of("test", "ack", INCIDENT), INCIDENT, Instant.parse("2024-06-01T10:05:00Z"),
                TimelineEntry.ACTION, "bob acknowledged the incident", null, null, null, List.of(), Map.of(),
                IndexTemplates.INCIDENTS, INCIDENT, null, "ack", "bob", null));
        timeline(alert(OTHER, OTHER_ALERT, "2024-06-01T10:00:02Z"));
        refresh();
    }

    private int vigil(String... args) {
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private static void incident(String id, String mergedInto, String first, String last) throws Exception {
        Incident i = new Incident(id, "SSH brute force from 203.0.113.9", Incident.OPEN, null, null,
                Instant.parse(first), Instant.parse(last), List.of(), List.of(), List.of(), List.of("203.0.113.9"), 1,
                List.of("ssh-brute-force"), "high", 70, List.of("TA0006"), mergedInto, 1);
        put(IndexTemplates.INCIDENTS, id, IncidentDocuments.write(i));
    }

    private static TimelineEntry alert(String incident, String alert, String time) {
        Instant t = Instant.parse(time);
        return new TimelineEntry(Ids.of("timeline", "alert", alert), incident, t, TimelineEntry.ALERT,
                "SSH brute force: 5 events — source.ip 203.0.113.9", "ssh-brute-force", "SSH brute force", "high",
                List.of("TA0006"), Map.of("source.ip", "203.0.113.9"), IndexTemplates.dailyIndex(IndexTemplates.ALERTS, t),
                alert, null, null, null, null);
    }

    private static void timeline(TimelineEntry e) throws Exception {
        put(IndexTemplates.dailyIndex(IndexTemplates.TIMELINE, e.timestamp()), e.id(), IncidentDocuments.write(e));
    }

    /** Written as the job's sink writes it: its daily index, its id, its document. */
    private static void delivery(DeliveryAttempt a) throws Exception {
        put(IndexTemplates.dailyIndex(IndexTemplates.DELIVERIES, Instant.ofEpochMilli(a.startedAt())),
                DeliveryDocuments.id(a), DeliveryDocuments.write(a));
    }

    private static void put(String index, String id, String json) throws Exception {
        Request r = new Request("PUT", "/" + index + "/_doc/" + id);
        r.setJsonEntity(json);
        rest.performRequest(r);
    }

    /** What was written, searchable. */
    private static void refresh() throws Exception {
        rest.performRequest(new Request("POST", "/vigil-incidents,vigil-timeline-*,vigil-deliveries-*/_refresh"
                + "?ignore_unavailable=true&allow_no_indices=true"));
    }

    private static long at(String time) {
        return Instant.parse(time).toEpochMilli();
    }

    /** "time kind summary" per entry. */
    private static List<String> lines(List<JsonNode> timeline) {
        return timeline.stream().map(e -> e.path("@timestamp").asText() + " " + e.at("/vigil/timeline/kind").asText()
                + " " + e.at("/vigil/timeline/summary").asText()).toList();
    }

    @Test
    @Order(1)
    void withoutDeliveryIndicesTheTimelineIsItsOwnEntries() throws Exception {
        List<JsonNode> timeline = new IncidentTriage(rest).timeline(INCIDENT);
        assertThat(timeline).extracting(e -> e.at("/vigil/timeline/kind").asText())
                .containsExactly("event", "alert", "alert", "action");
    }

    @Test
    @Order(2)
    void theAttemptsOfTheIncidentItsMergedIncidentAndTheirAlertsAreInTimeOrder() throws Exception {
        DeliveryAttempt retrying = new DeliveryAttempt("soar", ALERT_1, "alert", ALERT_1, 1, at("2024-06-01T10:00:01Z"),
                500, 120, DeliveryAttempt.RETRYING, "HTTP 500", at("2024-06-01T10:00:03Z"));
        delivery(retrying);
        delivery(new DeliveryAttempt("soar", ALERT_1, "alert", ALERT_1, 2, at("2024-06-01T10:00:03Z"), 200, 35,
                DeliveryAttempt.DELIVERED, null, null));
        // at the alert's own millisecond: after the alert, whose kind sorts first
        delivery(new DeliveryAttempt("slack", ALERT_2, "alert", ALERT_2, 1, at("2024-06-01T10:01:00Z"), 404, 12,
                DeliveryAttempt.FAILED, "HTTP 404", null));
        delivery(new DeliveryAttempt("soar", MERGED + ":1", "incident", MERGED, 5, at("2024-06-01T10:01:00.500Z"),
                null, 10_000, DeliveryAttempt.EXHAUSTED, "I/O error: request timed out", null));
        delivery(new DeliveryAttempt("soar", INCIDENT + ":2", "incident", INCIDENT, 0, at("2024-06-01T10:06:00Z"),
                null, 0, DeliveryAttempt.REFUSED,
                "webhook soar: queue full (1000 deliveries pending); the endpoint is slow or down", null));
        // the next day: another daily index
        delivery(new DeliveryAttempt("soar", INCIDENT + ":3", "incident", INCIDENT, 1, at("2024-06-02T00:00:01Z"),
                204, 40, DeliveryAttempt.DELIVERED, null, null));
        // another incident and its alert, delivered in between
        delivery(new DeliveryAttempt("soar", OTHER_ALERT, "alert", OTHER_ALERT, 1, at("2024-06-01T10:00:02Z"), 200, 30,
                DeliveryAttempt.DELIVERED, null, null));
        delivery(new DeliveryAttempt("soar", OTHER + ":1", "incident", OTHER, 1, at("2024-06-01T10:02:00Z"), 200, 30,
                DeliveryAttempt.DELIVERED, null, null));
        refresh();

        List<JsonNode> timeline = new IncidentTriage(rest).timeline(INCIDENT);

        assertThat(lines(timeline)).containsExactly(
                "2024-06-01T09:59:58Z event contributed to ssh-brute-force",
                "2024-06-01T10:00:00Z alert SSH brute force: 5 events — source.ip 203.0.113.9",
                "2024-06-01T10:00:01Z delivery webhook soar: attempt 1 → HTTP 500, retrying (next 2024-06-01T10:00:03Z)",
                "2024-06-01T10:00:03Z delivery webhook soar: delivered on attempt 2 (HTTP 200, 35 ms)",
                "2024-06-01T10:01:00Z alert SSH brute force: 5 events — source.ip 203.0.113.9",
                "2024-06-01T10:01:00Z delivery webhook slack: attempt 1 → HTTP 404, failed, dead-lettered",
                "2024-06-01T10:01:00.500Z delivery webhook soar: attempt 5 → I/O error: request timed out, exhausted, "
                        + "dead-lettered",
                "2024-06-01T10:05:00Z action bob acknowledged the incident",
                "2024-06-01T10:06:00Z delivery webhook soar: refused, never sent: queue full (1000 deliveries pending); "
                        + "the endpoint is slow or down, dead-lettered",
                "2024-06-02T00:00:01Z delivery webhook soar: delivered (HTTP 204, 40 ms)");

        // shaped like the timeline's entries, with the delivery's own fields
        JsonNode retried = timeline.get(2);
        assertThat(retried.at("/vigil/timeline/id").asText()).isEqualTo(DeliveryDocuments.id(retrying));
        assertThat(retried.at("/vigil/timeline/incident_id").asText()).isEqualTo(INCIDENT);
        assertThat(retried.at("/vigil/timeline/ref/id").asText()).isEqualTo(ALERT_1);
        assertThat(retried.at("/vigil/timeline/ref/index").asText()).isEqualTo("vigil-deliveries-2024.06.01");
        assertThat(retried.at("/rule/id").asText()).isEqualTo("ssh-brute-force");
        assertThat(retried.at("/vigil/delivery/endpoint").asText()).isEqualTo("soar");
        assertThat(retried.at("/vigil/delivery/outcome").asText()).isEqualTo("retrying");
        assertThat(retried.at("/http/response/status_code").asInt()).isEqualTo(500);
        JsonNode ofMergedAlert = timeline.get(5);
        assertThat(ofMergedAlert.at("/vigil/timeline/incident_id").asText()).isEqualTo(MERGED);
        assertThat(ofMergedAlert.at("/vigil/timeline/ref/id").asText()).isEqualTo(ALERT_2);
        JsonNode nextDay = timeline.get(9);
        assertThat(nextDay.at("/vigil/timeline/ref/id").asText()).isEqualTo(INCIDENT);
        assertThat(nextDay.at("/vigil/timeline/ref/index").asText()).isEqualTo("vigil-deliveries-2024.06.02");
        assertThat(nextDay.has("rule")).isFalse();

        // the other incident's timeline has its own attempts only
        assertThat(lines(new IncidentTriage(rest).timeline(OTHER))).containsExactly(
                "2024-06-01T10:00:02Z alert SSH brute force: 5 events — source.ip 203.0.113.9",
                "2024-06-01T10:00:02Z delivery webhook soar: delivered (HTTP 200, 30 ms)",
                "2024-06-01T10:02:00Z delivery webhook soar: delivered (HTTP 200, 30 ms)");
    }

    @Test
    @Order(3)
    void incidentsShowPrintsTheAttempts() {
        assertThat(vigil("incidents", "show", "--es", url, INCIDENT)).as(err.toString()).isZero();
        String shown = out.toString();
        List<String> lines = shown.lines().map(l -> l.strip().replaceAll("\\s+", " ")).toList();
        assertThat(lines).contains("TIME KIND RULE / ACTION ENTITIES SUMMARY",
                "2024-06-01T10:00:03Z delivery alert ssh-brute-force - webhook soar: delivered on attempt 2 (HTTP 200, 35 ms)",
                "2024-06-01T10:01:00Z delivery alert ssh-brute-force - webhook slack: attempt 1 → HTTP 404, failed, "
                        + "dead-lettered",
                "2024-06-01T10:06:00Z delivery incident - webhook soar: refused, never sent: queue full (1000 deliveries "
                        + "pending); the endpoint is slow or down, dead-lettered");
        assertThat(shown).doesNotContain("HTTP 200, 30 ms");
        assertThat(shown.indexOf("delivered on attempt 2")).isLessThan(shown.indexOf("bob acknowledged"));
        assertThat(shown.indexOf("bob acknowledged")).isLessThan(shown.indexOf("refused, never sent"));
    }
}
