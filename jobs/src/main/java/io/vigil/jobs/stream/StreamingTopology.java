package io.vigil.jobs.stream;

import static io.vigil.jobs.wiring.Connections.esSink;

import io.vigil.connectors.elasticsearch.ElasticsearchConnection;
import io.vigil.connectors.kafka.KafkaSettings;
import io.vigil.connectors.kafka.VigilKafka;
import io.vigil.formats.DecoderOptions;
import io.vigil.jobs.VigilJob;
import io.vigil.jobs.metrics.StageMark;
import io.vigil.jobs.context.ContextAlerts;
import io.vigil.jobs.context.ContextSettings;
import io.vigil.jobs.context.ContextTopicSource;
import io.vigil.jobs.context.retro.ElasticsearchRetroSearch;
import io.vigil.jobs.context.retro.IndicatorParser;
import io.vigil.jobs.context.retro.RetroHuntAlerts;
import io.vigil.jobs.context.retro.RetroHuntSettings;
import io.vigil.jobs.context.Contexts;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.config.VigilOptions;
import io.vigil.jobs.decode.EventTimeBounds;
import io.vigil.jobs.detect.AlertDocuments;
import io.vigil.jobs.detect.DetectionSettings;
import io.vigil.jobs.live.ControlTopicSource;
import io.vigil.jobs.incident.ElasticsearchIncidentStatus;
import io.vigil.jobs.webhook.WebhookRoute;
import io.vigil.jobs.wiring.Connections;
import io.vigil.jobs.wiring.Documents;
import io.vigil.model.Alert;
import io.vigil.model.RawRecord;
import io.vigil.rules.verify.RuleSet;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming job as deployed: {@link VigilJob} with the production connectors of a
 * configuration (Kafka raw topics in; Elasticsearch, the Kafka dead-letter and alert topics out).
 */
public final class StreamingTopology {

    private static final Logger LOG = LoggerFactory.getLogger(StreamingTopology.class);

    private StreamingTopology() {}

    /** Wires the production connectors into the topology on {@code env}. */
    public static void build(VigilConfig c, RuleSet rules, StreamExecutionEnvironment env) {
        KafkaSettings kafka = Connections.kafka(c);
        ElasticsearchConnection es = Connections.elasticsearch(c);
        env.setParallelism(c.get(VigilOptions.PARALLELISM));
        KafkaSource<RawRecord> source = VigilKafka.rawSource(kafka, c.get(VigilOptions.KAFKA_GROUP),
                        c.get(VigilOptions.KAFKA_TOPICS), c.zeekHeaders(), c.get(VigilOptions.MAX_RECORD_BYTES))
                .build();
        DecoderOptions decoder = new DecoderOptions(null, ZoneId.of(c.get(VigilOptions.TIMEZONE)),
                c.get(VigilOptions.MAX_RECORD_BYTES));

        VigilJob job = new VigilJob(source, "kafka raw topics", decoder)
                .eventTimeBounds(EventTimeBounds.aroundIngest(c.get(VigilOptions.MAX_FUTURE_SKEW),
                        c.get(VigilOptions.MAX_EVENT_AGE)))
                .deadLetters(VigilJob.Output.of(esSink(c, es, new Documents.DeadLetters(), "dead-letters"),
                        "dead letters to elasticsearch", "dead-letters-es"))
                .deadLetters(VigilJob.Output.of(VigilKafka.deadLetterSink(kafka,
                        c.get(VigilOptions.KAFKA_DEAD_LETTER_TOPIC)), "dead letters to kafka", "dead-letters-kafka"));
        // the context tables of the files, and the live ones of enrich.control-topic (vigil intel push)
        ContextTopicSource contextFeed = contextFeed(c, kafka);
        job.context(withRetroHunt(Contexts.settings(c.context(), contextFeed, true), c, es));
        job.masking(c.masking());
        if (c.get(VigilOptions.ES_WRITE_EVENTS)) {
            job.events(VigilJob.Output.of(esSink(c, es, new Documents.Events(), "events"), "events to elasticsearch", "events-es"));
        }
        List<VigilJob.Output<Alert>> alerts = new ArrayList<>();
        alerts.add(VigilJob.Output.of(esSink(c, es, new Documents.Alerts(), "alerts"), "alerts to elasticsearch", "alerts-es"));
        String alertsTopic = c.get(VigilOptions.KAFKA_ALERTS_TOPIC);
        if (alertsTopic != null && !alertsTopic.isBlank()) {
            alerts.add(VigilJob.Output.of(VigilKafka.<Alert>alertSink(kafka, alertsTopic, Alert::id,
                    AlertDocuments::write), "alerts to kafka", "alerts-kafka"));
        }
        job.detect(DetectionSettings.of(rules, c.get(VigilOptions.OUT_OF_ORDERNESS), c.get(VigilOptions.STATE_TTL))
                .withRuleQuarantineAfter(c.get(VigilOptions.RULE_QUARANTINE_AFTER))
                .withMaxKeys(c.get(VigilOptions.MAX_KEYS))
                .withMaxNewKeysPerMinute(c.get(VigilOptions.MASS_ACTIVITY_MAX_NEW_KEYS))
                .withIdleTimeout(c.get(VigilOptions.IDLE_TIMEOUT))
                .withExceptions(c.exceptions()), alerts);
        String traceTopic = c.get(VigilOptions.METRICS_STAGE_TRACE_TOPIC);
        if (traceTopic != null && !traceTopic.isBlank()) {
            job.stageTrace(VigilJob.Output.of(VigilKafka.<StageMark>alertSink(kafka, traceTopic.strip(), StageMark::id,
                    StageMark::json), "stage trace to kafka", "stage-trace-kafka"));
        }
        job.ruleStats(new VigilJob.Output<>(esSink(c, es, new Documents.RuleStats(), "rule-stats"), "rule numbers to elasticsearch",
                "rule-stats-es", 1));
        java.security.PublicKey bundleKey = bundleKey(c);
        if (bundleKey != null) {
            job.liveRules(new ControlTopicSource(kafka, c.get(VigilOptions.RULES_CONTROL_TOPIC),
                            c.get(VigilOptions.KAFKA_GROUP) + "-rules"), bundleKey,
                    List.of(VigilJob.Output.of(esSink(c, es, new Documents.Alerts(io.vigil.connectors.elasticsearch.IndexTemplates.SHADOW_ALERTS), "shadow-alerts"),
                            "shadow alerts to elasticsearch", "shadow-alerts-es")),
                    List.of(new VigilJob.Output<>(esSink(c, es, new Documents.RuleOutcomes(), "rule-outcomes"),
                            "rule outcomes to elasticsearch", "rule-outcomes-es", 1)));
        }
        if (c.get(VigilOptions.INCIDENTS_ENABLED)) {
            job.incidents(c.get(VigilOptions.INCIDENT_WINDOW),
                    List.of(new VigilJob.Output<>(esSink(c, es, new Documents.Incidents(), "incidents"), "incidents to elasticsearch",
                            "incidents-es", 1)),
                    List.of(VigilJob.Output.of(esSink(c, es, new Documents.Timeline(), "timeline"), "timeline to elasticsearch",
                            "timeline-es")));
            job.incidentStatuses(new ElasticsearchIncidentStatus(es, c.get(VigilOptions.INCIDENT_STATUS_TIMEOUT)),
                    c.get(VigilOptions.INCIDENT_STATUS_CACHE_TTL));
        }
        List<WebhookRoute> webhooks = c.webhooks();
        if (!webhooks.isEmpty()) {
            job.webhooks(webhooks, List.of(VigilJob.Output.of(esSink(c, es, new Documents.Deliveries(), "deliveries"),
                    "webhook deliveries to elasticsearch", "deliveries-es")));
        }
        job.build(env);
    }

