package io.vigil.jobs.incident;

import static io.vigil.jobs.io.JsonTrees.array;
import static io.vigil.jobs.io.JsonTrees.put;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.EcsJson;
import io.vigil.model.Incident;
import io.vigil.model.TimelineEntry;
import io.vigil.rules.Attack;
import java.util.List;
import java.util.Map;

/**
 * Incidents and timeline entries as Elasticsearch documents ({@code vigil-incidents},
 * {@code vigil-timeline-*}; mappings in the connectors' index templates).
 *
 * <p>An incident is written in two parts: {@link #streamFields} (what the stream owns: entities,
 * counts, rules, severity, risk, tactics) as the partial document of an update, and
 * {@link #created} (those plus {@code status: open}) as the document the update creates when the
 * incident is new. The analysts' fields ({@code status}, {@code assignee}, {@code close_reason})
 * are thus never overwritten by the stream, nor by a replay.
 */
public final class IncidentDocuments {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Fields only analysts change once the incident exists. */
    public static final List<String> ANALYST_FIELDS = List.of("status", "assignee", "close_reason", "status_changed");

    private IncidentDocuments() {}

    /** The fields the stream owns. */
    public static ObjectNode streamFields(Incident i) {
        ObjectNode root = NODES.objectNode();
        root.put("@timestamp", i.lastSeen().toString());
        root.putObject("event").put("kind", "incident");
        ObjectNode inc = root.putObject("vigil").putObject("incident");
        inc.put("id", i.id());
        inc.put("title", i.title());
        inc.put("first_seen", i.firstSeen().toString());
        inc.put("last_seen", i.lastSeen().toString());
        inc.put("alert_count", i.alertCount());
        inc.set("rule_ids", array(i.ruleIds()));
        inc.put("severity", i.severity());
        inc.put("risk_score", i.riskScore());
        inc.set("tactic_ids", array(i.tacticIds()));
        inc.set("tactics", array(Attack.tacticNames(i.tacticIds())));
        if (i.mergedInto() != null) {
            inc.put("merged_into", i.mergedInto());
        }
        if (!i.linkedTo().isEmpty()) {
            inc.set("linked_to", array(i.linkedTo()));
        }
        inc.put("version", i.version());
        entities(root, i.users(), i.targetUsers(), i.hosts(), i.sourceIps());
        return root;
    }

    /** The whole document of a new incident: the stream's fields and the analyst fields' initial values. */
    public static ObjectNode created(Incident i) {
        ObjectNode root = streamFields(i);
        ObjectNode inc = (ObjectNode) root.path("vigil").path("incident");
        inc.put("status", i.status());
        if (i.assignee() != null) {
            inc.put("assignee", i.assignee());
        }
        if (i.closeReason() != null) {
            inc.put("close_reason", i.closeReason());
        }
        return root;
    }

    public static ObjectNode timeline(TimelineEntry e) {
        ObjectNode root = NODES.objectNode();
        root.put("@timestamp", e.timestamp().toString());
        root.putObject("event").put("kind", "timeline");
        ObjectNode t = root.putObject("vigil").putObject("timeline");
        t.put("id", e.id());
        t.put("incident_id", e.incidentId());
        t.put("kind", e.kind());
        if (e.summary() != null) {
            t.put("summary", e.summary());
        }
        if (e.severity() != null) {
            t.put("severity", e.severity());
        }
        if (e.refIndex() != null || e.refId() != null || e.refOrigin() != null) {
            ObjectNode ref = t.putObject("ref");
            putIf(ref, "index", e.refIndex());
            putIf(ref, "id", e.refId());
            putIf(ref, "origin", e.refOrigin());
        }
        putIf(t, "action", e.action());
        putIf(t, "actor", e.actor());
        putIf(t, "reason", e.reason());
        if (e.ruleId() != null) {
            ObjectNode rule = root.putObject("rule");
            rule.put("id", e.ruleId());
            putIf(rule, "name", e.ruleName());
        }
        if (!e.tacticIds().isEmpty()) {
            root.putObject("threat").putObject("tactic").set("name", array(Attack.tacticNames(e.tacticIds())));
        }
        for (Map.Entry<String, String> en : e.entities().entrySet()) {
            put(root, en.getKey(), en.getValue());
        }
        return root;
    }

    public static String write(Incident i) {
        return EcsJson.toJson(created(i));
    }

    public static String write(TimelineEntry e) {
        return EcsJson.toJson(timeline(e));
    }

    private static void entities(ObjectNode root, List<String> users, List<String> targets, List<String> hosts,
                                 List<String> ips) {
        if (!users.isEmpty() || !targets.isEmpty()) {
            ObjectNode user = root.putObject("user");
            if (!users.isEmpty()) {
                user.set("name", array(users));
            }
            if (!targets.isEmpty()) {
                user.putObject("target").set("name", array(targets));
            }
        }
        if (!hosts.isEmpty()) {
            root.putObject("host").set("name", array(hosts));
        }
        if (!ips.isEmpty()) {
            root.putObject("source").set("ip", array(ips));
        }
    }


    private static void putIf(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

}
