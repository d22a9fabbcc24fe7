package io.vigil.jobs;

import io.vigil.connectors.webhook.DeliveryAttempt;
import io.vigil.connectors.webhook.WebhookDeliveryFunction;
import io.vigil.connectors.webhook.WebhookRequest;
import io.vigil.connectors.webhook.WebhookTarget;
import io.vigil.formats.DecoderOptions;
import io.vigil.jobs.webhook.DeliveryDocuments;
import io.vigil.jobs.webhook.WebhookRequests;
import io.vigil.jobs.webhook.WebhookRoute;
import io.vigil.jobs.decode.DecodeFunction;
import io.vigil.jobs.decode.Decoded;
import io.vigil.jobs.decode.DecodingSource;
import io.vigil.jobs.decode.SplitDecodedOperator;
import io.vigil.jobs.decode.SplitWatermarks;
import io.vigil.jobs.decode.EventTimeBounds;
import io.vigil.jobs.detect.Detection;
import io.vigil.jobs.detect.DetectionSettings;
import io.vigil.jobs.detect.RuleStatsReport;
import io.vigil.model.Alert;
import io.vigil.jobs.incident.AssembleIncidentsFunction;
import io.vigil.jobs.incident.IncidentStatusSource;
import io.vigil.model.DeadLetter;
import io.vigil.model.Incident;
import io.vigil.model.TimelineEntry;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import io.vigil.context.ContextUpdate;
import io.vigil.jobs.context.ContextAlerts;
import io.vigil.jobs.context.ContextSettings;
import io.vigil.jobs.context.ContextStage;
import io.vigil.jobs.live.ControlFeed;
import io.vigil.jobs.live.LiveDetection;
import io.vigil.jobs.live.RuleOutcome;
import io.vigil.jobs.mask.Masking;
import io.vigil.jobs.metrics.StageMark;
import io.vigil.jobs.metrics.StageTrace;
import io.vigil.jobs.metrics.VigilMetrics;
import io.vigil.model.mask.MaskingPolicy;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Vigil's topology: raw records from a source are decoded into events, records that cannot be
 * decoded go to the dead-letter outputs, and (with rules) events are correlated into alerts for
 * the alert outputs; an event a rule fails on also goes to the dead-letter outputs (kind
 * {@code rule-error}). The job takes its source and outputs: the forensic replay wires files in and
 * out, the streaming job Kafka in and Elasticsearch and Kafka out.
 */
public final class VigilJob {

    /** Stable operator ids: state and savepoints refer to these. */
    public static final String SOURCE_UID = "raw-source";
    public static final String DECODE_UID = "decode";
    public static final String INCIDENTS_UID = "assemble-incidents";
    public static final String WEBHOOKS_UID = "deliver-webhooks";
    public static final String CONTEXT_TIME_UID = "context-control-time";

    /**
     * A sink with its operator name, stable uid and parallelism ({@code null}: the job's).
     */
    public record Output<T>(Sink<T> sink, String name, String uid, Integer parallelism) {
        public Output {
            Objects.requireNonNull(sink, "sink");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(uid, "uid");
        }

        public static <T> Output<T> of(Sink<T> sink, String name, String uid) {
            return new Output<>(sink, name, uid, null);
        }

        void attach(DataStream<T> stream) {
            DataStreamSink<T> s = stream.sinkTo(sink).name(name).uid(uid);
            if (parallelism != null) {
                s.setParallelism(parallelism);
            }
        }
    }

    private final Source<RawRecord, ?, ?> source;
    private final String sourceName;
    private final DecoderOptions decoder;
    private final List<Output<SecurityEvent>> events = new ArrayList<>();
    private final List<Output<DeadLetter>> deadLetters = new ArrayList<>();
    private final List<Output<Alert>> alerts = new ArrayList<>();
    private DetectionSettings detect;
    private EventTimeBounds eventTimeBounds = EventTimeBounds.anyYear();
    private Duration incidentWindow;
    private IncidentStatusSource incidentStatuses;
    private Duration incidentStatusTtl;
    private final List<Output<Incident>> incidents = new ArrayList<>();
    private final List<Output<TimelineEntry>> timeline = new ArrayList<>();
    private final List<WebhookRoute> webhookRoutes = new ArrayList<>();
    private final List<Output<DeliveryAttempt>> deliveries = new ArrayList<>();
    private ControlFeed controlFeed;
    private PublicKey bundleKey;
    private final List<Output<Alert>> shadowAlerts = new ArrayList<>();
    private final List<Output<RuleOutcome>> ruleOutcomes = new ArrayList<>();
    private final List<Output<RuleStatsReport>> ruleStats = new ArrayList<>();
    private ContextSettings context = ContextSettings.NONE;
    private MaskingPolicy masking = MaskingPolicy.DEFAULTS;
    private boolean watermarksPerPartition;
    private Output<StageMark> stageTrace;

