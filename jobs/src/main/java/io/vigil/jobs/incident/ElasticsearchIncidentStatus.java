package io.vigil.jobs.incident;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.connectors.elasticsearch.ElasticsearchConnection;
import io.vigil.connectors.elasticsearch.IndexTemplates;
import io.vigil.connectors.elasticsearch.PathSegment;
import io.vigil.model.EcsJson;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.apache.http.client.config.RequestConfig;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * Incidents' statuses from {@code vigil-incidents}: one GET of two fields per read, each bounded by
 * {@code timeout} (connection, wait for a pooled connection, and response).
 */
public final class ElasticsearchIncidentStatus implements IncidentStatusSource {

    private static final long serialVersionUID = 1L;

    private final ElasticsearchConnection connection;
    private final int timeoutMs;

    public ElasticsearchIncidentStatus(ElasticsearchConnection connection, Duration timeout) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.timeoutMs = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    @Override
    public Reader open() {
        RestClient rest = connection.restClient();
        RequestOptions options = RequestOptions.DEFAULT.toBuilder().setRequestConfig(RequestConfig.custom()
                .setConnectTimeout(timeoutMs).setConnectionRequestTimeout(timeoutMs).setSocketTimeout(timeoutMs)
                .build()).build();
        return new Reader() {
            @Override
            public Status read(String id) throws IOException {
                // ids are Vigil's own hex digests, never log content; encoded all the same
                Request get = new Request("GET", "/" + IndexTemplates.INCIDENTS + "/_doc/" + PathSegment.encode(id));
                get.addParameter("_source_includes", "vigil.incident.status,vigil.incident.last_seen");
                get.setOptions(options);
                JsonNode doc;
                try (InputStream body = rest.performRequest(get).getEntity().getContent()) {
                    doc = EcsJson.MAPPER.readTree(body);
                } catch (ResponseException e) {
                    if (e.getResponse().getStatusLine().getStatusCode() == 404) {
                        return null;
                    }
                    throw e;
                }
                JsonNode inc = doc.at("/_source/vigil/incident");
                String lastSeen = inc.path("last_seen").asText(null);
                return new Status(inc.path("status").asText(null),
                        lastSeen == null ? Long.MIN_VALUE : Instant.parse(lastSeen).toEpochMilli());
            }

            @Override
            public void close() throws IOException {
                rest.close();
            }
        };
    }
}
