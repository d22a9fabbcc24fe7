package io.vigil.jobs.stream;

import io.vigil.connectors.elasticsearch.DocumentMapper;
import io.vigil.connectors.elasticsearch.ElasticsearchConnection;
import io.vigil.connectors.elasticsearch.ElasticsearchSink;
import io.vigil.connectors.elasticsearch.IndexTemplates;
import io.vigil.connectors.kafka.KafkaDeadLetterFallback;
import io.vigil.connectors.kafka.KafkaSettings;
import io.vigil.connectors.kafka.VigilKafka;
import io.vigil.formats.DecoderOptions;
import io.vigil.jobs.VigilJob;
import io.vigil.jobs.config.ConfigCheck;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.config.StateBackendKind;
import io.vigil.jobs.config.VigilOptions;
import io.vigil.jobs.decode.EventTimeBounds;
import io.vigil.jobs.detect.AlertDocuments;
import io.vigil.jobs.detect.DetectionSettings;
import io.vigil.model.Alert;
import io.vigil.model.RawRecord;
import io.vigil.rules.RuleSet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming job's entry point: reads {@code vigil.yaml}, wires the production connectors
 * (Kafka in; Elasticsearch and Kafka out) into {@link VigilJob}, and runs it. The same class is
 * the main class of the shaded job jar for {@code flink run}, and what {@code vigil run} calls.
 */
public final class StreamingMain {

    private static final Logger LOG = LoggerFactory.getLogger(StreamingMain.class);

    static final java.time.Duration WATERMARK_INTERVAL = java.time.Duration.ofMillis(50);

