package io.vigil.connectors.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import io.vigil.connectors.secret.Secret;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.conn.ssl.TrustAllStrategy;
import org.apache.http.message.BasicHeader;
import org.apache.http.ssl.SSLContexts;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

/**
 * How to reach an Elasticsearch cluster: its URLs and, optionally, credentials. The settings are
 * serializable so a Flink sink can carry them; secrets are never part of them: only where a
 * username/password or an API key is ({@link Secret}: the name of an environment variable or a
 * file) is, and the values are read where the client is built: in the sink's writer, on the
 * TaskManager (docs/architecture.md, invariant 7).
 *
 * <p>TLS certificates are verified by default (against the JVM's trust store, or a CA certificate
 * given by path); {@link Builder#verifyTls(boolean) verifyTls(false)} is for local experiments only.
 */
public final class ElasticsearchConnection implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
    public static final int DEFAULT_SOCKET_TIMEOUT_MS = 60_000;

    private final List<String> urls;
    private final Secret username;
    private final Secret password;
    private final Secret apiKey;
    private final boolean verifyTls;
    private final String caCertPath;
    private final int connectTimeoutMs;
    private final int socketTimeoutMs;

    private ElasticsearchConnection(Builder b) {
        this.urls = List.copyOf(b.urls);
        this.username = b.username;
        this.password = b.password;
        this.apiKey = b.apiKey;
        this.verifyTls = b.verifyTls;
        this.caCertPath = b.caCertPath;
        this.connectTimeoutMs = b.connectTimeoutMs;
        this.socketTimeoutMs = b.socketTimeoutMs;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A connection without credentials to {@code urls} ({@code http://127.0.0.1:9200}). */
    public static ElasticsearchConnection of(String... urls) {
        return builder().urls(urls).build();
    }

    public List<String> urls() {
        return urls;
    }

    /**
     * A new client over a new {@link RestClient}. The caller owns it: {@code close()} it (it is
     * {@link java.io.Closeable}); an open RestClient keeps the JVM alive.
     */
    public ElasticsearchClient client() {
        return client(System::getenv);
    }

    /** A new client whose secrets are read from {@code env}; the caller closes it. */
    public ElasticsearchClient client(Function<String, String> env) {
        return new ElasticsearchClient(new RestClientTransport(restClient(env), new JacksonJsonpMapper()));
    }

    /** A new low-level client with these settings; the caller closes it. */
    public RestClient restClient() {
        return restClient(System::getenv);
    }

    /**
     * A new low-level client whose secrets are read from {@code env} (a command's environment; the
     * process environment in production); the caller closes it.
     */
    public RestClient restClient(Function<String, String> env) {
        HttpHost[] hosts = urls.stream().map(HttpHost::create).toArray(HttpHost[]::new);
        RestClientBuilder builder = RestClient.builder(hosts);
        List<Header> headers = new ArrayList<>();
        if (apiKey != null) {
            String key = required(env, apiKey, "the API key");
            if (Secret.hasControlCharacter(key)) {
                // it goes into a header as it is: never a header split, never the key in the message
                throw new IllegalStateException("the API key in " + apiKey.describe() + " has a control character");
            }
            headers.add(new BasicHeader("Authorization", "ApiKey " + key));
        } else if (username != null) {
            String user = required(env, username, "the user name");
            String secret = required(env, password, "the password");
            String token = Base64.getEncoder().encodeToString(
                    (user + ":" + secret).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            headers.add(new BasicHeader("Authorization", "Basic " + token));
        }
        if (!headers.isEmpty()) {
            builder.setDefaultHeaders(headers.toArray(Header[]::new));
        }
        builder.setRequestConfigCallback(rc -> rc.setConnectTimeout(connectTimeoutMs).setSocketTimeout(socketTimeoutMs));
        if (https()) {
            SSLContext ssl = sslContext();
            builder.setHttpClientConfigCallback(hc -> {
                hc.setSSLContext(ssl);
                if (!verifyTls) {
                    hc.setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE);
                }
                return hc;
            });
        }
        return builder.build();
    }

    private static String required(Function<String, String> env, Secret secret, String what) {
        try {
            return secret.read(env, what);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("Elasticsearch credentials: " + e.getMessage()
                    + " (the connection names it as the source of a secret)");
        }
    }

    /**
     * Why this process cannot read the credentials, or {@code null} when it can (or there are
     * none): a warning where a job is built, whose TaskManagers read them.
     */
    public String credentialsUnavailable(Function<String, String> env) {
        for (Secret s : new Secret[] {apiKey, username, password}) {
            String why = s == null ? null : s.unavailable(env, s == apiKey ? "the API key"
                    : s == username ? "the user name" : "the password");
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    /** Whether requests carry credentials (an API key or a user and password). */
    public boolean hasCredentials() {
        return apiKey != null || username != null;
    }

    private SSLContext sslContext() {
        try {
            if (!verifyTls) {
                return SSLContexts.custom().loadTrustMaterial(TrustAllStrategy.INSTANCE).build();
            }
            if (caCertPath == null) {
                return SSLContext.getDefault();
            }
            return io.vigil.connectors.tls.CaCertificates.sslContext(caCertPath);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CA certificate " + caCertPath, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for Elasticsearch: " + e.getMessage(), e);
        }
    }

    /** The PEM CA certificate trusted instead of the JVM's trust store, or {@code null}. */
    public String caCertPath() {
        return caCertPath;
    }

    /** Whether a node is reached over https. */
    public boolean https() {
        return urls.stream().anyMatch(u -> u.regionMatches(true, 0, "https:", 0, 6));
    }

    /**
     * Where the credentials come from, for messages: the names of the environment variables,
     * never their values ({@code "the API key in $VIGIL_ES_API_KEY"}), or {@code null} when the
     * connection has none.
     */
    public String credentialsSource() {
        if (apiKey != null) {
            return "the API key in " + apiKey.describe();
        }
        if (username != null) {
            return "the user and password in " + username.describe() + " and " + password.describe();
        }
        return null;
    }

    @Override
    public String toString() {
        return "ElasticsearchConnection" + urls + (apiKey != null ? " apiKey from " + apiKey.describe()
                : username != null ? " user from " + username.describe() : "");
    }

    public static final class Builder {
        private final List<String> urls = new ArrayList<>();
        private Secret username;
        private Secret password;
        private Secret apiKey;
        private boolean verifyTls = true;
        private String caCertPath;
        private int connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
        private int socketTimeoutMs = DEFAULT_SOCKET_TIMEOUT_MS;

        private Builder() {}

        /** Node URLs, {@code http://host:9200} or {@code https://host:9200}. */
        public Builder urls(String... urls) {
            this.urls.addAll(List.of(urls));
            return this;
        }

        public Builder urls(List<String> urls) {
            this.urls.addAll(urls);
            return this;
        }

        /** Basic authentication: the names of the environment variables holding user and password. */
        public Builder basicAuthFromEnv(String usernameEnv, String passwordEnv) {
            return basicAuth(usernameEnv == null ? null : Secret.env(usernameEnv),
                    passwordEnv == null ? null : Secret.env(passwordEnv));
        }

        /** Basic authentication: where user name and password are (environment variables or files). */
        public Builder basicAuth(Secret username, Secret password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /** API key authentication: the name of the environment variable holding the encoded key. */
        public Builder apiKeyFromEnv(String apiKeyEnv) {
            return apiKey(apiKeyEnv == null ? null : Secret.env(apiKeyEnv));
        }

        /** API key authentication: where the encoded key is (an environment variable or a file). */
        public Builder apiKey(Secret apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** Whether TLS certificates and host names are verified (default true). */
        public Builder verifyTls(boolean verifyTls) {
            this.verifyTls = verifyTls;
            return this;
        }

        /** A PEM CA certificate to trust instead of the JVM's trust store. */
        public Builder caCertPath(String caCertPath) {
            this.caCertPath = caCertPath;
            return this;
        }

        public Builder connectTimeoutMs(int connectTimeoutMs) {
            this.connectTimeoutMs = connectTimeoutMs;
            return this;
        }

        public Builder socketTimeoutMs(int socketTimeoutMs) {
            this.socketTimeoutMs = socketTimeoutMs;
            return this;
        }

        public ElasticsearchConnection build() {
            if (urls.isEmpty()) {
                throw new IllegalArgumentException(
                        "ElasticsearchConnection needs urls(...): at least one node, e.g. http://127.0.0.1:9200");
            }
            for (String url : urls) {
                URI uri;
                try {
                    uri = URI.create(Objects.requireNonNull(url, "url"));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("not a URL: " + url, e);
                }
                if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                        || uri.getHost() == null) {
                    throw new IllegalArgumentException(
                            "Elasticsearch URL must be http://host:port or https://host:port, got " + url);
                }
            }
            if ((username == null) != (password == null)) {
                throw new IllegalArgumentException("basic authentication needs both a user name and a password");
            }
            if (apiKey != null && username != null) {
                throw new IllegalArgumentException("choose one of apiKeyFromEnv and basicAuthFromEnv, not both");
            }
            if (caCertPath != null && !verifyTls) {
                throw new IllegalArgumentException("caCertPath is for verifying TLS; it makes no sense with verifyTls(false)");
            }
            if (connectTimeoutMs <= 0 || socketTimeoutMs <= 0) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            return new ElasticsearchConnection(this);
        }
    }
}