    /** The context control topic's source, or {@code null} when {@code enrich.control-topic} is empty. */
    static ContextTopicSource contextFeed(VigilConfig c, KafkaSettings kafka) {
        String topic = c.get(VigilOptions.ENRICH_CONTROL_TOPIC);
        if (topic == null || topic.isBlank()) {
            return null;
        }
        return new ContextTopicSource(kafka, topic.strip(), c.get(VigilOptions.KAFKA_GROUP) + "-context");
    }

    /**
     * {@code context} with the retro-hunt of new indicators when the job has all it needs: a context
     * control topic (new indicators come from there), a positive {@code enrich.retro-hunt.lookback},
     * and the events indexed ({@code elasticsearch.write-events}: the past it hunts). Otherwise
     * {@code context} as it is, and the reason logged once.
     */
    static ContextSettings withRetroHunt(ContextSettings context, VigilConfig c, ElasticsearchConnection es) {
        Duration lookback = c.context().retroHuntLookback();
        String off = null;
        if (context.feed() == null) {
            off = VigilOptions.ENRICH_CONTROL_TOPIC.key() + " is empty: no live indicators to hunt";
        } else if (lookback.isZero() || lookback.isNegative()) {
            off = VigilOptions.ENRICH_RETRO_HUNT.key() + " is 0";
        } else if (!c.get(VigilOptions.ES_WRITE_EVENTS)) {
            off = VigilOptions.ES_WRITE_EVENTS.key() + " is off: vigil-events-* holds no past events to hunt";
        }
        if (off != null) {
            LOG.info("no retro-hunt of new indicators: {}", off);
            return context;
        }
        RetroHuntSettings settings = RetroHuntSettings.of(lookback, c.get(VigilOptions.ENRICH_RETRO_HUNT_MAX_HITS),
                c.get(VigilOptions.ENRICH_RETRO_HUNT_MAX_INDICATORS));
        List<ContextAlerts> alerts = new ArrayList<>(context.alerts());
        alerts.add(new RetroHuntAlerts(settings, ElasticsearchRetroSearch.factory(es), IndicatorParser.FEEDS));
        return new ContextSettings(context.sources(), context.feed(), alerts);
    }

    private static java.security.PublicKey bundleKey(VigilConfig c) {
        try {
            return c.bundleKey();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
