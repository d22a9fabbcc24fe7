package io.vigil.jobs.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.jobs.detect.AlertDocuments;
import io.vigil.jobs.incident.IncidentDocuments;
import io.vigil.model.Alert;
import io.vigil.model.EcsJson;
import io.vigil.model.Incident;
import io.vigil.model.KeyEvent;
import io.vigil.model.MassActivity;
import io.vigil.model.RuleProvenance;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The payload an endpoint receives. Every format is JSON; none puts event data anywhere but the
 * body.
 */
public enum WebhookFormat {

    /** Vigil's own compact JSON: {@code {"type": "vigil.alert", "version": 1, …}}. */
    GENERIC("generic"),
    /** The document as indexed in Elasticsearch (ECS field names). */
    ECS("ecs"),
    /** A Slack-compatible message ({@code text} plus a {@code blocks} section), for chat-ops. */
    SLACK("slack");

    public static final String CONTENT_TYPE = "application/json";
    public static final int PAYLOAD_VERSION = 1;

    private final String word;

    WebhookFormat(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    public static WebhookFormat of(String word) {
        for (WebhookFormat f : values()) {
            if (f.word.equals(word)) {
                return f;
            }
        }
        throw new IllegalArgumentException("format must be generic, ecs or slack: " + word);
    }

    public String render(Alert a) {
        return switch (this) {
            case GENERIC -> EcsJson.toJson(generic(a));
            case ECS -> AlertDocuments.write(a);
            case SLACK -> slack(alertText(a));
        };
    }

    public String render(Incident i) {
        return switch (this) {
            case GENERIC -> EcsJson.toJson(generic(i));
            case ECS -> IncidentDocuments.write(i);
            case SLACK -> slack(incidentText(i));
        };
    }

    static ObjectNode generic(Alert a) {
        ObjectNode root = EcsJson.MAPPER.createObjectNode();
        root.put("type", "vigil.alert");
        root.put("version", PAYLOAD_VERSION);
        root.put("id", a.id());
        root.put("timestamp", a.timestamp().toString());
        ObjectNode rule = root.putObject("rule");
        rule.put("id", a.ruleId());
        rule.put("version", a.ruleVersion());
        rule.put("name", a.ruleName());
        rule.put("description", a.description());
        RuleProvenance provenance = a.provenance();
        rule.put("ruleset", provenance.ruleset());
        strings(rule.putArray("authors"), provenance.authors());
        if (provenance.license() != null) {
            rule.put("license", provenance.license());
        }
        strings(rule.putArray("references"), provenance.references());
        if (provenance.status() != null) {
            rule.put("status", provenance.status());
        }
        root.put("severity", a.severity());
        root.put("risk_score", a.riskScore());
        strings(root.putArray("tactics"), a.tactics());
        strings(root.putArray("techniques"), a.techniques());
        strings(root.putArray("tags"), a.tags());
        root.putObject("group").put("field", a.groupBy()).put("value", a.groupKey());
        ObjectNode entities = root.putObject("entities");
        a.entities().forEach(entities::put);
        root.put("count", a.count());
        root.put("first_event_time", a.firstEventTime().toString());
        root.put("last_event_time", a.lastEventTime().toString());
        ArrayNode keys = root.putArray("key_events");
        for (KeyEvent k : a.keyEvents()) {
            ObjectNode kn = keys.addObject();
            kn.put("time", k.time().toString());
            kn.put("origin", k.origin().toString());
            if (k.value() != null) {
                kn.put("value", k.value());
            }
        }
        MassActivity m = a.massActivity();
        if (m != null) {
            ObjectNode mass = root.putObject("mass_activity");
            mass.put("window_start", m.windowStart().toString());
            mass.put("window_end", m.windowEnd().toString());
            mass.put("group_field", m.groupBy());
            mass.put("alerts", m.alerts());
            mass.put("keys", m.keys());
            strings(mass.putArray("sample_keys"), m.sampleKeys());
        }
        return root;
    }

    static ObjectNode generic(Incident i) {
        ObjectNode root = EcsJson.MAPPER.createObjectNode();
        root.put("type", "vigil.incident");
        root.put("version", PAYLOAD_VERSION);
        root.put("id", i.id());
        root.put("change", i.version());
        root.put("title", i.title());
        root.put("severity", i.severity());
        root.put("risk_score", i.riskScore());
        root.put("first_seen", i.firstSeen().toString());
        root.put("last_seen", i.lastSeen().toString());
        root.put("alert_count", i.alertCount());
        strings(root.putArray("rule_ids"), i.ruleIds());
        strings(root.putArray("tactics"), i.tacticIds());
        ObjectNode entities = root.putObject("entities");
        strings(entities.putArray("users"), i.users());
        strings(entities.putArray("target_users"), i.targetUsers());
        strings(entities.putArray("hosts"), i.hosts());
        strings(entities.putArray("source_ips"), i.sourceIps());
        if (i.mergedInto() != null) {
            root.put("merged_into", i.mergedInto());
        }
        return root;
    }

    static String alertText(Alert a) {
        StringBuilder s = new StringBuilder();
        s.append('[').append(a.severity().toUpperCase(Locale.ROOT)).append("] ").append(a.ruleName());
        String attribution = a.provenance().attribution();
        if (attribution != null) {
            s.append(" (").append(attribution).append(')');
        }
        s.append(": ").append(a.groupBy()).append(' ').append(a.groupKey());
        for (Map.Entry<String, String> e : a.entities().entrySet()) {
            if (!e.getKey().equals(a.groupBy())) {
                s.append(", ").append(e.getKey()).append(' ').append(e.getValue());
            }
        }
        s.append(" (").append(a.count()).append(a.count() == 1 ? " event, " : " events, ")
                .append(a.firstEventTime()).append(" to ").append(a.lastEventTime()).append("; alert ")
                .append(a.id()).append(')');
        return s.toString();
    }

    static String incidentText(Incident i) {
        String what = i.mergedInto() != null ? "merged into " + i.mergedInto()
                : i.version() <= 1 ? "opened" : "updated";
        return "[" + (i.severity() == null ? "?" : i.severity().toUpperCase(Locale.ROOT)) + "] incident " + i.id()
                + " " + what + ": " + i.title() + " (" + i.alertCount() + (i.alertCount() == 1 ? " alert" : " alerts")
                + ", risk " + i.riskScore() + ", " + i.firstSeen() + " to " + i.lastSeen() + ")";
    }

    /** A Slack message: the text, escaped as Slack asks (&amp;, &lt;, &gt;), so log content cannot form links or mentions. */
    static String slack(String text) {
        String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        ObjectNode root = EcsJson.MAPPER.createObjectNode();
        root.put("text", escaped);
        ObjectNode section = root.putArray("blocks").addObject();
        section.put("type", "section");
        section.putObject("text").put("type", "mrkdwn").put("text", escaped);
        return EcsJson.toJson(root);
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
