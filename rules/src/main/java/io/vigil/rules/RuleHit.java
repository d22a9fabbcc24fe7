package io.vigil.rules;

import io.vigil.model.Origin;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One event matching one rule, reduced to what correlation keeps: time, origin, the group key,
 * the sequence step or distinct value, and the entity fields an alert reports.
 *
 * @param ruleId the rule
 * @param groupKey the value of the rule's group-by field for this event
 * @param timestamp the event's time
 * @param origin where the event came from
 * @param sequence the event's {@code event.sequence} (orders events of one record), or 0
 * @param step the sequence step ({@link Signal#FIRST}/{@link Signal#THEN}), or {@code null}
 * @param value the distinct value, or {@code null}
 * @param entities the event's entity fields by ECS name ({@code source.ip}, {@code user.name}, …)
 */
public record RuleHit(
        String ruleId,
        String groupKey,
        Instant timestamp,
        Origin origin,
        long sequence,
        String step,
        String value,
        Map<String, String> entities) {

    public RuleHit {
        entities = entities == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(entities));
    }

    /**
     * Event-time order with deterministic ties (origin, then sequence), so hits shuffled within
     * the out-of-orderness bound are processed exactly as if they had arrived in order.
     */
    public static final java.util.Comparator<RuleHit> ORDER = java.util.Comparator
            .comparing(RuleHit::timestamp)
            .thenComparing(h -> h.origin().source())
            .thenComparing(h -> h.origin().partition() == null ? -1 : h.origin().partition())
            .thenComparingLong(h -> h.origin().offset())
            .thenComparingLong(RuleHit::sequence)
            .thenComparing(RuleHit::ruleId);

    /** The key correlation state is partitioned by. */
    public String stateKey() {
        return ruleId + "\u0000" + groupKey;
    }
}
