package io.vigil.jobs.wiring;

import io.vigil.connectors.elasticsearch.DocumentMapper;
import io.vigil.connectors.elasticsearch.ElasticsearchConnection;
import io.vigil.connectors.elasticsearch.ElasticsearchSink;
import io.vigil.connectors.elasticsearch.IndexTemplates;
import io.vigil.connectors.kafka.KafkaDeadLetterFallback;
import io.vigil.connectors.kafka.KafkaSettings;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.config.VigilOptions;
import io.vigil.jobs.metrics.VigilMetrics;
import io.vigil.jobs.webhook.WebhookRoute;
import java.io.IOException;
import java.time.Duration;

/**
 * The production connections a configuration names: the Kafka cluster, the Elasticsearch cluster
 * (with its credentials from the environment and its CA), and Elasticsearch sinks with the
 * configured bounds. Shared by the streaming job, replay and the command line, so every one of
 * them reaches the same, secured, clusters the same way.
 */
public final class Connections {

    private Connections() {}

    /** The Kafka cluster of the configuration, validated. */
    public static KafkaSettings kafka(VigilConfig c) {
        KafkaSettings k = new KafkaSettings(c.require(VigilOptions.KAFKA_BOOTSTRAP),
                c.get(VigilOptions.KAFKA_SECURITY_PROTOCOL), c.get(VigilOptions.KAFKA_SASL_MECHANISM),
                c.get(VigilOptions.KAFKA_USERNAME), c.get(VigilOptions.KAFKA_SASL_MECHANISM) == null ? null
                        : c.get(VigilOptions.KAFKA_PASSWORD_ENV),
                c.get(VigilOptions.KAFKA_TRUSTSTORE), c.get(VigilOptions.KAFKA_TRUSTSTORE_PASSWORD_ENV));
        return k.validate();
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
     * Fails, naming the variable, when a webhook endpoint's secret (or URL, or header) is not in
     * the environment: better at submission than at the first alert. On a cluster the variables
     * must be set on the TaskManagers too, where the requests are sent.
     */
    public static void checkWebhookSecrets(VigilConfig config) {
        for (WebhookRoute r : config.webhooks()) {
            r.target().resolve(System::getenv);
        }
    }

    /**
     * An Elasticsearch sink of the streaming job: the configured bulk bounds and retries, and
     * what Elasticsearch will not store (refused documents, requests refused for good) kept on the
     * Kafka dead-letter topic. Its retries, refusals and pending documents are Vigil metrics
     * labelled {@code output=<output>} (docs/metrics.md).
     */
    public static <T> ElasticsearchSink<T> esSink(VigilConfig c, ElasticsearchConnection es, DocumentMapper<T> mapper,
                                                  String output) {
        return esSinkBuilder(es, mapper, c.get(VigilOptions.ES_BULK_ACTIONS), c.get(VigilOptions.ES_BULK_INTERVAL))
                .labelledMetrics(VigilMetrics.GROUP, VigilMetrics.OUTPUT, output)
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
