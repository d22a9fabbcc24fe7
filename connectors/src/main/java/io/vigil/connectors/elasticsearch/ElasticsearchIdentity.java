package io.vigil.connectors.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.EcsJson;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * Who an Elasticsearch cluster says the client is ({@code GET /_security/_authenticate}): the
 * user name the credentials authenticate as, and how (a realm, or an API key by name).
 *
 * @param username the authenticated user (for an API key: the key's owner)
 * @param authentication how the cluster authenticated it: {@code realm:NAME} or
 *     {@code api_key:NAME}, as the cluster reports it
 */
public record ElasticsearchIdentity(String username, String authentication) {

    public static final String AUTHENTICATE = "/_security/_authenticate";

    /**
     * Asks the cluster. Empty when the cluster has no security: the endpoint is absent (a
     * distribution without the security plugin answers 400, 404 or 405) or security is disabled
     * (500, "Security must be explicitly enabled"). Refused credentials (401, 403) and any other
     * answer are thrown as they came ({@link ResponseException}), for the caller to explain.
     */
    public static Optional<ElasticsearchIdentity> ask(RestClient rest) throws IOException {
        JsonNode body;
        try (InputStream in = rest.performRequest(new Request("GET", AUTHENTICATE)).getEntity().getContent()) {
            body = EcsJson.MAPPER.readTree(in);
        } catch (ResponseException e) {
            if (securityOff(e)) {
                return Optional.empty();
            }
            throw e;
        }
        String username = body.path("username").asText("");
        if (username.isEmpty()) {
            throw new IOException("Elasticsearch answered " + AUTHENTICATE + " without a username");
        }
        String how = body.at("/api_key/name").isTextual() ? "api_key:" + body.at("/api_key/name").asText()
                : "realm:" + body.at("/authentication_realm/name").asText("unknown");
        return Optional.of(new ElasticsearchIdentity(username, how));
    }

    private static boolean securityOff(ResponseException e) throws IOException {
        int status = e.getResponse().getStatusLine().getStatusCode();
        String text = e.getResponse().getEntity() == null ? ""
                : new String(e.getResponse().getEntity().getContent().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (status == 400 || status == 404 || status == 405) {
            // no such handler: but a security plugin refusing the request says so in its error type
            return !text.contains("security_exception");
        }
        return status == 500 && text.contains("Security must be explicitly enabled");
    }
}