    public VigilJob(Source<RawRecord, ?, ?> source, String sourceName, DecoderOptions decoder) {
        this.source = Objects.requireNonNull(source, "source");
        this.sourceName = Objects.requireNonNull(sourceName, "sourceName");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
    }

    public VigilJob events(Output<SecurityEvent> output) {
        events.add(output);
        return this;
    }

    public VigilJob deadLetters(Output<DeadLetter> output) {
        deadLetters.add(output);
        return this;
    }

    /** The event times accepted (any year from 1 to 9999 unless set); records out of them are dead letters. */
    public VigilJob eventTimeBounds(EventTimeBounds bounds) {
        this.eventTimeBounds = Objects.requireNonNull(bounds, "bounds");
        return this;
    }

    /** Runs the rules; their alerts go to the alert outputs. */
    public VigilJob detect(DetectionSettings detection, List<Output<Alert>> outputs) {
        this.detect = Objects.requireNonNull(detection, "detection");
        alerts.addAll(outputs);
        return this;
    }

    /**
     * Runs live rules besides the local ones: bundles from {@code feed}, accepted only when signed
     * with {@code key} and checked, switch the packs at their effective event time; the shadow
     * slot's alerts go to {@code shadowOutputs} only (never incidents or webhooks), and every
     * control record's outcome to {@code outcomeOutputs}. Needs {@link #detect}.
     */
    public VigilJob liveRules(ControlFeed feed, PublicKey key, List<Output<Alert>> shadowOutputs,
                              List<Output<RuleOutcome>> outcomeOutputs) {
        this.controlFeed = Objects.requireNonNull(feed, "feed");
        this.bundleKey = Objects.requireNonNull(key, "key");
        shadowAlerts.addAll(shadowOutputs);
        ruleOutcomes.addAll(outcomeOutputs);
        return this;
    }

