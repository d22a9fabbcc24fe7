package io.vigil.jobs.replay;

import io.vigil.jobs.wiring.Connections;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.jobs.decode.DecodeCounters;
import io.vigil.jobs.detect.AlertDocuments;
import io.vigil.jobs.detect.Detection;
import io.vigil.jobs.detect.DetectionSettings;
import io.vigil.jobs.detect.RuleErrorCounters;
import io.vigil.jobs.detect.RuleMetrics;
import io.vigil.model.Alert;
import io.vigil.connectors.webhook.WebhookTarget;
import io.vigil.jobs.VigilJob;
import io.vigil.jobs.mask.MaskCounters;
import io.vigil.jobs.context.Contexts;
import io.vigil.jobs.config.VigilOptions;
import io.vigil.connectors.elasticsearch.ElasticsearchConnection;
import io.vigil.connectors.elasticsearch.IndexTemplates;
import io.vigil.jobs.incident.IncidentDocuments;
import io.vigil.jobs.io.NdjsonFileFallback;
import io.vigil.jobs.io.NdjsonFileSink;
import io.vigil.jobs.wiring.Documents;
import io.vigil.model.Incident;
import io.vigil.model.TimelineEntry;
import io.vigil.jobs.io.RawRecordFileFormat;
import io.vigil.model.DeadLetter;
import io.vigil.model.EcsJson;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a forensic replay on this machine: resolves the inputs and their formats, runs
 * {@link VigilJob} on a local Flink cluster, reports progress, delivers the new alerts to a
 * webhook when asked ({@link ReplayWebhook}), and writes the summary.
 */
