package io.vigil.model;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One line of an incident's timeline: an alert, a key event that contributed to an alert, or an
 * analyst's action, with a reference to its source document or record.
 *
 * @param id deterministic: the same entry of a replay has the same id
 * @param kind {@link #ALERT}, {@link #EVENT} or {@link #ACTION}; {@link #DELIVERY} only when read
 * @param entities ECS entity fields ({@code user.name}, {@code host.name}, {@code source.ip}, …)
 * @param refIndex index of the referenced document (alerts), or {@code null}
 * @param refId id of the referenced document (the alert id), or {@code null}
 * @param refOrigin where a key event's raw record came from ({@code file:line}, {@code topic/p@offset})
 * @param action {@code ack}, {@code assign} or {@code close} for analyst actions
 * @param actor who acted
 */
public record TimelineEntry(
        String id,
        String incidentId,
        Instant timestamp,
        String kind,
        String summary,
        String ruleId,
        String ruleName,
        String severity,
        List<String> tacticIds,
        Map<String, String> entities,
        String refIndex,
        String refId,
        String refOrigin,
        String action,
        String actor,
        String reason) {

    public static final String ALERT = "alert";
    public static final String EVENT = "event";
    public static final String ACTION = "action";
    /**
     * A webhook delivery attempt of the incident or of one of its alerts: never written to the
     * timeline indices, joined from the delivery attempts when a timeline is read.
     */
    public static final String DELIVERY = "delivery";

    public TimelineEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(incidentId, "incidentId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(kind, "kind");
        tacticIds = tacticIds == null ? List.of() : List.copyOf(tacticIds);
        entities = entities == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(entities));
    }

    /** Timeline order: time, then alerts before their events, then id. */
    public static final java.util.Comparator<TimelineEntry> ORDER = java.util.Comparator
            .comparing(TimelineEntry::timestamp)
            .thenComparing(TimelineEntry::kind)
            .thenComparing(TimelineEntry::id);
}