    /**
     * Enriches events (before the event outputs and detection) and alerts with context tables, and
     * adds the context detections' alerts (intel matches, impossible travel, first seen) to the
     * rules' ones.
     */
    public VigilJob context(ContextSettings settings) {
        this.context = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /**
     * What is masked on the way out (docs/masking.md): events before the event outputs (detection
     * sees them whole), alerts before incidents, timelines, webhooks and the alert outputs, shadow
     * alerts and dead letters. Card numbers and cloud secrets are always masked;
     * {@link MaskingPolicy#DEFAULTS} unless set.
     */
    public VigilJob masking(MaskingPolicy policy) {
        this.masking = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * Event-time watermarks per source split (Kafka partition), made in the source with idleness per
     * split ({@link SplitWatermarks}), instead of per subtask after decoding: a partition far ahead
     * in event time makes no record of the others late. Not yet the streaming job's: with it, alerts
     * reach incident assembly behind its watermark when the input goes idle right after them
     * (StreamingJobTest's incident waits for a watermark that never comes), see the issue 20 notes.
     */
    public VigilJob watermarksPerPartition() {
        this.watermarksPerPartition = true;
        return this;
    }

    /**
     * Traces each alert's stages (docs/metrics.md#latency-by-stage): the read and decoded lag behind the Kafka
     * append time as histograms, and marks of evaluated events, correlated and written alerts to {@code output}.
     * Without it none of these operators is in the job.
     */
    public VigilJob stageTrace(Output<StageMark> output) {
        this.stageTrace = Objects.requireNonNull(output, "output");
        return this;
    }

    /** The per-rule numbers of the evaluation subtasks (about once a minute, what changed) go to {@code output}. */
    public VigilJob ruleStats(Output<RuleStatsReport> output) {
        ruleStats.add(output);
        return this;
    }

    /**
     * Assembles the alerts into incidents (grouped by shared entities within {@code window});
     * incident versions and timeline entries go to the outputs given. Needs {@link #detect}.
     */
    public VigilJob incidents(Duration window, List<Output<Incident>> incidentOutputs,
                              List<Output<TimelineEntry>> timelineOutputs) {
        this.incidentWindow = Objects.requireNonNull(window, "window");
        incidents.addAll(incidentOutputs);
        timeline.addAll(timelineOutputs);
        return this;
    }

    /**
     * Reads incidents' statuses from {@code statuses} (trusting a read for {@code ttl}), so that an
     * alert for an incident analysts closed opens a new incident linked to it instead of joining
     * it silently. Needs {@link #incidents}.
     */
    public VigilJob incidentStatuses(IncidentStatusSource statuses, Duration ttl) {
        this.incidentStatuses = Objects.requireNonNull(statuses, "statuses");
        this.incidentStatusTtl = Objects.requireNonNull(ttl, "ttl");
        return this;
    }

    /**
     * Delivers new alerts (and, for endpoints that want them, incident changes) to the webhook
     * endpoints of {@code routes}; every attempt goes to the delivery outputs, deliveries given up
     * to the dead-letter outputs. Needs {@link #detect}.
     */
    public VigilJob webhooks(List<WebhookRoute> routes, List<Output<DeliveryAttempt>> attemptOutputs) {
        webhookRoutes.addAll(routes);
        deliveries.addAll(attemptOutputs);
        return this;
    }

    /** The delivery branch: requests from alerts and incident changes, delivered per endpoint; returns its dead letters. */
    private DataStream<DeadLetter> webhooks(DataStream<Alert> detected, DataStream<Incident> assembled) {
        DataStream<WebhookRequest> requests = detected.flatMap(new WebhookRequests.FromAlerts(webhookRoutes))
                .name("webhook requests from alerts").uid("webhook-requests-alerts");
        boolean incidentChanges = webhookRoutes.stream().anyMatch(r -> r.filter().incidents());
        if (incidentChanges && assembled == null) {
            throw new IllegalStateException("webhook endpoints that send incidents need incident assembly");
        }
        if (incidentChanges) {
            requests = requests.union(assembled.flatMap(new WebhookRequests.FromIncidents(webhookRoutes))
                    .name("webhook requests from incidents").uid("webhook-requests-incidents").setParallelism(1));
        }
        List<WebhookTarget> targets = webhookRoutes.stream().map(WebhookRoute::target).toList();
        SingleOutputStreamOperator<DeliveryAttempt> attempts = requests
                .keyBy(WebhookRequest::endpoint, Types.STRING)
                .process(new WebhookDeliveryFunction(targets).outcomeMetrics(VigilMetrics.GROUP))
                .name("deliver webhooks").uid(WEBHOOKS_UID);
        deliveries.forEach(o -> o.attach(attempts));
        return attempts.getSideOutput(WebhookDeliveryFunction.DEAD).map(new DeliveryDocuments.ToDeadLetter())
                .name("webhook dead letters").uid("webhook-dead-letters");
    }

    /** Adds the topology to {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        if (deadLetters.isEmpty()) {
            throw new IllegalStateException("dead letters need at least one output: no record may be lost");
        }
        // decoded where the source emits, so that its watermarks can be per split (Kafka partition),
        // each with its idleness; the source keeps its uid (its state: the splits and offsets)
        boolean perSplit = watermarksPerPartition && detect != null;
        WatermarkStrategy<Decoded> watermarks = perSplit
                ? SplitWatermarks.of(detect.outOfOrderness(), detect.idleTimeout()) : WatermarkStrategy.noWatermarks();
        DataStream<Decoded> read = env
                .fromSource(DecodingSource.of(source, decoder, eventTimeBounds), watermarks, sourceName).uid(SOURCE_UID);
        if (stageTrace != null && !perSplit) {
            // the source's reader decodes: read and decoded are one instant, measured while the Flink
            // timestamp is still the Kafka append time (the decode operator gives events their own)
            read = read.process(StageTrace.readAndDecoded(), read.getType()).name("stage trace: read and decoded")
                    .uid("stage-trace-read");
        }
        SingleOutputStreamOperator<SecurityEvent> decoded = read
                .transform("decode", TypeInformation.of(SecurityEvent.class), new SplitDecodedOperator(decoder))
                .uid(DECODE_UID);
        DataStream<DeadLetter> dead = decoded.getSideOutput(DecodeFunction.DEAD_LETTERS);
        DataStream<SecurityEvent> decodedEvents = decoded;
        // context updates carry no event time: their stream never holds back a watermark
        DataStream<ContextUpdate> updates = context.feed() == null ? null : context.feed().open(env)
                .assignTimestampsAndWatermarks(LiveDetection.<ContextUpdate>neverHoldsBack())
                .name("context control time").uid(CONTEXT_TIME_UID).setParallelism(1);
        DataStream<SecurityEvent> enriched = ContextStage.events(decodedEvents, context, updates);
        if (!events.isEmpty()) {
            // the outputs get masked events; detection below keeps seeing them whole
            DataStream<SecurityEvent> masked = Masking.events(enriched, masking);
            events.forEach(o -> o.attach(masked));
        }
        if (detect == null && !context.alerts().isEmpty()) {
            throw new IllegalStateException("context detections (intel, travel, first seen) need detection");
        }
        if (detect == null && (incidentWindow != null || !webhookRoutes.isEmpty())) {
            throw new IllegalStateException("incidents and webhooks need detection");
        }
        if (controlFeed != null && detect == null) {
            throw new IllegalStateException("live rules need detection");
        }
        if (detect != null) {
            // per split: the events carry their times and the source's watermarks already
            DataStream<SecurityEvent> timed = perSplit ? enriched : Detection.eventTime(enriched, detect);
            Detection.Detected detection;
            if (controlFeed == null) {
                detection = Detection.buildTimed(timed, detect);
            } else {
                LiveDetection.LiveDetected live = LiveDetection.buildTimed(timed, detect, controlFeed.open(env), bundleKey);
                detection = live.detected();
                if (!shadowAlerts.isEmpty()) {
                    DataStream<Alert> shadow = Masking.shadowAlerts(live.shadowAlerts(), masking);
                    shadowAlerts.forEach(o -> o.attach(shadow));
                }
                ruleOutcomes.forEach(o -> o.attach(live.outcomes()));
            }
            DataStream<Alert> all = detection.alerts();
            List<DataStream<StageMark>> marks = new ArrayList<>();
            if (stageTrace != null) {
                marks.add(detection.hits().process(new StageTrace.Evaluated())
                        .name("stage trace: evaluated").uid("stage-trace-evaluated"));
                SingleOutputStreamOperator<Alert> traced = all.process(new StageTrace.Alerts(StageMark.CORRELATED))
                        .name("stage trace: correlated").uid("stage-trace-correlated");
                marks.add(traced.getSideOutput(StageTrace.MARKS));
                all = traced;
            }
            for (ContextAlerts more : context.alerts()) {
                all = all.union(more.build(timed, updates));
            }
            // masked once here: incidents, timelines, webhooks and alert outputs are built from these
            DataStream<Alert> detected = Masking.alerts(ContextStage.alerts(all, context, updates), masking);
            ruleStats.forEach(o -> o.attach(detection.ruleStats()));
            if (stageTrace == null) {
                alerts.forEach(o -> o.attach(detected));
            } else {
                SingleOutputStreamOperator<Alert> written = detected.process(new StageTrace.Alerts(StageMark.WRITTEN))
                        .name("stage trace: written").uid("stage-trace-written");
                alerts.forEach(o -> o.attach(written));
                marks.add(written.getSideOutput(StageTrace.MARKS));
                DataStream<StageMark> trace = marks.get(0);
                for (DataStream<StageMark> m : marks.subList(1, marks.size())) {
                    trace = trace.union(m);
                }
                stageTrace.attach(trace);
            }
            // an event a rule failed on: evidence of the failure, beside the decode letters
            dead = dead.union(detection.ruleErrors());
            SingleOutputStreamOperator<Incident> assembled = null;
            if (incidentWindow != null) {
                // one key: incidents join alerts across all entities (alerts are few)
                SingleOutputStreamOperator<Incident> versions = detected
                        .keyBy(a -> AssembleIncidentsFunction.KEY, Types.STRING)
                        .process(new AssembleIncidentsFunction(incidentWindow, incidentStatuses, incidentStatusTtl))
                        .name("assemble incidents").uid(INCIDENTS_UID).setParallelism(1);
                incidents.forEach(o -> o.attach(versions));
                DataStream<TimelineEntry> entries = versions.getSideOutput(AssembleIncidentsFunction.TIMELINE);
                timeline.forEach(o -> o.attach(entries));
                assembled = versions;
            }
            if (!webhookRoutes.isEmpty()) {
                dead = dead.union(webhooks(detected, assembled));
            }
        }
        DataStream<DeadLetter> allDead = Masking.deadLetters(dead, masking);
        deadLetters.forEach(o -> o.attach(allDead));
    }
}
