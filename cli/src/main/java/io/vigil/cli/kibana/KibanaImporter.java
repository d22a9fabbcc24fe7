package io.vigil.cli.kibana;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.text.SafeText;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports saved objects through Kibana's API: {@code POST /api/saved_objects/_import?overwrite=true}
 * (under {@code /s/<space>} when a space is named), the ndjson file as the
 * {@code file} part of a multipart form, with the {@code kbn-xsrf} header Kibana demands.
 */
public final class KibanaImporter {

    private static final Logger LOG = LoggerFactory.getLogger(KibanaImporter.class);

    /** How much of a response body a debug line shows. */
    static final int LOGGED_BODY_CHARS = 1000;

    /** Connect and answer timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** Kibana space ids: lower-case letters, digits, '_' and '-'. */
    private static final Pattern SPACE_ID = Pattern.compile("[a-z0-9_-]+");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI kibana;
    private final URI endpoint;
    private final Optional<String> authorization;
    private final Duration timeout;
    private final HttpClient client;

    /**
     * @param kibana Kibana's base URL ({@code http://localhost:5601}, with a base path if it has one)
     * @param space a space id, or null for the default space
     * @param authorization the {@code Authorization} header value, if any
     */
    public KibanaImporter(URI kibana, String space, Optional<String> authorization, Duration timeout) {
        this.kibana = kibana;
        this.endpoint = importUri(kibana, space);
        this.authorization = authorization;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Whether {@code space} is a well-formed Kibana space id. */
    public static boolean isSpaceId(String space) {
        return SPACE_ID.matcher(space).matches();
    }

    /** The import endpoint for {@code kibana} and {@code space} (null: the default space). */
    public static URI importUri(URI kibana, String space) {
        if (space != null && !isSpaceId(space)) {
            throw new IllegalArgumentException("not a Kibana space id: '" + space + "' (lower-case letters, digits, _ and -)");
        }
        String base = kibana.toString().replaceAll("/+$", "");
        return URI.create(base + spacePath(space) + "/api/saved_objects/_import?overwrite=true");
    }

    /** The URL of a saved object's page for this Kibana and space (e.g. the dashboard). */
    public static String appUrl(URI kibana, String space, String appPath) {
        String base = kibana.toString().replaceAll("/+$", "");
        return base + spacePath(space) + appPath;
    }

    private static String spacePath(String space) {
        return space == null ? "" : "/s/" + space;
    }

    /** Imports {@code ndjson}, overwriting objects with the same ids. */
    public ImportResult importObjects(String fileName, byte[] ndjson) throws KibanaException {
        MultipartBody body = MultipartBody.ofFile("file", fileName, "application/ndjson", ndjson);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("kbn-xsrf", "true")
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
        authorization.ifPresent(value -> request.header("Authorization", value));
        LOG.info("importing {} ({} bytes) into Kibana: POST {}", fileName, ndjson.length, endpoint);
        HttpResponse<String> response = send(request.build());
        // a server's answer is logged bounded and escaped (a proxy's error page can be any size)
        LOG.debug("Kibana answered HTTP {}: {}", response.statusCode(),
                SafeText.bounded(response.body(), LOGGED_BODY_CHARS));
        if (response.statusCode() / 100 != 2) {
            throw new KibanaException("Kibana at " + kibana + " refused the import: HTTP " + response.statusCode()
                    + describeRefusal(response));
        }
        try {
            return ImportResult.parse(JSON.readTree(response.body()));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new KibanaException("Kibana at " + kibana + " answered HTTP " + response.statusCode()
                    + " with a body that is not an import result (is this Kibana?): " + abbreviate(response.body()));
        }
    }

    private HttpResponse<String> send(HttpRequest request) throws KibanaException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new KibanaException("Kibana at " + kibana + " did not answer within " + readable(timeout), e);
        } catch (ConnectException e) {
            throw new KibanaException("cannot reach Kibana at " + kibana + ": connection refused (is it running, "
                    + "and is the URL right?)", e);
        } catch (IOException e) {
            throw new KibanaException("cannot reach Kibana at " + kibana + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KibanaException("interrupted while importing into Kibana at " + kibana, e);
        }
    }

    /** Kibana's own explanation of an error status ({@code {"statusCode":..,"error":..,"message":..}}). */
    private static String describeRefusal(HttpResponse<String> response) {
        StringBuilder reason = new StringBuilder();
        try {
            JsonNode error = JSON.readTree(response.body());
            if (error.hasNonNull("error")) {
                reason.append(' ').append(error.get("error").asText());
            }
            if (error.hasNonNull("message")) {
                reason.append(": ").append(error.get("message").asText());
            }
        } catch (JsonProcessingException e) {
            if (!response.body().isBlank()) {
                reason.append(": ").append(abbreviate(response.body()));
            }
        }
        response.headers().firstValue("Location").ifPresent(to -> reason.append(" (redirects to ").append(to).append(')'));
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            reason.append(" (check --api-key-env or --username-env/--password-env)");
        }
        return reason.toString();
    }

    private static String describe(IOException e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String readable(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private static String abbreviate(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() <= 200 ? flat : flat.substring(0, 200) + "...";
    }
}