public final class ReplayRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayRunner.class);

    public static final String EVENTS_FILE = "events.ndjson";
    public static final String DEAD_LETTERS_FILE = "dead-letters.ndjson";
    public static final String SUMMARY_FILE = "summary.json";
    public static final String ALERTS_FILE = "alerts.ndjson";
    public static final String INCIDENTS_FILE = "incidents.ndjson";
    public static final String TIMELINE_FILE = "timeline.ndjson";
    /** With {@code --es}: documents Elasticsearch did not store, as dead letters. */
    public static final String ES_DEAD_LETTERS_FILE = "elasticsearch-dead-letters.ndjson";

    private final PrintStream progress;
    private final Function<String, String> getenv;

    /** @param progress where progress lines go (stderr on the command line) */
    public ReplayRunner(PrintStream progress) {
        this(progress, System::getenv);
    }

    /** @param getenv the environment, where the webhook's secret is read */
    public ReplayRunner(PrintStream progress, Function<String, String> getenv) {
        this.progress = progress;
        this.getenv = getenv;
    }

    public ReplaySummary run(ReplayOptions options) throws Exception {
        Path requestsPath = options.outDir().resolve(ReplayWebhook.REQUESTS_FILE);
        try {
            return replay(options, requestsPath);
        } finally {
            // the webhook requests rendered by the job are delivered by now, or the run failed
            Files.deleteIfExists(requestsPath);
        }
    }

    private ReplaySummary replay(ReplayOptions options, Path requestsPath) throws Exception {
        // a missing secret fails before the job runs, not after
        WebhookTarget.Resolved webhook = options.webhook() == null ? null : options.webhook().resolve(getenv);
        ReplayInputs.Resolved inputs = ReplayInputs.resolve(options.inputs(), options.format());
        List<ReplaySummary.InputFile> files = inputs.files();
        if (files.isEmpty()) {
            // only directories were given (named files are read or fail in resolve)
            throw new IOException(inputs.skipped().isEmpty() ? "no file to replay in " + options.inputs()
                    : "nothing to replay in " + options.inputs() + ": all " + inputs.skipped().size()
                            + " file(s) skipped, the first " + inputs.skipped().get(0).path() + " ("
                            + inputs.skipped().get(0).reason() + ")");
        }
        Map<String, String> formatByPath = new LinkedHashMap<>();
        Map<String, String> nameByPath = new LinkedHashMap<>();
        long totalBytes = 0;
        for (ReplaySummary.InputFile f : files) {
            Path p = Path.of(f.path());
            String key = RawRecordFileFormat.key(p);
            formatByPath.put(key, f.format());
            nameByPath.put(key, f.path());
            totalBytes += Files.size(p);
        }
        Files.createDirectories(options.outDir());
        Path eventsPath = options.outDir().resolve(EVENTS_FILE);
        Path deadPath = options.outDir().resolve(DEAD_LETTERS_FILE);

        org.apache.flink.core.fs.Path[] paths = files.stream()
                .map(f -> new org.apache.flink.core.fs.Path(Path.of(f.path()).toAbsolutePath().toUri()))
                .toArray(org.apache.flink.core.fs.Path[]::new);
        FileSource<io.vigil.model.RawRecord> source = FileSource
                .forBulkFileFormat(new RawRecordFileFormat(formatByPath, nameByPath, null,
                        options.decoder().maxRecordBytes()), paths)
                // every file given is read, hidden or not: the analyst named it
                .setFileEnumerator(() -> new NonSplittingRecursiveEnumerator(path -> true))
                .build();
        NdjsonFileSink<SecurityEvent> events = NdjsonFileSink.<SecurityEvent>builder()
                .path(eventsPath.toString()).encoder(EcsJson::write).build();
        NdjsonFileSink<DeadLetter> deadLetters = NdjsonFileSink.<DeadLetter>builder()
                .path(deadPath.toString()).encoder(EcsJson::write).build();

        Path alertsPath = options.outDir().resolve(ALERTS_FILE);
        Path incidentsPath = options.outDir().resolve(INCIDENTS_FILE);
        Path timelinePath = options.outDir().resolve(TIMELINE_FILE);
        Path deliveriesPath = options.outDir().resolve(ReplayWebhook.DELIVERIES_FILE);
        Path webhookDeadPath = options.outDir().resolve(ReplayWebhook.DEAD_LETTERS_FILE);
        Path esDeadPath = options.outDir().resolve(ES_DEAD_LETTERS_FILE);
        // appended to by the Elasticsearch sinks: one left by an earlier run would read as this run's
        Files.deleteIfExists(esDeadPath);

        int cores = Runtime.getRuntime().availableProcessors();
        int parallelism = options.parallelism() > 0 ? options.parallelism() : Math.max(1, Math.min(files.size(), cores));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, flinkConfig());
        // Bounded input runs in batch mode: each rule and key sees all its events, timers fire in
        // time order, so alerts do not depend on which file a task read first or on parallelism
        // (in streaming mode, files of different eras read by one task would be late for each other).
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        // one file has one writer: the NDJSON outputs run with parallelism 1
        VigilJob job = new VigilJob(source, "log files", options.decoder());
        if (options.writeEvents()) {
            job.events(new VigilJob.Output<>(events, "events", "events-sink", 1));
        } else {
            // an events file left by an earlier run would read as this run's
            Files.deleteIfExists(eventsPath);
        }
        job.deadLetters(new VigilJob.Output<>(deadLetters, "dead letters", "dead-letters-sink", 1));
        // the tables are read on each task; a replay has no live tables
        job.context(Contexts.settings(options.context(), null, options.rules() != null));
        if (options.rules() != null) {
            List<VigilJob.Output<Alert>> alertOutputs = new ArrayList<>(List.of(new VigilJob.Output<>(
                    NdjsonFileSink.<Alert>builder().path(alertsPath.toString()).encoder(AlertDocuments::write).build(),
                    "alerts", "alerts-sink", 1)));
            List<VigilJob.Output<Incident>> incidentOutputs = new ArrayList<>(List.of(new VigilJob.Output<>(
                    NdjsonFileSink.<Incident>builder().path(incidentsPath.toString())
                            .encoder(IncidentDocuments::write).build(), "incidents", "incidents-sink", 1)));
            List<VigilJob.Output<TimelineEntry>> timelineOutputs = new ArrayList<>(List.of(new VigilJob.Output<>(
                    NdjsonFileSink.<TimelineEntry>builder().path(timelinePath.toString())
                            .encoder(IncidentDocuments::write).build(), "timeline", "timeline-sink", 1)));
            if (options.elasticsearch() != null) {
                ElasticsearchConnection es = options.elasticsearch();
                Connections.installTemplates(es);
                NdjsonFileFallback refused = new NdjsonFileFallback(esDeadPath.toString());
                alertOutputs.add(VigilJob.Output.of(Connections.esSinkBuilder(es, new Documents.Alerts(), 1000,
                        Duration.ofSeconds(1)).fallback(refused).build(), "alerts to elasticsearch", "alerts-es"));
                incidentOutputs.add(new VigilJob.Output<>(Connections.esSinkBuilder(es, new Documents.Incidents(),
                        1000, Duration.ofSeconds(1)).fallback(refused).build(), "incidents to elasticsearch",
                        "incidents-es", 1));
                timelineOutputs.add(VigilJob.Output.of(Connections.esSinkBuilder(es, new Documents.Timeline(), 1000,
                        Duration.ofSeconds(1)).fallback(refused).build(), "timeline to elasticsearch", "timeline-es"));
                // incidents analysts closed there are continued, not silently added to
                job.incidentStatuses(new io.vigil.jobs.incident.ElasticsearchIncidentStatus(es,
                        VigilOptions.INCIDENT_STATUS_TIMEOUT.defaultValue()),
                        VigilOptions.INCIDENT_STATUS_CACHE_TTL.defaultValue());
            }
            if (webhook != null) {
                alertOutputs.add(ReplayWebhook.requestsOutput(options.webhook(), requestsPath));
            }
            // batch mode: the watermark jumps to the end once the input is read, so the bound is moot
            job.detect(DetectionSettings.of(options.rules(), Detection.DEFAULT_OUT_OF_ORDERNESS, Detection.DEFAULT_STATE_TTL)
                    .withExceptions(options.exceptions()), alertOutputs);
            job.incidents(options.incidentWindow(), incidentOutputs, timelineOutputs);
        } else {
            Files.deleteIfExists(alertsPath);
            Files.deleteIfExists(incidentsPath);
            Files.deleteIfExists(timelinePath);
        }
        if (webhook == null) {
            Files.deleteIfExists(deliveriesPath);
            Files.deleteIfExists(webhookDeadPath);
        }
        job.build(env);

        long start = System.nanoTime();
        JobClient client = env.executeAsync("vigil replay");
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "replay-progress");
            t.setDaemon(true);
            return t;
        });
        final long total = totalBytes;
        if (options.progressIntervalMs() > 0) {
            ticker.scheduleAtFixedRate(() -> reportProgress(client, total, start),
                    options.progressIntervalMs(), options.progressIntervalMs(), TimeUnit.MILLISECONDS);
        }
        JobExecutionResult result;
        try {
            result = client.getJobExecutionResult().get();
        } finally {
            ticker.shutdownNow();
        }
        if (options.elasticsearch() != null) {
            // make what the replay wrote searchable now: an analyst's next command reads it
            try (var es = options.elasticsearch().client()) {
                es.indices().refresh(r -> r.index(List.of(IndexTemplates.ALERTS + "-*", IndexTemplates.INCIDENTS,
                        IndexTemplates.TIMELINE + "-*")).ignoreUnavailable(true).allowNoIndices(true));
            }
        }
        long elapsedMs = Math.max(1, (System.nanoTime() - start) / 1_000_000);

        long records = longResult(result, DecodeCounters.RECORDS);
        long decoded = longResult(result, DecodeCounters.DECODED);
        long dead = longResult(result, DecodeCounters.DEAD_LETTERS);
        if (records != decoded + dead) {
            // a record is either decoded or dead-lettered, never lost (docs/architecture.md,
            // invariant 1); rule-error letters are not counted here: their event exists
            throw new IllegalStateException("records (" + records + ") != decoded (" + decoded
                    + ") + dead letters (" + dead + ")");
        }
        Map<String, Long> byRule = new TreeMap<>();
        long alerts = 0;
        long incidents = 0;
        if (options.rules() != null) {
            byRule = compactAlerts(alertsPath);
            alerts = byRule.values().stream().mapToLong(Long::longValue).sum();
            incidents = compactIncidents(incidentsPath);
            compactTimeline(timelinePath);
        }
        // after the job and outside its timing: delivery runs at the endpoint's pace
        ReplayWebhook.Result delivered = webhook == null ? null
                : ReplayWebhook.deliver(webhook, requestsPath, options.outDir(), options.progressIntervalMs(), progress);
        List<String> ruleProblems = new ArrayList<>();
        if (options.rules() != null) {
            options.rules().problems().forEach(p -> ruleProblems.add(p.toString()));
            // rules quarantined in a task during the run (the same text from several tasks once)
            ruleProblems.addAll(mapResult(result, RuleErrorCounters.RULES_QUARANTINED).keySet());
        }
        Map<String, String> outputs = new LinkedHashMap<>();
        if (options.writeEvents()) {
            outputs.put("events", eventsPath.toString());
        }
        outputs.put("deadLetters", deadPath.toString());
        if (options.rules() != null) {
            outputs.put("alerts", alertsPath.toString());
            outputs.put("incidents", incidentsPath.toString());
            outputs.put("timeline", timelinePath.toString());
        }
        if (webhook != null) {
            outputs.put("deliveries", deliveriesPath.toString());
            outputs.put("webhookDeadLetters", webhookDeadPath.toString());
        }
        if (Files.exists(esDeadPath)) {
            outputs.put("elasticsearchDeadLetters", esDeadPath.toString());
        }
        outputs.put("summary", options.outDir().resolve(SUMMARY_FILE).toString());
        Map<String, Long> exceptedByException = mapResult(result, RuleMetrics.EXCEPTED_BY_EXCEPTION);
        ReplaySummary summary = new ReplaySummary(records, decoded, longResult(result, DecodeCounters.EVENTS), dead,
                longResult(result, DecodeCounters.BYTES), mapResult(result, DecodeCounters.BY_FORMAT),
                mapResult(result, DecodeCounters.BY_ACTION), mapResult(result, DecodeCounters.BY_ACTION_OUTCOME),
                mapResult(result, DecodeCounters.DEAD_BY_FORMAT), mapResult(result, DecodeCounters.DEAD_BY_KIND),
                alerts, byRule,
                longResult(result, RuleErrorCounters.RULE_ERRORS), mapResult(result, RuleErrorCounters.RULE_ERRORS_BY_RULE),
                exceptedByException.values().stream().mapToLong(Long::longValue).sum(), exceptedByException,
                incidents, masked(result), ruleProblems,
                files, inputs.skipped(), elapsedMs, records * 1000 / elapsedMs, outputs, delivered);
        EcsJson.MAPPER.writer(SerializationFeature.INDENT_OUTPUT)
                .writeValue(options.outDir().resolve(SUMMARY_FILE).toFile(), summary);
        // counts only: the summary's maps are keyed by values of the input (actions of ECS documents)
        LOG.debug("replay finished: {} records, {} events, {} dead letters, {} alerts in {} ms", records,
                summary.events(), dead, alerts, elapsedMs);
        return summary;
    }

    /**
     * Rewrites the alerts file with one document per alert id, the last one written (a
     * suppression period that ends re-emits its alert with the suppressed count), ordered by time
     * then id, as Elasticsearch would hold them; returns distinct alerts per rule.
     */
    static Map<String, Long> compactAlerts(Path file) throws IOException {
        List<JsonNode> docs = compact(file, "/event/id", (before, doc) -> true, d -> false,
                Comparator.comparing((JsonNode d) -> d.get("@timestamp").asText())
                        .thenComparing(d -> d.at("/event/id").asText()));
        Map<String, Long> byRule = new TreeMap<>();
        docs.forEach(d -> byRule.merge(d.at("/rule/id").asText(), 1L, Long::sum));
        return byRule;
    }

    /**
     * Rewrites the incidents file with the last version of each incident that was not merged into
     * another, ordered by first-seen time then id; returns how many there are.
     */
    static long compactIncidents(Path file) throws IOException {
        return compact(file, "/vigil/incident/id",
                (before, doc) -> before.at("/vigil/incident/version").asLong() < doc.at("/vigil/incident/version").asLong(),
                d -> d.at("/vigil/incident/merged_into").isTextual(),
                Comparator.comparing((JsonNode d) -> d.at("/vigil/incident/first_seen").asText())
                        .thenComparing(d -> d.at("/vigil/incident/id").asText())).size();
    }

    /** Rewrites the timeline file with one entry per id (the last), in timeline order per incident. */
    static void compactTimeline(Path file) throws IOException {
        compact(file, "/vigil/timeline/id", (before, doc) -> true, d -> false,
                Comparator.comparing((JsonNode d) -> d.at("/vigil/timeline/incident_id").asText())
                        .thenComparing(d -> d.get("@timestamp").asText())
                        .thenComparing(d -> d.at("/vigil/timeline/kind").asText())
                        .thenComparing(d -> d.at("/vigil/timeline/id").asText()));
    }

    /**
     * Rewrites an NDJSON file with one document per id (at {@code idPointer}): a later document
     * replaces an earlier one when {@code replaces(earlier, later)}; documents {@code dropped} are
     * left out; the rest are written in {@code order}, and returned.
     */
    private static List<JsonNode> compact(Path file, String idPointer, BiPredicate<JsonNode, JsonNode> replaces,
                                          Predicate<JsonNode> dropped, Comparator<JsonNode> order) throws IOException {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                JsonNode doc = EcsJson.MAPPER.readTree(line);
                JsonNode before = byId.get(doc.at(idPointer).asText());
                if (before == null || replaces.test(before, doc)) {
                    byId.put(doc.at(idPointer).asText(), doc);
                }
            }
        }
        List<JsonNode> docs = new ArrayList<>(byId.values());
        docs.removeIf(dropped);
        docs.sort(order);
        StringBuilder out = new StringBuilder();
        docs.forEach(d -> out.append(EcsJson.toJson(d)).append('\n'));
        Files.writeString(file, out, StandardCharsets.UTF_8);
        return docs;
    }

    private static Configuration flinkConfig() {
        Configuration conf = new Configuration();
        // a Kryo fallback is a bug in the model: fail instead of silently serializing slowly
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // every record Vigil passes between operators is immutable: chained operators need no copy
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        // a forensic replay is bounded and repeatable: fail fast rather than restart
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        // accumulators reach the client with task heartbeats (10 s by default): 1 s keeps progress live
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        return conf;
    }

    private void reportProgress(JobClient client, long totalBytes, long startNanos) {
        try {
            Map<String, Object> acc = client.getAccumulators().get(5, TimeUnit.SECONDS);
            long records = acc.get(DecodeCounters.RECORDS) instanceof Long l ? l : 0;
            long bytes = acc.get(DecodeCounters.BYTES) instanceof Long b ? b : 0;
            double secs = (System.nanoTime() - startNanos) / 1e9;
            String pct = totalBytes > 0 ? String.format(" (~%d%%)", Math.min(100, bytes * 100 / totalBytes)) : "";
            progress.printf("replay: %,d records%s, %,.0f records/s%n", records, pct, records / Math.max(secs, 0.001));
        } catch (Exception e) {
            LOG.debug("progress unavailable: {}", e.toString());
        }
    }

    /** The values masked per kind, summed over the masking operators. */
    private static Map<String, Long> masked(JobExecutionResult result) {
        Map<String, Long> all = new TreeMap<>();
        for (String name : MaskCounters.ALL) {
            mapResult(result, name).forEach((kind, n) -> all.merge(kind, n, Long::sum));
        }
        return all;
    }

    private static long longResult(JobExecutionResult result, String name) {
        Object v = result.getAccumulatorResult(name);
        return v instanceof Long l ? l : 0L;
    }

    private static Map<String, Long> mapResult(JobExecutionResult result, String name) {
        Object v = result.getAccumulatorResult(name);
        if (v instanceof Map<?, ?> m) {
            Map<String, Long> out = new TreeMap<>();
            m.forEach((k, n) -> out.put(String.valueOf(k), ((Number) n).longValue()));
            return out;
        }
        return new TreeMap<>();
    }
}
