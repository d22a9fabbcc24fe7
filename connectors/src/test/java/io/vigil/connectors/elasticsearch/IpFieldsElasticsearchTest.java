package io.vigil.connectors.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.EcsJson;
import io.vigil.model.IpFields;
import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whatever text a decoder puts into a field mapped as ip, the real Elasticsearch node indexes the
 * event: IP literals stay in {@code source.ip}, {@code destination.ip} and {@code related.ip},
 * anything else is a keyword under {@code vigil.invalid.*}. Nothing is refused.
 */
class IpFieldsElasticsearchTest {

    private static final String INDEX = "vigil-events-2000.01.02";

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

    @Test
    void noValueOfAnIpFieldIsRefused() throws IOException {
        List<String> values = new ArrayList<>(List.of("1.2.3.4", "0.0.0.0", "255.255.255.255", "::", "::1", "1::",
                "2001:DB8::8a2e:370:7334", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::ffff:192.0.2.1",
                "1:2:3:4:5:6:1.2.3.4", "::1.2.3.4", "fe80::1%eth0", "fe80::a%en0.1_x-y",
                // not IP literals: each kept under vigil.invalid.*
                "01.2.3.4", "256.1.1.1", "1.2.3.4%eth0", "::ffff:1.2.3.4%x", "[::1]", "host.example", "-", " 1.2.3.4",
                "١.٢.٣.٤", "1.2.3.4\nX-Injected: 1", "x".repeat(5000)));
        // and random text near addresses: digits, hex, separators
        Random random = new Random(13);
        String alphabet = "0123456789abcdefABCDEF::..%x-";
        for (int i = 0; i < 500; i++) {
            StringBuilder s = new StringBuilder();
            for (int n = 1 + random.nextInt(24); n > 0; n--) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            values.add(s.toString());
        }
        List<SecurityEvent> events = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            events.add(SecurityEvent.builder().timestamp(Instant.parse("2000-01-02T00:00:00Z"))
                    .origin(Origin.kafka("ip-values", 0, i)).sourceIp(v).destinationIp(v).relatedIp(v).build());
        }
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < events.size(); i++) {
            bulk.append("{\"index\":{\"_index\":\"").append(INDEX).append("\",\"_id\":\"ip-").append(i).append("\"}}\n")
                    .append(EcsJson.write(events.get(i))).append('\n');
        }
        Request request = new Request("POST", "/_bulk?refresh=true");
        request.setEntity(new NStringEntity(bulk.toString(), ContentType.create("application/x-ndjson")));
        JsonNode response = EcsJson.MAPPER.readTree(rest.performRequest(request).getEntity().getContent());
        List<String> refused = new ArrayList<>();
        response.path("items").forEach(item -> {
            JsonNode error = item.path("index").path("error");
            if (!error.isMissingNode()) {
                refused.add(error.toString());
            }
        });
        assertThat(response.path("items").size()).isEqualTo(events.size());
        assertThat(refused).isEmpty();
        long valid = events.stream().filter(e -> e.sourceIp() != null).count();
        assertThat(valid).as("IP literals among the values").isGreaterThan(14);
        assertThat(events).filteredOn(e -> e.sourceIp() == null && !values.get((int) e.origin().offset()).isEmpty())
                .allSatisfy(e -> assertThat(e.field(IpFields.INVALID_SOURCE_IP)).isNotNull());
    }
}
