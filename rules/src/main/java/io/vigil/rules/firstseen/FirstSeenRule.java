package io.vigil.rules.firstseen;

import io.vigil.model.SecurityEvent;
import java.io.Serializable;
import java.util.List;

/**
 * A first-seen (new terms) rule: among the events its filter accepts, the tuple of its
 * {@code valueFields} is remembered per tuple of its {@code keyFields}; once the key has been seen
 * for {@code learningMs}, a tuple it never had (or not within {@code retentionMs}) raises an alert
 * and is remembered. Declared in a {@code <id>.firstseen.json} file ({@link FirstSeenRules}).
 *
 * @param id stable kebab-case id
 * @param version bumped when what it detects changes
 * @param name human name
 * @param description what it detects
 * @param severity {@code low}, {@code medium}, {@code high} or {@code critical}
 * @param riskScore 0–100
 * @param tactics ATT&CK tactic ids
 * @param techniques ATT&CK technique ids
 * @param tags tags
 * @param falsePositives what else raises it, or null
 * @param references links
 * @param when every condition must hold
 * @param unless no condition may hold
 * @param keyFields 1–3 ECS fields: whose history it is
 * @param valueFields 1–3 ECS fields: what is remembered
 * @param ignoreCase whether key and value tuples are compared without case
 * @param learningMs how long a key's values are learned silently from its first event
 * @param retentionMs how long a value stays known after it was last seen; 0: the configured default
 * @param maxValues values remembered per key; more are neither remembered nor alerted on
 * @param file where it was declared, for messages
 */
public record FirstSeenRule(String id, int version, String name, String description, String severity, int riskScore,
                            List<String> tactics, List<String> techniques, List<String> tags, String falsePositives,
                            List<String> references, List<FieldFilter> when, List<FieldFilter> unless,
                            List<String> keyFields, List<String> valueFields, boolean ignoreCase, long learningMs,
                            long retentionMs, int maxValues, String file) implements Serializable {

    /** The most fields a key or a value tuple has. */
    public static final int MAX_FIELDS = 3;
    /** The retention of the fixtures, and the default of {@code detection.first-seen.retention}. */
    public static final long DEFAULT_RETENTION_MS = java.time.Duration.ofDays(30).toMillis();
    /** Values remembered per key unless the rule says otherwise. */
    public static final int DEFAULT_MAX_VALUES = 1000;
    /** The most a rule may remember per key: bounds the state and the clean-up scan of one key. */
    public static final int MAX_MAX_VALUES = 100_000;

    public FirstSeenRule {
        tactics = List.copyOf(tactics);
        techniques = List.copyOf(techniques);
        tags = List.copyOf(tags);
        references = List.copyOf(references);
        when = List.copyOf(when);
        unless = List.copyOf(unless);
        keyFields = List.copyOf(keyFields);
        valueFields = List.copyOf(valueFields);
    }

    /** Whether the rule looks at {@code event}: every {@code when} condition holds and no {@code unless} one. */
    public boolean accepts(SecurityEvent event) {
        for (FieldFilter f : when) {
            if (!f.matches(event)) {
                return false;
            }
        }
        for (FieldFilter f : unless) {
            if (f.matches(event)) {
                return false;
            }
        }
        return true;
    }

    /** The key tuple of {@code event}, or null when it lacks a key field. */
    public Tuple key(SecurityEvent event) {
        return Tuple.of(event, keyFields, ignoreCase);
    }

    /** The value tuple of {@code event}, or null when it lacks a value field. */
    public Tuple value(SecurityEvent event) {
        return Tuple.of(event, valueFields, ignoreCase);
    }

    /** The group key of the alert on {@code value} for {@code key}: both displays, key first. */
    public static String groupKey(Tuple key, Tuple value) {
        return key.display() + " | " + value.display();
    }

    /** The alert's group-by: the key fields, then the value fields. */
    public String groupBy() {
        return String.join(",", keyFields) + "," + String.join(",", valueFields);
    }

    /** This rule with {@code defaultMs} as its retention when it declares none. */
    public FirstSeenRule withDefaultRetention(long defaultMs) {
        return retentionMs > 0 ? this : new FirstSeenRule(id, version, name, description, severity, riskScore, tactics,
                techniques, tags, falsePositives, references, when, unless, keyFields, valueFields, ignoreCase,
                learningMs, defaultMs, maxValues, file);
    }
}