    private StreamingMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !"--config".equals(args[0])) {
            System.err.println("usage: StreamingMain --config vigil.yaml");
            System.exit(2);
        }
        // on a cluster, Flink restores the job: from its high-availability store, or `flink run -s`
        run(VigilConfig.load(Path.of(args[1])), null);
    }

    /**
     * Installs the index templates, then runs the job until it is cancelled or fails.
     *
     * @param restoreFrom checkpoint or savepoint directory to restore the job's state and Kafka
     *     offsets from, or {@code null} to start from the consumer group's committed offsets
     */
    public static void run(VigilConfig config, String restoreFrom) throws Exception {
        RuleSet rules = rules(config);
        // what `vigil config --check` refuses, the job refuses before it touches a service
        List<String> problems = ConfigCheck.problems(config, ConfigCheck.ruleIds(rules.sources()));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("configuration: " + String.join("; ", problems));
        }
        checkWebhookSecrets(config);
        installTemplates(elasticsearch(config));
        if (restoreFrom != null) {
            LOG.info("Resuming from {}", restoreFrom);
        } else {
            LOG.info("Starting without a checkpoint: Kafka from the committed offsets of group {}",
                    config.get(VigilOptions.KAFKA_GROUP));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                flinkConfig(config, restoreFrom));
        build(config, rules, env);
        env.execute("vigil");
    }

    /**
     * Fails, naming the variable, when a webhook endpoint's secret (or URL, or header) is not in
     * the environment: better at submission than at the first alert. On a cluster the variables
     * must be set on the TaskManagers too, where the requests are sent.
     */
    public static void checkWebhookSecrets(VigilConfig config) {
        for (io.vigil.jobs.webhook.WebhookRoute r : config.webhooks()) {
            r.target().resolve(System::getenv);
        }
    }

    /** Installs (or updates) Vigil's index templates: idempotent. */
    public static void installTemplates(ElasticsearchConnection es) throws IOException {
        try (var client = es.client()) {
            IndexTemplates.installAll(client);
        }
    }

    /** The rules the configuration names, verified. */
    public static RuleSet rules(VigilConfig config) throws IOException {
        RuleSet rules = RuleSet.verified(config.ruleSources());
        rules.problems().forEach(p -> LOG.warn("rule problem: {}", p));
        return rules;
    }

    /**
     * Flink settings of the job: checkpointing on, retained on cancellation, in the configured
     * directory. Kafka offsets are committed with each checkpoint too, so a job started without
     * a checkpoint continues after the last checkpointed record (but with empty correlation state).
     * The state backend is the configured one; RocksDB with incremental checkpoints and bloom
     * filters, as BENCHMARKS.md measured it.
     */
    public static Configuration flinkConfig(VigilConfig config) {
        return flinkConfig(config, null);
    }

    /** {@link #flinkConfig(VigilConfig)}, restoring from {@code restoreFrom} when it is not {@code null}. */
    public static Configuration flinkConfig(VigilConfig config, String restoreFrom) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        // alerts wait for the watermark: emit it every 50 ms rather than Flink's 200 ms
        conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, WATERMARK_INTERVAL);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.get(VigilOptions.CHECKPOINT_INTERVAL));
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        String dir = checkpointUri(config.get(VigilOptions.CHECKPOINT_DIR));
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
        StateBackendKind backend = config.get(VigilOptions.STATE_BACKEND);
        conf.set(StateBackendOptions.STATE_BACKEND, backend.toString());
        if (backend == StateBackendKind.ROCKSDB) {
            // a checkpoint uploads only the files written since the last one: RocksDB state is large
            conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
            // each hit first looks its key up, mostly a miss: without bloom filters every miss reads
            // a block of every level
            conf.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        }
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        }
        return conf;
    }

    static String checkpointUri(String dir) {
        return dir.contains("://") ? dir : Path.of(dir).toAbsolutePath().toUri().toString();
    }

    public static KafkaSettings kafka(VigilConfig c) {
        KafkaSettings k = new KafkaSettings(c.require(VigilOptions.KAFKA_BOOTSTRAP),
                c.get(VigilOptions.KAFKA_SECURITY_PROTOCOL), c.get(VigilOptions.KAFKA_SASL_MECHANISM),
                c.get(VigilOptions.KAFKA_USERNAME), c.get(VigilOptions.KAFKA_SASL_MECHANISM) == null ? null
                        : c.get(VigilOptions.KAFKA_PASSWORD_ENV),
                c.get(VigilOptions.KAFKA_TRUSTSTORE), c.get(VigilOptions.KAFKA_TRUSTSTORE_PASSWORD_ENV));
        return k.validate();
    }

    public static ElasticsearchConnection elasticsearch(VigilConfig c) {
        ElasticsearchConnection.Builder b = ElasticsearchConnection.builder().urls(c.require(VigilOptions.ES_URLS));
        if (c.get(VigilOptions.ES_API_KEY_ENV) != null) {
            b.apiKeyFromEnv(c.get(VigilOptions.ES_API_KEY_ENV));
        } else if (c.get(VigilOptions.ES_USERNAME_ENV) != null) {
            b.basicAuthFromEnv(c.get(VigilOptions.ES_USERNAME_ENV), c.get(VigilOptions.ES_PASSWORD_ENV));
        }
        if (c.get(VigilOptions.ES_CA_CERT) != null) {
            b.caCertPath(c.get(VigilOptions.ES_CA_CERT));
        }
        return b.build();
    }

    /** Wires the production connectors into the topology. */
    public static void build(VigilConfig c, RuleSet rules, StreamExecutionEnvironment env) {
        KafkaSettings kafka = kafka(c);
        ElasticsearchConnection es = elasticsearch(c);
        env.setParallelism(c.get(VigilOptions.PARALLELISM));
        KafkaSource<RawRecord> source = VigilKafka.rawSource(kafka, c.get(VigilOptions.KAFKA_GROUP),
                        c.get(VigilOptions.KAFKA_TOPICS), c.zeekHeaders(), c.get(VigilOptions.MAX_RECORD_BYTES))
                .build();
        DecoderOptions decoder = new DecoderOptions(null, ZoneId.of(c.get(VigilOptions.TIMEZONE)),
                c.get(VigilOptions.MAX_RECORD_BYTES));

        VigilJob job = new VigilJob(source, "kafka raw topics", decoder)
                .eventTimeBounds(EventTimeBounds.aroundIngest(c.get(VigilOptions.MAX_FUTURE_SKEW),
                        c.get(VigilOptions.MAX_EVENT_AGE)))
                .deadLetters(VigilJob.Output.of(esSink(c, es, new Documents.DeadLetters()),
                        "dead letters to elasticsearch", "dead-letters-es"))
                .deadLetters(VigilJob.Output.of(VigilKafka.deadLetterSink(kafka,
                        c.get(VigilOptions.KAFKA_DEAD_LETTER_TOPIC)), "dead letters to kafka", "dead-letters-kafka"));
        if (c.get(VigilOptions.ES_WRITE_EVENTS)) {
            job.events(VigilJob.Output.of(esSink(c, es, new Documents.Events()), "events to elasticsearch", "events-es"));
        }
        List<VigilJob.Output<Alert>> alerts = new ArrayList<>();
        alerts.add(VigilJob.Output.of(esSink(c, es, new Documents.Alerts()), "alerts to elasticsearch", "alerts-es"));
        String alertsTopic = c.get(VigilOptions.KAFKA_ALERTS_TOPIC);
        if (alertsTopic != null && !alertsTopic.isBlank()) {
            alerts.add(VigilJob.Output.of(VigilKafka.<Alert>alertSink(kafka, alertsTopic, Alert::id,
                    AlertDocuments::write), "alerts to kafka", "alerts-kafka"));
        }
        job.detect(DetectionSettings.of(rules, c.get(VigilOptions.OUT_OF_ORDERNESS), c.get(VigilOptions.STATE_TTL))
                .withRuleQuarantineAfter(c.get(VigilOptions.RULE_QUARANTINE_AFTER))
                .withMaxKeys(c.get(VigilOptions.MAX_KEYS))
                .withMaxNewKeysPerMinute(c.get(VigilOptions.MASS_ACTIVITY_MAX_NEW_KEYS))
                .withIdleTimeout(c.get(VigilOptions.IDLE_TIMEOUT)), alerts);
        if (c.get(VigilOptions.INCIDENTS_ENABLED)) {
            job.incidents(c.get(VigilOptions.INCIDENT_WINDOW),
                    List.of(new VigilJob.Output<>(esSink(c, es, new Documents.Incidents()), "incidents to elasticsearch",
                            "incidents-es", 1)),
                    List.of(VigilJob.Output.of(esSink(c, es, new Documents.Timeline()), "timeline to elasticsearch",
                            "timeline-es")));
            job.incidentStatuses(new io.vigil.jobs.incident.ElasticsearchIncidentStatus(es,
                    c.get(VigilOptions.INCIDENT_STATUS_TIMEOUT)), c.get(VigilOptions.INCIDENT_STATUS_CACHE_TTL));
        }
        List<io.vigil.jobs.webhook.WebhookRoute> webhooks = c.webhooks();
        if (!webhooks.isEmpty()) {
            job.webhooks(webhooks, List.of(VigilJob.Output.of(esSink(c, es, new Documents.Deliveries()),
                    "webhook deliveries to elasticsearch", "deliveries-es")));
        }
        job.build(env);
    }

    /**
     * An Elasticsearch sink of the streaming job: the configured bulk bounds and retries, and
     * what Elasticsearch will not store (refused documents, requests refused for good) kept on the
     * Kafka dead-letter topic.
     */
    static <T> ElasticsearchSink<T> esSink(VigilConfig c, ElasticsearchConnection es, DocumentMapper<T> mapper) {
        return esSinkBuilder(es, mapper, c.get(VigilOptions.ES_BULK_ACTIONS), c.get(VigilOptions.ES_BULK_INTERVAL))
                .fallback(new KafkaDeadLetterFallback(kafka(c), c.get(VigilOptions.KAFKA_DEAD_LETTER_TOPIC)))
                .refusedRequestRetries(c.get(VigilOptions.ES_REFUSED_REQUEST_RETRIES))
                .retryOnConflict(c.get(VigilOptions.ES_RETRY_ON_CONFLICT))
                .build();
    }

    /** An Elasticsearch sink with Vigil's document mapping and these bulk bounds; add a fallback and build. */
    public static <T> ElasticsearchSink.Builder<T> esSinkBuilder(ElasticsearchConnection es, DocumentMapper<T> mapper,
                                                                 int maxActions, java.time.Duration flushInterval) {
        return ElasticsearchSink.<T>builder().connection(es).mapper(mapper)
                .maxActions(maxActions)
                .flushInterval(flushInterval);
    }

}
