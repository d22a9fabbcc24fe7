package io.vigil.connectors.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The GeoIP and impossible-travel fields on the real Elasticsearch node: locations are geo_points a
 * distance query finds, AS numbers longs, and a malformed value (an {@code ecs} input may carry any
 * string under a catalog name) costs that value, never the document.
 */
class GeoMappingElasticsearchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENTS = "vigil-events-2000.01.03";
    private static final String ALERTS = "vigil-alerts-2000.01.03";

    private static ElasticsearchClient client;
    private static RestClient rest;

    @BeforeAll
    static void start() throws IOException {
        client = ElasticsearchTestNode.client();
        rest = ElasticsearchTestNode.connection().restClient();
        IndexTemplates.installAll(client);
    }

    @AfterAll
    static void stop() throws IOException {
        client.close();
        rest.close();
    }

    private static JsonNode call(String method, String path, String body) throws IOException {
        Request r = new Request(method, path);
        if (body != null) {
            r.setEntity(new NStringEntity(body, ContentType.APPLICATION_JSON));
        }
        return JSON.readTree(rest.performRequest(r).getEntity().getContent());
    }

    private static String type(String index, String dotted) throws IOException {
        JsonNode m = call("GET", "/" + index + "/_mapping/field/" + dotted, null);
        return m.path(index).path("mappings").path(dotted).path("mapping").elements().next().path("type").asText();
    }

    private static long nearLondon(String index, String field) throws IOException {
        return call("POST", "/" + index + "/_count", "{\"query\":{\"geo_distance\":{\"distance\":\"50km\",\""
                + field + "\":\"51.5,-0.1\"}}}").path("count").asLong();
    }

    @Test
    void eventLocationsAreGeoPointsAndAsNumbersLongs() throws IOException {
        call("PUT", "/" + EVENTS + "/_doc/london?refresh=true", "{\"@timestamp\":\"2000-01-03T00:00:00Z\","
                + "\"source\":{\"ip\":\"81.2.69.160\",\"geo\":{\"country_iso_code\":\"GB\",\"city_name\":\"London\","
                + "\"location\":\"51.5142,-0.0931\"},\"as\":{\"number\":\"20712\",\"organization\":{\"name\":\"A&A\"}}},"
                + "\"destination\":{\"geo\":{\"location\":\"40.7128,-74.006\"},\"as\":{\"number\":\"15169\"}}}");
        // what an ecs input could carry under the same names: indexed, the bad values ignored
        call("PUT", "/" + EVENTS + "/_doc/junk?refresh=true", "{\"@timestamp\":\"2000-01-03T00:00:00Z\","
                + "\"source\":{\"geo\":{\"location\":\"not a place\"},\"as\":{\"number\":\"AS-x\"}}}");
        assertThat(type(EVENTS, "source.geo.location")).isEqualTo("geo_point");
        assertThat(type(EVENTS, "destination.geo.location")).isEqualTo("geo_point");
        assertThat(type(EVENTS, "source.as.number")).isEqualTo("long");
        assertThat(type(EVENTS, "source.geo.country_iso_code")).isEqualTo("keyword");
        assertThat(nearLondon(EVENTS, "source.geo.location")).isEqualTo(1);
        assertThat(nearLondon(EVENTS, "destination.geo.location")).isZero();
        assertThat(call("POST", "/" + EVENTS + "/_count", "{\"query\":{\"term\":{\"source.as.number\":20712}}}")
                .path("count").asLong()).isEqualTo(1);
        assertThat(call("GET", "/" + EVENTS + "/_doc/junk", null).path("found").asBoolean()).isTrue();
    }

    @Test
    void alertTravelPlacesAreGeoPointsWithTimesAndNumbers() throws IOException {
        call("PUT", "/" + ALERTS + "/_doc/t1?refresh=true", "{\"@timestamp\":\"2000-01-03T01:00:00Z\","
                + "\"rule\":{\"id\":\"impossible-travel\"},\"source\":{\"ip\":\"8.8.8.8\",\"geo\":{\"location\":"
                + "\"40.7128,-74.006\"}},\"vigil\":{\"travel\":{\"from\":{\"ip\":\"81.2.69.160\",\"location\":"
                + "\"51.5142,-0.0931\",\"timestamp\":\"2000-01-03T00:00:00Z\",\"country_iso_code\":\"GB\"},"
                + "\"to\":{\"ip\":\"8.8.8.8\",\"location\":\"40.7128,-74.006\",\"timestamp\":\"2000-01-03T01:00:00Z\"},"
                + "\"distance_km\":\"5570.2\",\"speed_kmh\":\"5570.2\"}}}");
        assertThat(type(ALERTS, "vigil.travel.from.location")).isEqualTo("geo_point");
        assertThat(type(ALERTS, "vigil.travel.to.timestamp")).isEqualTo("date");
        assertThat(type(ALERTS, "vigil.travel.speed_kmh")).isEqualTo("float");
        assertThat(type(ALERTS, "source.geo.location")).isEqualTo("geo_point");
        assertThat(nearLondon(ALERTS, "vigil.travel.from.location")).isEqualTo(1);
        assertThat(call("POST", "/" + ALERTS + "/_count",
                "{\"query\":{\"range\":{\"vigil.travel.speed_kmh\":{\"gt\":900}}}}").path("count").asLong()).isEqualTo(1);
    }
}
