package io.vigil.jobs.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.connectors.webhook.WebhookRequest;
import io.vigil.connectors.webhook.WebhookTarget;
import io.vigil.model.Alert;
import io.vigil.model.EcsJson;
import io.vigil.model.Incident;
import io.vigil.model.KeyEvent;
import io.vigil.model.Origin;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.junit.jupiter.api.Test;

class WebhookRequestsTest {

    private static final Instant T = Instant.parse("2024-03-09T06:40:12Z");

    static Alert alert(String id, String rule, String severity, List<String> tags, long suppressed) {
        Origin o = Origin.kafka("vigil.raw.syslog", 0, 42);
        return new Alert(id, T, rule, 2, "SSH brute force then success", "Many failures then a success", severity, 73,
                List.of("TA0006"), List.of("T1110"), tags, "source.ip", "203.0.113.9",
                Map.of("source.ip", "203.0.113.9", "user.name", "root", "host.name", "bastion"), 12, suppressed,
                T.minusSeconds(60), T, List.of(o), 12, List.of(new KeyEvent(T.minusSeconds(60), o, null)));
    }

    static Incident incident(long version, String severity, List<String> rules) {
        return new Incident("inc42", "SSH brute force on bastion", Incident.OPEN, null, null, T.minusSeconds(60), T,
                List.of("root"), List.of(), List.of("bastion"), List.of("203.0.113.9"), 2, rules, severity, 80,
                List.of("TA0006"), null, version);
    }

    private static WebhookRoute route(String name, WebhookFormat format, WebhookFilter filter) {
        return new WebhookRoute(WebhookTarget.builder().name(name).url("https://" + name + ".example/").secretEnv("S")
                .build(), format, filter);
    }

    private static List<WebhookRequest> requests(Alert a, List<WebhookRoute> routes) {
        List<WebhookRequest> out = new ArrayList<>();
        WebhookRequests.of(a, routes, new ListCollector<>(out));
        return out;
    }

    @Test
    void eachEndpointGetsTheAlertsItsFilterAcceptsKeyedByAlertId() {
        List<WebhookRoute> routes = List.of(
                route("all", WebhookFormat.GENERIC, WebhookFilter.ALL_ALERTS),
                route("critical", WebhookFormat.GENERIC, new WebhookFilter(true, false, "critical", Set.of(), Set.of())),
                route("spray", WebhookFormat.ECS, new WebhookFilter(true, false, "low", Set.of("password-spray"), Set.of())),
                route("creds", WebhookFormat.SLACK, new WebhookFilter(true, false, "low", Set.of(), Set.of("credential-access"))),
                route("incidents", WebhookFormat.GENERIC, new WebhookFilter(false, true, "low", Set.of(), Set.of())));

        List<WebhookRequest> out = requests(alert("a1", "ssh-brute-force-then-success", "high",
                List.of("credential-access"), 0), routes);

        assertThat(out).extracting(WebhookRequest::endpoint).containsExactly("all", "creds");
        assertThat(out).extracting(WebhookRequest::idempotencyKey).containsOnly("a1");
        assertThat(out).extracting(WebhookRequest::subjectKind).containsOnly("alert");
        assertThat(out.get(0).createdAt()).isEqualTo(T.toEpochMilli());
        // a later copy of the same alert (suppressed events counted) is not sent again
        assertThat(requests(alert("a1", "ssh-brute-force-then-success", "high", List.of(), 3), routes)).isEmpty();
    }

