package io.vigil.cli;

import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.wiring.ElasticsearchAccess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * Where a command finds Elasticsearch: a URL, a configuration, a CA certificate. Credentials are
 * never options: they come from environment variables ({@link ElasticsearchAccess} says which).
 */
final class ElasticsearchOptions {

    @Option(names = "--es", paramLabel = "URL",
            description = "Elasticsearch node URL, http(s)://host:port (where it is optional, default: "
                    + "elasticsearch.urls of --config, else $" + ElasticsearchAccess.URL_ENV + ", else "
                    + ElasticsearchAccess.DEFAULT_URL + "). Credentials come from the environment only: $"
                    + ElasticsearchAccess.API_KEY_ENV + ", or $"
                    + ElasticsearchAccess.USERNAME_ENV + " and $" + ElasticsearchAccess.PASSWORD_ENV
                    + " (with --config: the variables its elasticsearch.*-env keys name).")
    String url;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Reach the Elasticsearch cluster this configuration names (its elasticsearch.* keys: URLs, "
                    + "the variables holding the credentials, the CA certificate).")
    Path config;

    @Option(names = "--es-ca-cert", paramLabel = "FILE",
            description = "PEM CA certificate to verify an https node with (default: elasticsearch.ca-cert of --config, "
                    + "else $" + ElasticsearchAccess.CA_CERT_ENV + ", else the JVM's trust store).")
    Path caCert;

    /** Whether the command was told of a cluster (for commands where Elasticsearch is optional). */
    boolean given() {
        return url != null || config != null;
    }

    /** The cluster these options and the environment {@code env} name. */
    ElasticsearchAccess access(Function<String, String> env) throws IOException {
        return ElasticsearchAccess.of(config == null ? null : VigilConfig.load(config), url,
                caCert == null ? null : caCert.toString(), env);
    }
}
