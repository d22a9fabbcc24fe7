package io.vigil.jobs.replay;

import io.vigil.connectors.elasticsearch.ElasticsearchConnection;
import io.vigil.connectors.webhook.WebhookTarget;
import io.vigil.formats.DecoderOptions;
import io.vigil.jobs.context.ContextConfig;
import io.vigil.rules.exceptions.RuleExceptions;
import io.vigil.rules.verify.RuleSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What to replay and how.
 *
 * @param inputs files or directories (read recursively)
 * @param format the format of every input, or {@code null} to detect it per file
 * @param outDir where events.ndjson, dead-letters.ndjson and summary.json are written
 * @param decoder decoder options (year, time zone, record size limit)
 * @param parallelism Flink parallelism; 0 for one per input file up to the number of cores
 * @param progressIntervalMs how often progress is reported, 0 for never
 * @param rules the rules to run, or {@code null} to only decode
 * @param incidentWindow how long after its last alert an incident takes new alerts
 * @param elasticsearch where to write alerts, incidents and timelines as well, or {@code null}
 *     ({@link io.vigil.jobs.wiring.ElasticsearchAccess}: its credentials come from the environment)
 * @param webhook where to deliver the run's new alerts once the job is done ({@link ReplayWebhook#target}),
 *     or {@code null}
 * @param writeEvents whether every decoded event is written to events.ndjson (dead letters always are)
 * @param exceptions the exceptions applied to the rules' hits ({@link RuleExceptions#NONE}: none)
 * @param context the context tables and detections ({@link ContextConfig#DEFAULTS}: no tables)
 */
public record ReplayOptions(
        List<Path> inputs, String format, Path outDir, DecoderOptions decoder, int parallelism, long progressIntervalMs,
        RuleSet rules, Duration incidentWindow, ElasticsearchConnection elasticsearch,
        WebhookTarget webhook, boolean writeEvents, RuleExceptions exceptions, ContextConfig context) {

    /** Without context tables. */
    public ReplayOptions(List<Path> inputs, String format, Path outDir, DecoderOptions decoder, int parallelism,
                         long progressIntervalMs, RuleSet rules, Duration incidentWindow,
                         ElasticsearchConnection elasticsearch, WebhookTarget webhook, boolean writeEvents,
                         RuleExceptions exceptions) {
        this(inputs, format, outDir, decoder, parallelism, progressIntervalMs, rules, incidentWindow, elasticsearch,
                webhook, writeEvents, exceptions, ContextConfig.DEFAULTS);
    }

    /** Without exceptions. */
    public ReplayOptions(List<Path> inputs, String format, Path outDir, DecoderOptions decoder, int parallelism,
                         long progressIntervalMs, RuleSet rules, Duration incidentWindow,
                         ElasticsearchConnection elasticsearch, WebhookTarget webhook, boolean writeEvents) {
        this(inputs, format, outDir, decoder, parallelism, progressIntervalMs, rules, incidentWindow, elasticsearch,
                webhook, writeEvents, RuleExceptions.NONE);
    }

    public ReplayOptions {
        inputs = List.copyOf(inputs);
        Objects.requireNonNull(outDir, "outDir");
        Objects.requireNonNull(decoder, "decoder");
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("give at least one input file");
        }
        Objects.requireNonNull(incidentWindow, "incidentWindow");
        Objects.requireNonNull(exceptions, "exceptions");
        context = context == null ? ContextConfig.DEFAULTS : context;
        if (!exceptions.isEmpty() && rules == null) {
            throw new IllegalArgumentException("exceptions apply to the rules' hits: they need detection");
        }
        if (elasticsearch != null && rules == null) {
            throw new IllegalArgumentException("writing to Elasticsearch needs detection: it writes alerts and incidents");
        }
        if (webhook != null && rules == null) {
            throw new IllegalArgumentException("a webhook needs detection: it is sent the alerts");
        }
        if (parallelism < 0) {
            throw new IllegalArgumentException("parallelism must be 0 (automatic) or more, got " + parallelism);
        }
    }
}
