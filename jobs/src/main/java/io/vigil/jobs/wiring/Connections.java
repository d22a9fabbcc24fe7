package io.vigil.jobs.wiring;

import io.vigil.connectors.elasticsearch.DocumentMapper;
import io.vigil.connectors.elasticsearch.ElasticsearchConnection;
import io.vigil.connectors.elasticsearch.ElasticsearchSink;
import io.vigil.connectors.elasticsearch.IndexTemplates;
import io.vigil.connectors.kafka.KafkaDeadLetterFallback;
import io.vigil.connectors.kafka.KafkaSettings;
import io.vigil.connectors.secret.Secret;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.config.VigilOptions;
import io.vigil.jobs.metrics.VigilMetrics;
import io.vigil.jobs.webhook.WebhookRoute;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.configuration.ConfigOption;

/**
 * The production connections a configuration names: the Kafka cluster, the Elasticsearch cluster
 * (with its credentials from the environment and its CA), and Elasticsearch sinks with the
 * configured bounds. Shared by the streaming job, replay and the command line, so every one of
 * them reaches the same, secured, clusters the same way.
 */
public final class Connections {

    private Connections() {}

    /**
     * The Kafka cluster of the configuration, checked (but not whether this process can read its
     * secrets: the cluster's processes read them; see {@link TransportSecurity#warnings}).
     */
    public static KafkaSettings kafka(VigilConfig c) {
        Secret password = c.get(VigilOptions.KAFKA_SASL_MECHANISM) == null ? null
                : secret(c, VigilOptions.KAFKA_PASSWORD_ENV, VigilOptions.KAFKA_PASSWORD_FILE, "the Kafka SASL password");
        Secret truststorePassword = secret(c, VigilOptions.KAFKA_TRUSTSTORE_PASSWORD_ENV,
                VigilOptions.KAFKA_TRUSTSTORE_PASSWORD_FILE, "the Kafka truststore password");
        KafkaSettings k = new KafkaSettings(c.require(VigilOptions.KAFKA_BOOTSTRAP),
                c.get(VigilOptions.KAFKA_SECURITY_PROTOCOL), c.get(VigilOptions.KAFKA_SASL_MECHANISM),
                c.get(VigilOptions.KAFKA_USERNAME), password,
                c.get(VigilOptions.KAFKA_TRUSTSTORE), truststorePassword);
        return k.validate();
    }

    /**
     * The secret of an {@code …-env}/{@code …-file} pair of keys: the file when it is set (then the
     * variable may not be set too, its default aside), else the variable (or its default).
     *
     * @throws IllegalArgumentException naming both keys when both are set
     */
    public static Secret secret(VigilConfig c, ConfigOption<String> env, ConfigOption<String> file, String what) {
        String f = c.get(file);
        boolean envSet = c.keys().contains(env.key());
        return Secret.either(f != null && !envSet ? null : c.get(env), f, env.key(), file.key(), what);
    }

    /**
     * The Elasticsearch cluster of the configuration: API key or basic auth from the environment,
     * CA file ({@link ElasticsearchAccess}, which the commands use too).
     */
    public static ElasticsearchConnection elasticsearch(VigilConfig c) {
        return ElasticsearchAccess.of(c).connection();
    }

    /** Installs (or updates) Vigil's index templates: idempotent. */
    public static void installTemplates(ElasticsearchConnection es) throws IOException {
        try (var client = es.client()) {
            IndexTemplates.installAll(client);
        }
    }

    /** Installs (or updates) Vigil's index templates, secrets from the access's environment: idempotent. */
    public static void installTemplates(ElasticsearchAccess es) throws IOException {
        try (var client = es.client()) {
            IndexTemplates.installAll(client);
        }
    }

    /**
     * Why each webhook endpoint's secrets (or URL, or headers) cannot be read through {@code env}:
     * warnings for a job submitted to a cluster, whose TaskManagers read them and may have what the
     * submitting process has not.
     */
    public static List<String> webhookSecretWarnings(VigilConfig config, Function<String, String> env) {
        List<String> out = new ArrayList<>();
        for (WebhookRoute r : config.webhooks()) {
            try {
                r.target().resolve(env);
            } catch (IllegalStateException | IllegalArgumentException e) {
                out.add(e.getMessage() + " (in this process; every TaskManager must have it)");
            }
        }
        return out;
    }

    /**
     * An Elasticsearch sink of the streaming job: the configured bulk bounds and retries, and
     * what Elasticsearch will not store (refused documents, requests refused for good) kept on the
     * Kafka dead-letter topic. Its retries, refusals and pending documents are Vigil metrics
     * labelled {@code output=<output>}, and the documents it puts on the dead-letter topic count as
     * dead letters of reason {@code elasticsearch} (docs/metrics.md).
     */
    public static <T> ElasticsearchSink<T> esSink(VigilConfig c, ElasticsearchConnection es, DocumentMapper<T> mapper,
                                                  String output) {
        return esSinkBuilder(es, mapper, c.get(VigilOptions.ES_BULK_ACTIONS), c.get(VigilOptions.ES_BULK_INTERVAL))
                .labelledMetrics(VigilMetrics.GROUP, VigilMetrics.OUTPUT, output)
                // what goes to the dead-letter topic from here is a dead letter of its own reason
                .fallbackMetric(VigilMetrics.REASON, io.vigil.model.DeadLetter.ELASTICSEARCH, VigilMetrics.DEAD_LETTERS)
                .fallback(new KafkaDeadLetterFallback(kafka(c), c.get(VigilOptions.KAFKA_DEAD_LETTER_TOPIC)))
                .refusedRequestRetries(c.get(VigilOptions.ES_REFUSED_REQUEST_RETRIES))
                .retryOnConflict(c.get(VigilOptions.ES_RETRY_ON_CONFLICT))
                .build();
    }

    /** An Elasticsearch sink with Vigil's document mapping and these bulk bounds; add a fallback and build. */
    public static <T> ElasticsearchSink.Builder<T> esSinkBuilder(ElasticsearchConnection es, DocumentMapper<T> mapper,
                                                                 int maxActions, Duration flushInterval) {
        return ElasticsearchSink.<T>builder().connection(es).mapper(mapper)
                .maxActions(maxActions)
                .flushInterval(flushInterval);
    }
}
