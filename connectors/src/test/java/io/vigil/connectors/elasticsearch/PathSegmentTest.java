package io.vigil.connectors.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.EcsJson;
import java.io.IOException;
import java.util.List;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ids that would leave their path segment unencoded (a slash, a query, a fragment, dot segments,
 * spaces, a plus, a percent sign) reach exactly their own document on the real node once encoded.
 */
class PathSegmentTest {

    private static final String INDEX = "path-segments";

    /** Ids that change the request when pasted into a path as they are. */
    static final List<String> HOSTILE_IDS = List.of("a/b", "x?refresh=true", "y#frag", "..", ".", "../../_all",
            "with space", "plus+sign", "100%25", "%2E%2E", "é-ü-😀", "_search", "vigil-incidents/_doc/other");

    private static RestClient rest;

    @BeforeAll
    static void start() {
        rest = ElasticsearchTestNode.connection().restClient();
    }

    @AfterAll
    static void stop() throws IOException {
        rest.close();
    }

    @Test
    void keepsOnlyUnreservedCharactersOtherThanTheDot() {
        assertThat(PathSegment.encode("a/b?c#d e")).isEqualTo("a%2Fb%3Fc%23d%20e");
        assertThat(PathSegment.encode("..")).isEqualTo("%2E%2E");
        assertThat(PathSegment.encode("9f2c-Ab_~")).isEqualTo("9f2c-Ab_~");
        assertThat(PathSegment.encode("é")).isEqualTo("%C3%A9");
        for (String id : HOSTILE_IDS) {
            assertThat(PathSegment.encode(id)).as(id).matches("[A-Za-z0-9_~%-]+");
        }
        assertThatThrownBy(() -> PathSegment.encode("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachHostileIdReachesItsOwnDocument() throws IOException {
        StringBuilder bulk = new StringBuilder();
        for (String id : HOSTILE_IDS) {
            // written with the id in the body, not the path: the encoder is what is under test
            ObjectNode action = EcsJson.MAPPER.createObjectNode();
            action.putObject("index").put("_index", INDEX).put("_id", id);
            bulk.append(EcsJson.toJson(action)).append('\n').append("{\"id\":").append(EcsJson.MAPPER
                    .writeValueAsString(id)).append("}\n");
        }
        Request request = new Request("POST", "/_bulk?refresh=true");
        request.setEntity(new NStringEntity(bulk.toString(), ContentType.create("application/x-ndjson", java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(EcsJson.MAPPER.readTree(rest.performRequest(request).getEntity().getContent()).path("errors")
                .asBoolean()).isFalse();

        for (String id : HOSTILE_IDS) {
            JsonNode doc = EcsJson.MAPPER.readTree(rest.performRequest(
                    new Request("GET", "/" + INDEX + "/_doc/" + PathSegment.encode(id))).getEntity().getContent());
            assertThat(doc.path("_id").asText()).as(id).isEqualTo(id);
            assertThat(doc.at("/_source/id").asText()).as(id).isEqualTo(id);
        }
    }
}
