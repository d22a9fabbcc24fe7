package io.vigil.jobs.wiring;

import io.vigil.connectors.elasticsearch.DocumentMapper;
import io.vigil.connectors.elasticsearch.IndexTemplates;
import io.vigil.jobs.detect.AlertDocuments;
import io.vigil.model.Alert;
import io.vigil.model.DeadLetter;
import io.vigil.model.EcsJson;
import io.vigil.model.Ids;
import io.vigil.model.SecurityEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * How Vigil's records become Elasticsearch documents: the job's side of the connector, which
 * knows nothing of alerts. Ids are deterministic so a replay or a restore overwrites documents.
 *
 * <p>Daily indices are named by a document's time, but never for a day after the writer's clock
 * ({@link #dailyIndex}): neither a forged time nor an event within the allowed skew just before
 * midnight creates tomorrow's index.
 */
public final class Documents {

    private Documents() {}

    /**
     * The daily index of {@code prefix} for a document dated {@code time}, or of {@code now}'s
     * day when {@code time} is later: a time ahead of the clock (an event up to
     * {@code detection.max-future-skew} ahead just before midnight, any time a replay's files
     * hold) goes into today's index and keeps its {@code @timestamp}.
     */
    public static String dailyIndex(String prefix, Instant time, Instant now) {
        return IndexTemplates.dailyIndex(prefix, time.isAfter(now) ? now : time);
    }

    /**
     * Alerts into {@code vigil-alerts-YYYY.MM.DD} (or the daily indices of another prefix: shadow
     * alerts into {@code vigil-shadow-alerts-*}) by detection time (at the latest today), under the
     * alert id.
     */
    public static final class Alerts implements DocumentMapper<Alert> {
        private static final long serialVersionUID = 1L;
        private final String prefix;

        public Alerts() {
            this(IndexTemplates.ALERTS);
        }

        /** @param prefix the daily indices' prefix, one of the alert templates ({@link IndexTemplates}) */
        public Alerts(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public String index(Alert a) {
            return dailyIndex(prefix, a.timestamp(), Instant.now());
        }

        @Override
        public String id(Alert a) {
            return a.id();
        }

        @Override
        public byte[] source(Alert a) {
            return AlertDocuments.write(a).getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Dead letters into {@code vigil-dead-letters-YYYY.MM.DD} (the day they were written), under a
     * hash of their origin: one record, one document.
     */
    public static final class DeadLetters implements DocumentMapper<DeadLetter> {
        private static final long serialVersionUID = 1L;

        @Override
        public String index(DeadLetter d) {
            return IndexTemplates.dailyIndex(IndexTemplates.DEAD_LETTERS, Instant.now());
        }

        @Override
        public String id(DeadLetter d) {
            return Ids.of(d.origin().toString());
        }

        @Override
        public byte[] source(DeadLetter d) {
            com.fasterxml.jackson.databind.node.ObjectNode doc = EcsJson.toTree(d);
            doc.put("@timestamp", Instant.now().toString());
            return EcsJson.toJson(doc).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Events into {@code vigil-events-YYYY.MM.DD} by event time (at the latest today), under a hash of origin and sequence. */
    public static final class Events implements DocumentMapper<SecurityEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public String index(SecurityEvent e) {
            return dailyIndex(IndexTemplates.EVENTS, e.timestamp(), Instant.now());
        }

        @Override
        public String id(SecurityEvent e) {
            return Ids.of(e.origin().toString(), String.valueOf(e.eventSequence() == null ? 0 : e.eventSequence()));
        }

        @Override
        public byte[] source(SecurityEvent e) {
            return EcsJson.write(e).getBytes(StandardCharsets.UTF_8);
        }
    }


    /**
     * Incidents into {@code vigil-incidents} under their id, as partial-document upserts: the
     * stream's fields update an existing incident, and a new one is created with status open.
     * Analysts' status and assignee are never in the partial document, so never overwritten.
     */
    public static final class Incidents implements DocumentMapper<io.vigil.model.Incident> {
        private static final long serialVersionUID = 1L;

        @Override
        public String index(io.vigil.model.Incident i) {
            return IndexTemplates.INCIDENTS;
        }

        @Override
        public String id(io.vigil.model.Incident i) {
            return i.id();
        }

        @Override
        public byte[] source(io.vigil.model.Incident i) {
            return EcsJson.toJson(io.vigil.jobs.incident.IncidentDocuments.streamFields(i)).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] upsert(io.vigil.model.Incident i) {
            return io.vigil.jobs.incident.IncidentDocuments.write(i).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Timeline entries into {@code vigil-timeline-YYYY.MM.DD} by entry time (at the latest today), under the entry id. */
    public static final class Timeline implements DocumentMapper<io.vigil.model.TimelineEntry> {
        private static final long serialVersionUID = 1L;

        @Override
        public String index(io.vigil.model.TimelineEntry e) {
            return dailyIndex(IndexTemplates.TIMELINE, e.timestamp(), Instant.now());
        }

        @Override
        public String id(io.vigil.model.TimelineEntry e) {
            return e.id();
        }

        @Override
        public byte[] source(io.vigil.model.TimelineEntry e) {
            return io.vigil.jobs.incident.IncidentDocuments.write(e).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Webhook delivery attempts into {@code vigil-deliveries-YYYY.MM.DD} by attempt time, one document per attempt. */
    public static final class Deliveries implements DocumentMapper<io.vigil.connectors.webhook.DeliveryAttempt> {
        private static final long serialVersionUID = 1L;

        @Override
        public String index(io.vigil.connectors.webhook.DeliveryAttempt a) {
            return IndexTemplates.dailyIndex(IndexTemplates.DELIVERIES, Instant.ofEpochMilli(a.startedAt()));
        }

        @Override
        public String id(io.vigil.connectors.webhook.DeliveryAttempt a) {
            return io.vigil.jobs.webhook.DeliveryDocuments.id(a);
        }

        @Override
        public byte[] source(io.vigil.connectors.webhook.DeliveryAttempt a) {
            return io.vigil.jobs.webhook.DeliveryDocuments.write(a).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Outcomes of rules control records into {@code vigil-rules}, under the record's id. */
    public static final class RuleOutcomes implements DocumentMapper<io.vigil.jobs.live.RuleOutcome> {
        private static final long serialVersionUID = 1L;

        @Override
        public String index(io.vigil.jobs.live.RuleOutcome o) {
            return IndexTemplates.RULES;
        }

        @Override
        public String id(io.vigil.jobs.live.RuleOutcome o) {
            return o.recordId();
        }

        @Override
        public byte[] source(io.vigil.jobs.live.RuleOutcome o) {
            return io.vigil.jobs.live.RulesDocuments.write(o).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Per-rule numbers of evaluation subtasks into {@code vigil-rules}, one document per slot, subtask and rule. */
    public static final class RuleStats implements DocumentMapper<io.vigil.jobs.detect.RuleStatsReport> {
        private static final long serialVersionUID = 1L;

        @Override
        public String index(io.vigil.jobs.detect.RuleStatsReport r) {
            return IndexTemplates.RULES;
        }

        @Override
        public String id(io.vigil.jobs.detect.RuleStatsReport r) {
            return io.vigil.jobs.live.RulesDocuments.statsId(r);
        }

        @Override
        public byte[] source(io.vigil.jobs.detect.RuleStatsReport r) {
            return io.vigil.jobs.live.RulesDocuments.write(r).getBytes(StandardCharsets.UTF_8);
        }
    }
}
