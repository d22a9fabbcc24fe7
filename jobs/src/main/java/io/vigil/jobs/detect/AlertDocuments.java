package io.vigil.jobs.detect;

import static io.vigil.jobs.io.JsonTrees.array;
import static io.vigil.jobs.io.JsonTrees.put;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.Alert;
import io.vigil.model.EcsJson;
import io.vigil.model.MassActivity;
import io.vigil.model.Origin;
import io.vigil.model.RuleProvenance;
import io.vigil.rules.Attack;
import java.util.List;
import java.util.Map;

/**
 * An alert as an ECS document: {@code event.kind: alert}, {@code rule.*}, {@code threat.*}
 * (MITRE ATT&CK), {@code event.severity} (Elastic's numeric scale: low 21, medium 47, high 73,
 * critical 99) and {@code event.risk_score}, the entity fields at their ECS names, and Vigil's
 * own details under {@code vigil.alert} (for a mass-activity alert, what it aggregates under
 * {@code vigil.alert.mass_activity}). The rule's provenance is at ECS {@code rule.ruleset},
 * {@code rule.author} (an array), {@code rule.license}, {@code rule.reference} (an array), and its
 * Sigma status at {@code vigil.rule.status}; absent values are left out.
 */
public final class AlertDocuments {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The context field of an alert raised on past events (retro-hunt), written as a boolean. */
    public static final String RETRO = io.vigil.context.intel.IntelAlert.RETRO;

    private AlertDocuments() {}

    public static int severityNumber(String severity) {
        return switch (severity) {
            case "low" -> 21;
            case "medium" -> 47;
            case "high" -> 73;
            case "critical" -> 99;
            default -> 0;
        };
    }

    public static ObjectNode toTree(Alert a) {
        ObjectNode root = NODES.objectNode();
        root.put("@timestamp", a.timestamp().toString());
        ObjectNode event = root.putObject("event");
        event.put("kind", "alert");
        event.put("id", a.id());
        event.put("severity", severityNumber(a.severity()));
        event.put("risk_score", a.riskScore());
        event.put("start", a.firstEventTime().toString());
        event.put("end", a.lastEventTime().toString());
        ObjectNode rule = root.putObject("rule");
        rule.put("id", a.ruleId());
        rule.put("name", a.ruleName());
        rule.put("version", String.valueOf(a.ruleVersion()));
        rule.put("description", a.description());
        RuleProvenance provenance = a.provenance();
        rule.put("ruleset", provenance.ruleset());
        if (!provenance.authors().isEmpty()) {
            rule.set("author", array(provenance.authors()));
        }
        if (provenance.license() != null) {
            rule.put("license", provenance.license());
        }
        if (!provenance.references().isEmpty()) {
            rule.set("reference", array(provenance.references()));
        }
        ObjectNode threat = root.putObject("threat");
        threat.put("framework", "MITRE ATT&CK");
        ObjectNode tactic = threat.putObject("tactic");
        tactic.set("id", array(a.tactics()));
        tactic.set("name", array(Attack.tacticNames(a.tactics())));
        ObjectNode technique = threat.putObject("technique");
        technique.set("id", array(a.techniques()));
        technique.set("name", array(Attack.techniqueNames(a.techniques())));
        if (!a.tags().isEmpty()) {
            root.set("tags", array(a.tags()));
        }
        for (Map.Entry<String, String> e : a.entities().entrySet()) {
            put(root, e.getKey(), e.getValue());
        }
        ObjectNode vigilRoot = root.putObject("vigil");
        ObjectNode vigil = vigilRoot.putObject("alert");
        // context fields (threat.indicator.*, source.geo.*, host.asset.*, …) after the fixed ones:
        // their names are Vigil's own (the context stage's), never log content
        for (Map.Entry<String, String> e : a.context().entrySet()) {
            if (RETRO.equals(e.getKey())) {
                vigil.put("retro", Boolean.parseBoolean(e.getValue()));
            } else {
                put(root, e.getKey(), e.getValue());
            }
        }
        vigil.put("severity", a.severity());
        vigil.put("group_by", a.groupBy());
        vigil.put("group_key", a.groupKey());
        vigil.put("count", a.count());
        vigil.put("suppressed_count", a.suppressedCount());
        vigil.put("origins_total", a.originsTotal());
        com.fasterxml.jackson.databind.node.ArrayNode origins = vigil.putArray("origins");
        for (Origin o : a.origins()) {
            ObjectNode on = origins.addObject();
            on.put("kind", o.kind());
            on.put("source", o.source());
            if (o.partition() != null) {
                on.put("partition", o.partition());
            }
            on.put("offset", o.offset());
        }
        if (provenance.status() != null) {
            // ECS has no field for a rule's maturity
            vigilRoot.putObject("rule").put("status", provenance.status());
        }
        MassActivity m = a.massActivity();
        if (m != null) {
            ObjectNode mass = vigil.putObject("mass_activity");
            mass.put("window_start", m.windowStart().toString());
            mass.put("window_end", m.windowEnd().toString());
            mass.put("group_by", m.groupBy());
            mass.put("alerts", m.alerts());
            mass.put("keys", m.keys());
            mass.set("sample_keys", array(m.sampleKeys()));
            mass.put("max_new_keys", m.maxNewKeys());
        }
        return root;
    }

    public static String write(Alert alert) {
        return EcsJson.toJson(toTree(alert));
    }


}
