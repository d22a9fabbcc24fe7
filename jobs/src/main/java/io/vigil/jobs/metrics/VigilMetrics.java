package io.vigil.jobs.metrics;

/**
 * Names of Vigil's own Flink metrics: every one is registered under the operator's metric group,
 * in a group {@value #GROUP}, with the listed key/value sub-groups (which Flink's Prometheus
 * reporter turns into labels). A Prometheus name is Flink's scope plus these parts, the label's key
 * included, for example {@code flink_taskmanager_job_task_operator_vigil_format_records{format="syslog",...}}
 * ({@link PrometheusNames}; label values with other characters than {@code [a-zA-Z0-9:_]} have them
 * replaced by {@code _}).
 *
 * <p>CONTRACT (issue 19): {@code vigil status}, the Grafana dashboard in {@code deploy/grafana/} and
 * docs/metrics.md use these names; the metrics test scrapes each from a running job.
 */
public final class VigilMetrics {

    /** The group all of Vigil's metrics live in. */
    public static final String GROUP = "vigil";

    /** Label keys (Flink key/value metric groups). */
    public static final String FORMAT = "format";
    public static final String REASON = "reason";
    public static final String RULE = "rule";
    public static final String OUTCOME = "outcome";
    public static final String OUTPUT = "output";

    /** Counter, per {@link #FORMAT}: raw records read. */
    public static final String RECORDS = "records";
    /** Counter, per {@link #FORMAT}: normalized events decoded. */
    public static final String EVENTS = "events";
    /** Counter, per {@link #REASON}: dead letters written (decode error kind, event time, ...). */
    public static final String DEAD_LETTERS = "deadLetters";
    /** Counter, per {@link #RULE}: events a rule matched. */
    public static final String RULE_EVENTS = "ruleEvents";
    /** Counter, per {@link #RULE}: alerts a rule raised. */
    public static final String RULE_ALERTS = "ruleAlerts";
    /** Histogram, per {@link #RULE}: evaluation time of one event, nanoseconds. */
    public static final String RULE_EVALUATION_NANOS = "ruleEvaluationNanos";
    /** Gauge: wall clock minus the operator's current watermark, milliseconds (-1 before the first watermark). */
    public static final String WATERMARK_LAG_MS = "watermarkLagMs";
    /**
     * Histogram (with {@code metrics.stage-trace-topic} only): how far a raw record's reading, before decode, lags
     * behind its Kafka append time, milliseconds.
     */
    public static final String STAGE_READ_LAG_MS = "stageReadLagMs";
    /** Histogram (with {@code metrics.stage-trace-topic} only): as {@link #STAGE_READ_LAG_MS}, after decode. */
    public static final String STAGE_DECODED_LAG_MS = "stageDecodedLagMs";
    /** Counter, per {@link #OUTPUT}: bulk requests or items retried by an Elasticsearch sink. */
    public static final String ES_RETRIES = "elasticsearchRetries";
    /** Counter, per {@link #OUTPUT}: documents Elasticsearch refused (sent to dead letters). */
    public static final String ES_REFUSALS = "elasticsearchRefusals";
    /** Gauge, per {@link #OUTPUT}: documents buffered or in flight, waiting for Elasticsearch. */
    public static final String ES_PENDING = "elasticsearchPending";
    /** Counter, per {@link #OUTCOME} (delivered, retried, dead-lettered, ...): webhook deliveries. */
    public static final String WEBHOOK_DELIVERIES = "webhookDeliveries";

    private VigilMetrics() {
    }
}
