package io.vigil.jobs.wiring;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.vigil.connectors.elasticsearch.ElasticsearchConnection;
import io.vigil.connectors.elasticsearch.ElasticsearchIdentity;
import io.vigil.connectors.secret.Secret;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.config.VigilOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.security.cert.CertificateException;
import java.security.cert.CertPathBuilderException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * The one way Vigil reaches an Elasticsearch cluster: the streaming job, replay, setup and triage
 * all build their connection here, and turn what goes wrong on the way (an untrusted certificate,
 * refused credentials, an unreachable node) into an error that says what to do.
 *
 * <p>With a configuration, the cluster is the one it names: {@code elasticsearch.urls} (unless a
 * URL is given), credentials from the environment variables {@code elasticsearch.api-key-env} or
 * {@code elasticsearch.username-env}/{@code password-env} name, and the CA certificate
 * {@code elasticsearch.ca-cert} (unless one is given). Without one: the URL given, else
 * {@value #URL_ENV}, else {@value #DEFAULT_URL}; an API key in {@value #API_KEY_ENV}, or a user and
 * password in {@value #USERNAME_ENV} and {@value #PASSWORD_ENV}; the CA certificate given, else
 * {@value #CA_CERT_ENV}. Secrets are never options or configuration values, only environment
 * variables (docs/architecture.md, invariant 7).
 */
public final class ElasticsearchAccess {

    public static final String URL_ENV = "VIGIL_ES_URL";
    public static final String API_KEY_ENV = "VIGIL_ES_API_KEY";
    public static final String USERNAME_ENV = "VIGIL_ES_USERNAME";
    public static final String PASSWORD_ENV = "VIGIL_ES_PASSWORD";
    public static final String CA_CERT_ENV = "VIGIL_ES_CA_CERT";
    public static final String DEFAULT_URL = "http://localhost:9200";

    private final ElasticsearchConnection connection;
    private final Function<String, String> env;
    /** Where this access took its CA certificate from, or could have: for the untrusted-certificate error. */
    private final String caAdvice;
    /** Where credentials are given, for the error when the cluster wants some and got none. */
    private final String credentialsAdvice;

    private ElasticsearchAccess(ElasticsearchConnection connection, Function<String, String> env, String caAdvice,
                                String credentialsAdvice) {
        this.connection = connection;
        this.env = env;
        this.caAdvice = caAdvice;
        this.credentialsAdvice = credentialsAdvice;
    }

    /** The cluster a configuration names, secrets from this process's environment: the streaming job's. */
    public static ElasticsearchAccess of(VigilConfig config) {
        return of(config, null, null, System::getenv);
    }

    /**
     * The cluster of a command.
     *
     * @param config the configuration, or {@code null} to take everything from the environment
     * @param url a node URL that overrides the configuration's and the environment's, or {@code null}
     * @param caCert a PEM CA certificate file that overrides the configuration's and the
     *     environment's, or {@code null}
     * @param env the environment to read variables from ({@code System::getenv})
     * @throws IllegalArgumentException when a URL is not http(s)://host:port, or both an API key
     *     and a user are in the environment
     */
    public static ElasticsearchAccess of(VigilConfig config, String url, String caCert, Function<String, String> env) {
        ElasticsearchConnection.Builder b = ElasticsearchConnection.builder();
        String ca;
        String caAdvice;
        String credentialsAdvice;
        if (config != null) {
            b.urls(url != null ? List.of(url) : config.require(VigilOptions.ES_URLS));
            Secret apiKey = Connections.secret(config, VigilOptions.ES_API_KEY_ENV, VigilOptions.ES_API_KEY_FILE,
                    "the Elasticsearch API key");
            if (apiKey != null) {
                b.apiKey(apiKey);
            } else if (config.get(VigilOptions.ES_USERNAME_ENV) != null) {
                b.basicAuth(Secret.env(config.get(VigilOptions.ES_USERNAME_ENV)), Connections.secret(config,
                        VigilOptions.ES_PASSWORD_ENV, VigilOptions.ES_PASSWORD_FILE, "the Elasticsearch password"));
            }
            ca = caCert != null ? caCert : config.get(VigilOptions.ES_CA_CERT);
            caAdvice = VigilOptions.ES_CA_CERT.key() + " in the configuration (or a command's --es-ca-cert)";
            credentialsAdvice = "name the variables (or files) holding them with " + VigilOptions.ES_API_KEY_ENV.key()
                    + " (" + VigilOptions.ES_API_KEY_FILE.key() + "), or "
                    + VigilOptions.ES_USERNAME_ENV.key() + " and " + VigilOptions.ES_PASSWORD_ENV.key()
                    + " in the configuration";
        } else {
            b.urls(url != null ? url : orElse(env.apply(URL_ENV), DEFAULT_URL));
            boolean apiKey = isSet(env, API_KEY_ENV);
            boolean user = isSet(env, USERNAME_ENV);
            if (apiKey && user) {
                throw new IllegalArgumentException("both $" + API_KEY_ENV + " and $" + USERNAME_ENV
                        + " are set: give an API key or a user and password, not both");
            }
            if (apiKey) {
                b.apiKeyFromEnv(API_KEY_ENV);
            } else if (user) {
                b.basicAuthFromEnv(USERNAME_ENV, PASSWORD_ENV);
            }
            ca = caCert != null ? caCert : env.apply(CA_CERT_ENV);
            caAdvice = "$" + CA_CERT_ENV + " (or a command's --es-ca-cert)";
            credentialsAdvice = "set $" + API_KEY_ENV + ", or $" + USERNAME_ENV + " and $" + PASSWORD_ENV;
        }
        if (ca != null && !ca.isBlank()) {
            b.caCertPath(ca);
        }
        return new ElasticsearchAccess(b.build(), env, caAdvice, credentialsAdvice);
    }

    private static boolean isSet(Function<String, String> env, String name) {
        String v = env.apply(name);
        return v != null && !v.isEmpty();
    }

    private static String orElse(String value, String otherwise) {
        return value == null || value.isBlank() ? otherwise : value;
    }

    /** The connection: serializable, it carries the names of the secrets' variables, never the secrets. */
    public ElasticsearchConnection connection() {
        return connection;
    }

    /** A new low-level client, secrets read from this access's environment; the caller closes it. */
    public RestClient restClient() {
        return connection.restClient(env);
    }

    /** A new client, secrets read from this access's environment; the caller closes it. */
    public ElasticsearchClient client() {
        return connection.client(env);
    }

    /**
     * Who the cluster says this client is; empty when the cluster has no security. Errors are
     * explained ({@link #explain}).
     */
    public Optional<ElasticsearchIdentity> identity(RestClient rest) throws IOException {
        try {
            return ElasticsearchIdentity.ask(rest);
        } catch (IOException e) {
            throw explain(e);
        }
    }

    /**
     * Reaches the cluster once, so an untrusted certificate, refused credentials or an unreachable
     * node fail now, with a clear error, rather than in the middle of a job.
     */
    public void check() throws IOException {
        try (RestClient rest = restClient()) {
            identity(rest);
        }
    }

    /**
     * {@code e} as an error a person can act on, when it is one of the ways access fails: the
     * certificate is not trusted or not for this host, the credentials are refused (401) or not
     * allowed (403), the node cannot be reached. The message names the variables the credentials
     * came from, never their values. Other errors are returned as they are.
     */
    public IOException explain(IOException e) {
        String where = "Elasticsearch at " + String.join(", ", connection.urls());
        String credentials = connection.credentialsSource();
        if (e instanceof ResponseException re) {
            int status = re.getResponse().getStatusLine().getStatusCode();
            String request = re.getResponse().getRequestLine().getMethod() + " "
                    + re.getResponse().getRequestLine().getUri().replaceFirst("\\?.*", "");
            if (status == 401) {
                return new IOException(credentials == null
                        ? where + " requires credentials (401 Unauthorized): " + credentialsAdvice
                        : where + " refused the credentials (401 Unauthorized): " + credentials
                                + " is not accepted", e);
            }
            if (status == 403) {
                return new IOException(where + " does not allow " + request + " to the identity of "
                        + (credentials == null ? "anonymous requests" : credentials) + " (403 Forbidden): "
                        + reason(re), e);
            }
            return e;
        }
        SSLPeerUnverifiedException wrongHost = cause(e, SSLPeerUnverifiedException.class);
        if (wrongHost != null) {
            return new IOException(where + ": its TLS certificate is not issued for this host name ("
                    + wrongHost.getMessage() + "); use the host name the certificate names", e);
        }
        if (cause(e, SSLException.class) != null
                && (cause(e, CertPathBuilderException.class) != null || cause(e, CertificateException.class) != null)) {
            return new IOException(where + ": its TLS certificate is not trusted ("
                    + (connection.caCertPath() == null
                            ? "no CA certificate was given and this JVM's trust store does not hold its issuer"
                            : "it is not signed by the CA certificate " + connection.caCertPath())
                    + "); give the cluster's CA certificate (PEM) with " + caAdvice, e);
        }
        if (cause(e, ConnectException.class) != null) {
            return new IOException("cannot reach " + where + " (" + e.getMessage() + ")", e);
        }
        return e;
    }

    /** {@code e} or its first cause of {@code type}, or {@code null}: the REST client wraps what it throws. */
    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** Elasticsearch's reason for a refusal (it names the action, the user and the roles; no secret). */
    private static String reason(ResponseException e) {
        try {
            return io.vigil.model.EcsJson.MAPPER.readTree(e.getResponse().getEntity().getContent())
                    .at("/error/reason").asText("no reason given");
        } catch (IOException | RuntimeException unreadable) {
            return "no reason given";
        }
    }
}
