package io.vigil.context;

import io.vigil.model.Alert;
import io.vigil.model.EcsJson;
import io.vigil.model.Ids;
import io.vigil.model.KeyEvent;
import io.vigil.model.Origin;
import io.vigil.model.RuleProvenance;
import io.vigil.model.SecurityEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the alert of a context detection the way correlation builds a rule's: the id from the
 * rule, the group key and the first contributing event (docs/architecture.md, invariant 4), the
 * entity fields of the last event, the key events for the timeline.
 */
public final class ContextAlert {

    /** The entity fields an alert reports (the same as a rule's alert). */
    public static final List<String> ENTITY_FIELDS = List.of(
            "source.ip", "source.domain", "destination.ip", "user.name", "user.domain", "user.target.name",
            "host.name", "cloud.account.id");

    private ContextAlert() {}

    /**
     * The alert of {@code rule} for {@code groupKey} (the value of {@code groupBy}) made by
     * {@code events} (first to last, at least one; at most {@link Alert#MAX_KEY_EVENTS} kept),
     * with {@code context} fields.
     */
    public static Alert of(ContextRule rule, String groupBy, String groupKey, List<SecurityEvent> events,
                           Map<String, String> context) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("an alert needs at least one event");
        }
        SecurityEvent first = events.get(0);
        SecurityEvent last = events.get(events.size() - 1);
        List<Origin> origins = new ArrayList<>();
        List<KeyEvent> keyEvents = new ArrayList<>();
        for (SecurityEvent e : events) {
            if (origins.size() < Alert.MAX_ORIGINS) {
                origins.add(e.origin());
            }
            if (keyEvents.size() < Alert.MAX_KEY_EVENTS) {
                keyEvents.add(new KeyEvent(e.timestamp(), e.origin(), null));
            }
        }
        return new Alert(id(rule.id(), groupKey, first), last.timestamp(), rule.id(), rule.version(), rule.name(),
                rule.description(), rule.severity(), rule.riskScore(), rule.tactics(), rule.techniques(), rule.tags(),
                groupBy, groupKey, entities(last), events.size(), 0, first.timestamp(), last.timestamp(), origins,
                events.size(), keyEvents, null, RuleProvenance.UNKNOWN_VIGIL, context);
    }

    /** The id of the alert of {@code ruleId} and {@code groupKey} whose first event is {@code first} (as correlation's). */
    public static String id(String ruleId, String groupKey, SecurityEvent first) {
        return Ids.of(ruleId, groupKey, String.valueOf(first.timestamp().toEpochMilli()), first.origin().toString());
    }

    /** The entity fields {@code e} has, by name. */
    public static Map<String, String> entities(SecurityEvent e) {
        Map<String, String> entities = new TreeMap<>();
        for (String field : ENTITY_FIELDS) {
            String v = EcsJson.value(e, field);
            if (v != null && !v.isEmpty()) {
                entities.put(field, v);
            }
        }
        return entities;
    }
}
