package io.vigil.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A detection: one rule fired for one entity over one window or sequence of events.
 *
 * <p>The id is derived from (rule id, group key, the first event of the window or sequence that
 * fired it), so a replay or a restore yields the same id again and documents are overwritten, not
 * duplicated (docs/architecture.md, invariant 4). A later copy with the same id only carries more
 * {@code suppressedCount} and a later {@code lastEventTime}.
 *
 * @param id deterministic id
 * @param timestamp event time of detection (the event that completed the window or sequence)
 * @param ruleId the rule's stable id ({@code ssh-brute-force})
 * @param ruleVersion the rule's version
 * @param ruleName human name
 * @param description what the rule detects
 * @param severity {@code low}, {@code medium}, {@code high} or {@code critical}
 * @param riskScore 0–100
 * @param tactics MITRE ATT&CK tactic ids ({@code TA0006})
 * @param techniques MITRE ATT&CK technique ids ({@code T1110.001})
 * @param tags the rule's tags
 * @param groupBy the ECS field the rule groups by ({@code source.ip})
 * @param groupKey that field's value for this alert
 * @param entities ECS entity fields of the contributing events ({@code source.ip}, {@code user.name},
 *     {@code host.name}, …), each the value seen last
 * @param count events that made the detection
 * @param suppressedCount matching events for the same rule and entity within the suppression
 *     period after the detection, which did not alert again
 * @param firstEventTime time of the first contributing event
 * @param lastEventTime time of the last contributing (or suppressed) event
 * @param origins where the contributing events came from, at most {@link #MAX_ORIGINS}
 * @param originsTotal how many contributing events there were in all
 * @param keyEvents the first contributing events and the one that completed the alert, at most
 *     {@link #MAX_KEY_EVENTS}, for incident timelines
 * @param massActivity for a mass-activity alert, what it aggregates; {@code null} for every other alert
 * @param provenance the rule's ruleset, authors, licence, references and status; {@code null} reads
 *     as {@link RuleProvenance#UNKNOWN_VIGIL} (an alert checkpointed before provenance existed, when
 *     every rule was Vigil's own)
 * @param context ECS fields Vigil's context stage adds to the alert, by dotted name: the matched
 *     indicator ({@code threat.indicator.*}, {@code threat.feed.*}), places ({@code source.geo.*}),
 *     what the alert touches ({@code host.asset.*}, {@code vigil.identity.*}) and
 *     {@code vigil.alert.retro}; empty for an alert without context
 */
public record Alert(
        String id,
        Instant timestamp,
        String ruleId,
        int ruleVersion,
        String ruleName,
        String description,
        String severity,
        int riskScore,
        List<String> tactics,
        List<String> techniques,
        List<String> tags,
        String groupBy,
        String groupKey,
        Map<String, String> entities,
        long count,
        long suppressedCount,
        Instant firstEventTime,
        Instant lastEventTime,
        List<Origin> origins,
        long originsTotal,
        List<KeyEvent> keyEvents,
        MassActivity massActivity,
        RuleProvenance provenance,
        Map<String, String> context) {

    /** Origins kept on an alert; the full count is in {@code originsTotal}. */
    public static final int MAX_ORIGINS = 20;

    /** Contributing events kept with their times: the first ones and the completing one. */
    public static final int MAX_KEY_EVENTS = 5;

    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(ruleId, "ruleId");
        tactics = immutable(tactics);
        techniques = immutable(techniques);
        tags = immutable(tags);
        origins = origins == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(origins));
        keyEvents = keyEvents == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(keyEvents));
        entities = entities == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(entities));
        provenance = provenance == null ? RuleProvenance.UNKNOWN_VIGIL : provenance;
        context = context == null || context.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(context));
    }

    /** An alert without context fields. */
    public Alert(String id, Instant timestamp, String ruleId, int ruleVersion, String ruleName, String description,
                 String severity, int riskScore, List<String> tactics, List<String> techniques, List<String> tags,
                 String groupBy, String groupKey, Map<String, String> entities, long count, long suppressedCount,
                 Instant firstEventTime, Instant lastEventTime, List<Origin> origins, long originsTotal,
                 List<KeyEvent> keyEvents, MassActivity massActivity, RuleProvenance provenance) {
        this(id, timestamp, ruleId, ruleVersion, ruleName, description, severity, riskScore, tactics, techniques, tags,
                groupBy, groupKey, entities, count, suppressedCount, firstEventTime, lastEventTime, origins,
                originsTotal, keyEvents, massActivity, provenance, null);
    }

    /** An alert without provenance (read as {@link RuleProvenance#UNKNOWN_VIGIL}). */
    public Alert(String id, Instant timestamp, String ruleId, int ruleVersion, String ruleName, String description,
                 String severity, int riskScore, List<String> tactics, List<String> techniques, List<String> tags,
                 String groupBy, String groupKey, Map<String, String> entities, long count, long suppressedCount,
                 Instant firstEventTime, Instant lastEventTime, List<Origin> origins, long originsTotal,
                 List<KeyEvent> keyEvents, MassActivity massActivity) {
        this(id, timestamp, ruleId, ruleVersion, ruleName, description, severity, riskScore, tactics, techniques, tags,
                groupBy, groupKey, entities, count, suppressedCount, firstEventTime, lastEventTime, origins,
                originsTotal, keyEvents, massActivity, null);
    }

    /** An alert of one rule and key (not a mass-activity alert). */
    public Alert(String id, Instant timestamp, String ruleId, int ruleVersion, String ruleName, String description,
                 String severity, int riskScore, List<String> tactics, List<String> techniques, List<String> tags,
                 String groupBy, String groupKey, Map<String, String> entities, long count, long suppressedCount,
                 Instant firstEventTime, Instant lastEventTime, List<Origin> origins, long originsTotal,
                 List<KeyEvent> keyEvents) {
        this(id, timestamp, ruleId, ruleVersion, ruleName, description, severity, riskScore, tactics, techniques, tags,
                groupBy, groupKey, entities, count, suppressedCount, firstEventTime, lastEventTime, origins,
                originsTotal, keyEvents, null, null);
    }

    private static List<String> immutable(List<String> values) {
        return values == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(values));
    }

    /** The same alert with more suppressed events, the last of them at {@code last}. */
    public Alert withSuppressed(long suppressed, Instant last) {
        return new Alert(id, timestamp, ruleId, ruleVersion, ruleName, description, severity, riskScore, tactics,
                techniques, tags, groupBy, groupKey, entities, count, suppressed,
                firstEventTime, last.isAfter(lastEventTime) ? last : lastEventTime, origins, originsTotal, keyEvents,
                massActivity, provenance, context);
    }

    /** The same alert with {@code more} context fields (added to, and overriding, its own) and {@code risk}. */
    public Alert withContext(Map<String, String> more, int risk) {
        Map<String, String> all = new TreeMap<>(context);
        all.putAll(more);
        return new Alert(id, timestamp, ruleId, ruleVersion, ruleName, description, severity, risk, tactics,
                techniques, tags, groupBy, groupKey, entities, count, suppressedCount, firstEventTime, lastEventTime,
                origins, originsTotal, keyEvents, massActivity, provenance, all);
    }
}