    @Test
    void incidentChangesAreKeyedByIdAndVersion() {
        List<WebhookRoute> routes = List.of(
                route("alerts-only", WebhookFormat.GENERIC, WebhookFilter.ALL_ALERTS),
                route("soar", WebhookFormat.GENERIC, new WebhookFilter(true, true, "medium", Set.of(), Set.of())),
                route("spray", WebhookFormat.GENERIC, new WebhookFilter(false, true, "low", Set.of("password-spray"), Set.of())));
        List<WebhookRequest> out = new ArrayList<>();

        WebhookRequests.of(incident(3, "high", List.of("ssh-brute-force")), routes, new ListCollector<>(out));

        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.endpoint()).isEqualTo("soar");
            assertThat(r.idempotencyKey()).isEqualTo("inc42:3");
            assertThat(r.subjectKind()).isEqualTo("incident");
            assertThat(r.subjectId()).isEqualTo("inc42");
        });
    }

    @Test
    void highAndCriticalAlertsAndIncidentsAreUrgentTheRestNormal() {
        List<WebhookRoute> routes = List.of(route("all", WebhookFormat.GENERIC,
                new WebhookFilter(true, true, "low", Set.of(), Set.of())));
        for (String severity : List.of("low", "medium", "high", "critical")) {
            WebhookRequest.Priority expected = severity.equals("high") || severity.equals("critical")
                    ? WebhookRequest.Priority.URGENT : WebhookRequest.Priority.NORMAL;
            assertThat(requests(alert("a-" + severity, "r", severity, List.of(), 0), routes))
                    .as("alert, %s", severity).singleElement()
                    .satisfies(r -> assertThat(r.priority()).isEqualTo(expected));
            List<WebhookRequest> out = new ArrayList<>();
            WebhookRequests.of(incident(1, severity, List.of("r")), routes, new ListCollector<>(out));
            assertThat(out).as("incident, %s", severity).singleElement()
                    .satisfies(r -> assertThat(r.priority()).isEqualTo(expected));
        }
    }

    @Test
    void payloadsInEachFormat() throws Exception {
        Alert a = alert("a1", "ssh-brute-force-then-success", "high", List.of("credential-access"), 0);

        JsonNode generic = EcsJson.MAPPER.readTree(WebhookFormat.GENERIC.render(a));
        assertThat(generic.path("type").asText()).isEqualTo("vigil.alert");
        assertThat(generic.path("version").asInt()).isEqualTo(1);
        assertThat(generic.path("id").asText()).isEqualTo("a1");
        assertThat(generic.at("/rule/id").asText()).isEqualTo("ssh-brute-force-then-success");
        assertThat(generic.path("severity").asText()).isEqualTo("high");
        assertThat(generic.at("/entities/user.name").asText()).isEqualTo("root");
        assertThat(generic.at("/group/value").asText()).isEqualTo("203.0.113.9");
        assertThat(generic.at("/key_events/0/origin").asText()).isEqualTo("vigil.raw.syslog/0@42");

        JsonNode ecs = EcsJson.MAPPER.readTree(WebhookFormat.ECS.render(a));
        assertThat(ecs.at("/event/id").asText()).isEqualTo("a1");
        assertThat(ecs.at("/rule/id").asText()).isEqualTo("ssh-brute-force-then-success");

        JsonNode slack = EcsJson.MAPPER.readTree(WebhookFormat.SLACK.render(a));
        assertThat(slack.path("text").asText()).startsWith("[HIGH] SSH brute force then success: source.ip 203.0.113.9")
                .contains("user.name root").contains("12 events");
        assertThat(slack.at("/blocks/0/text/type").asText()).isEqualTo("mrkdwn");

        JsonNode inc = EcsJson.MAPPER.readTree(WebhookFormat.GENERIC.render(incident(2, "high", List.of("r"))));
        assertThat(inc.path("type").asText()).isEqualTo("vigil.incident");
        assertThat(inc.path("change").asLong()).isEqualTo(2);
        assertThat(inc.at("/entities/hosts/0").asText()).isEqualTo("bastion");
    }

    @Test
    void slackTextCannotCarryLinksOrMentionsFromLogContent() throws Exception {
        Alert a = new Alert("a2", T, "r", 1, "Rule", "d", "low", 21, List.of(), List.of(), List.of(), "user.name",
                "<!channel> <https://evil.example|click>", Map.of("user.name", "<!channel> <https://evil.example|click>"),
                1, 0, T, T, List.of(), 0, List.of());
        String text = EcsJson.MAPPER.readTree(WebhookFormat.SLACK.render(a)).path("text").asText();
        assertThat(text).doesNotContain("<").doesNotContain(">").contains("&lt;!channel&gt;");
    }
}
