package io.vigil.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Alerts grouped by the entities they share, as the stream assembles them.
 *
 * <p>{@code status}, {@code assignee} and {@code closeReason} belong to analysts: the stream sets
 * them only when it creates the incident and never overwrites them afterwards (the Elasticsearch
 * document is updated with a partial document that leaves them out).
 *
 * @param id stable across replays: derived from the alert that opened the incident
 * @param title a one-line description for lists
 * @param users {@code user.name} values of the alerts (sorted, at most {@link #MAX_ENTITIES})
 * @param targetUsers {@code user.target.name} values
 * @param hosts {@code host.name} values
 * @param sourceIps {@code source.ip} values
 * @param ruleIds the rules that alerted, sorted
 * @param riskScore 0–100: the highest alert risk, raised by alert count and tactic progression
 * @param tacticIds ATT&CK tactics seen, in kill-chain order
 * @param mergedInto the incident that absorbed this one, or {@code null}
 * @param version increases with every change the stream makes
 * @param linkedTo closed incidents this one continues: an alert of their entities came after
 *     analysts closed them, and opened or joined this one instead (sorted, at most {@link #MAX_LINKED})
 */
public record Incident(
        String id,
        String title,
        String status,
        String assignee,
        String closeReason,
        Instant firstSeen,
        Instant lastSeen,
        List<String> users,
        List<String> targetUsers,
        List<String> hosts,
        List<String> sourceIps,
        long alertCount,
        List<String> ruleIds,
        String severity,
        int riskScore,
        List<String> tacticIds,
        String mergedInto,
        long version,
        List<String> linkedTo) {

    public static final String OPEN = "open";
    public static final String ACKNOWLEDGED = "acknowledged";
    public static final String CLOSED = "closed";
    public static final List<String> STATUSES = List.of(OPEN, ACKNOWLEDGED, CLOSED);

    /** Values kept per entity kind. */
    public static final int MAX_ENTITIES = 50;

    /** Closed incidents one incident names as continued. */
    public static final int MAX_LINKED = 20;

    public Incident {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        users = copy(users);
        targetUsers = copy(targetUsers);
        hosts = copy(hosts);
        sourceIps = copy(sourceIps);
        ruleIds = copy(ruleIds);
        tacticIds = copy(tacticIds);
        linkedTo = copy(linkedTo);
    }

    /** An incident that continues no closed incident. */
    public Incident(String id, String title, String status, String assignee, String closeReason, Instant firstSeen,
                    Instant lastSeen, List<String> users, List<String> targetUsers, List<String> hosts,
                    List<String> sourceIps, long alertCount, List<String> ruleIds, String severity, int riskScore,
                    List<String> tacticIds, String mergedInto, long version) {
        this(id, title, status, assignee, closeReason, firstSeen, lastSeen, users, targetUsers, hosts, sourceIps,
                alertCount, ruleIds, severity, riskScore, tacticIds, mergedInto, version, List.of());
    }

    private static List<String> copy(List<String> values) {
        return values == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(values));
    }
}
