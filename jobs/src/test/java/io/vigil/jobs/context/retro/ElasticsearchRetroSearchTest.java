package io.vigil.jobs.context.retro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.connectors.elasticsearch.ElasticsearchConnection;
import io.vigil.context.ContextAlert;
import io.vigil.context.intel.Indicator;
import io.vigil.context.intel.IntelAlert;
import io.vigil.jobs.stream.StreamingServices;
import io.vigil.jobs.wiring.Connections;
import io.vigil.jobs.wiring.Documents;
import io.vigil.model.Alert;
import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The retro-hunt's searches of vigil-events-* on a real Elasticsearch node, events indexed as the job indexes them. */
class ElasticsearchRetroSearchTest {

    static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    static final Instant FROM = NOW.minus(Duration.ofDays(30));

    static final SecurityEvent SSH = event(NOW.minus(Duration.ofDays(2)), 1).sourceIp("198.18.7.10").hostName("bastion")
            .build();
    static final SecurityEvent SSH_OLD = event(NOW.minus(Duration.ofDays(40)), 2).sourceIp("198.18.7.10")
            .hostName("bastion").build();
    static final SecurityEvent RELATED = event(NOW.minus(Duration.ofDays(3)), 3).relatedIp("10.0.0.1")
            .relatedIp("198.18.7.200").build();
    static final SecurityEvent WEB = event(NOW.minus(Duration.ofDays(1)), 4).urlDomain("CDN.Bad-Domain.example")
            .urlOriginal("https://cdn.bad-domain.example/payload.bin").build();
    static final SecurityEvent LOOKALIKE = event(NOW.minus(Duration.ofDays(1)), 5).urlDomain("notbad-domain.example")
            .build();
    static final SecurityEvent FILE = event(NOW.minus(Duration.ofDays(5)), 6)
            .field("file.hash.sha256", "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12").build();

    static RestClient rest;

    static SecurityEvent.Builder event(Instant at, long offset) {
        return SecurityEvent.builder().timestamp(at).origin(Origin.kafka("raw.retro-test", 0, offset))
                .eventAction("retro-test");
    }

    static Indicator indicator(Indicator.Type type, String value) {
        return new Indicator(type, value, 50, null, null, "test-feed", null, null, null);
    }

    @BeforeAll
    static void index() throws IOException {
        rest = StreamingServices.REST;
        Connections.installTemplates(ElasticsearchConnection.builder().urls(StreamingServices.ES.url()).build());
        Documents.Events docs = new Documents.Events();
        StringBuilder bulk = new StringBuilder();
        for (SecurityEvent e : List.of(SSH, SSH_OLD, RELATED, WEB, LOOKALIKE, FILE)) {
            bulk.append("{\"index\":{\"_index\":\"").append(docs.index(e)).append("\",\"_id\":\"").append(docs.id(e))
                    .append("\"}}\n").append(new String(docs.source(e), java.nio.charset.StandardCharsets.UTF_8))
                    .append('\n');
        }
        Request r = new Request("POST", "/_bulk");
        r.addParameter("refresh", "true");
        r.setEntity(new StringEntity(bulk.toString(), ContentType.create("application/x-ndjson")));
        assertThat(rest.performRequest(r).getStatusLine().getStatusCode()).isEqualTo(200);
    }

    static RetroSearch search() {
        return new ElasticsearchRetroSearch(RestClient.builder(org.apache.http.HttpHost.create(
                StreamingServices.ES.url())).build());
    }

    @Test
    void eachIndicatorTypeFindsItsPastEventsInTheWindowAndNothingElse() throws Exception {
        List<Indicator> batch = List.of(
                indicator(Indicator.Type.IPV4_ADDR, "198.18.7.10"),
                indicator(Indicator.Type.CIDR, "198.18.7.128/25"),
                indicator(Indicator.Type.DOMAIN_NAME, "bad-domain.example"),
                indicator(Indicator.Type.URL, "https://cdn.bad-domain.example/payload.bin"),
                indicator(Indicator.Type.SHA256, "AB12AB12AB12AB12AB12AB12AB12AB12AB12AB12AB12AB12AB12AB12AB12AB12"),
                indicator(Indicator.Type.IPV4_ADDR, "198.18.99.99"));
        RetroSearch.Result r;
        try (RetroSearch s = search()) {
            r = s.hunt(batch, FROM, NOW, 10);
        }
        assertThat(r.indicatorsCut()).isZero();
        assertThat(r.hits()).extracting(h -> h.indicator().value() + " " + h.field() + "=" + h.atomic() + " #"
                + h.event().origin().offset()).containsExactly(
                "198.18.7.10 source.ip=198.18.7.10 #1",
                "198.18.7.128/25 related.ip=198.18.7.200 #3",
                "bad-domain.example url.domain=CDN.Bad-Domain.example #4",
                "https://cdn.bad-domain.example/payload.bin url.original=https://cdn.bad-domain.example/payload.bin #4",
                "AB12AB12AB12AB12AB12AB12AB12AB12AB12AB12AB12AB12AB12AB12AB12AB12 file.hash.sha256="
                        + "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12 #6");
    }

    @Test
    void theEventReadBackGivesTheAlertIdOfTheLiveMatch() throws Exception {
        RetroSearch.Result r;
        try (RetroSearch s = search()) {
            r = s.hunt(List.of(indicator(Indicator.Type.IPV4_ADDR, "198.18.7.10")), FROM, NOW, 10);
        }
        Alert alert = RetroHuntFunction.alert(r.hits().get(0));
        assertThat(alert.id()).isEqualTo(ContextAlert.id(IntelAlert.RULE.id(), "198.18.7.10 @ bastion", SSH));
        assertThat(alert.timestamp()).isEqualTo(SSH.timestamp());
        assertThat(alert.context()).containsEntry(IntelAlert.RETRO, "true");
    }

    @Test
    void hitsBeyondTheBoundAreCutAndCountedAndValidityNarrowsTheWindow() throws Exception {
        try (RetroSearch s = search()) {
            RetroSearch.Result all = s.hunt(List.of(indicator(Indicator.Type.IPV4_ADDR, "198.18.7.10")),
                    NOW.minus(Duration.ofDays(60)), NOW, 1);
            assertThat(all.hits()).extracting(h -> h.event().origin().offset()).containsExactly(2L);
            assertThat(all.indicatorsCut()).isEqualTo(1);

            Indicator expired = new Indicator(Indicator.Type.IPV4_ADDR, "198.18.7.10", 50, null,
                    NOW.minus(Duration.ofDays(10)), "test-feed", null, null, null);
            assertThat(s.hunt(List.of(expired), FROM, NOW, 10).hits()).isEmpty();
        }
    }

    @Test
    void noEventsIndexIsNoHitAndAnUnreachableNodeIsAnIOException() throws Exception {
        try (RetroSearch s = new ElasticsearchRetroSearch(RestClient.builder(org.apache.http.HttpHost.create(
                StreamingServices.ES.url())).build(), "vigil-nothing-here-*")) {
            assertThat(s.hunt(List.of(indicator(Indicator.Type.IPV4_ADDR, "198.18.7.10")), FROM, NOW, 10).hits())
                    .isEmpty();
        }
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (RetroSearch s = new ElasticsearchRetroSearch(RestClient.builder(
                new org.apache.http.HttpHost("127.0.0.1", port)).build())) {
            assertThatThrownBy(() -> s.hunt(List.of(indicator(Indicator.Type.IPV4_ADDR, "198.18.7.10")), FROM, NOW, 10))
                    .isInstanceOf(IOException.class).hasMessageContaining("retro-hunt search of vigil-events-*");
        }
    }
}
