package io.vigil.rules;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When a rule that keeps failing is taken out of one evaluator: after {@code after} failures in a
 * row <em>of the same part of the rule</em> (one condition, or the consequence), with no success
 * of that part in between. A condition succeeds each time it is evaluated without throwing (it
 * accepts or rejects the event); a consequence each time it runs to its end.
 *
 * <p>Why this policy: a rule that fails on every event reaching it is broken, and each failure
 * costs time and a dead letter, so it stops after a bounded number. A rule that fails only on
 * some crafted input is not switched off by that input while ordinary events keep reaching the
 * failing condition: an attacker has to be the only traffic that condition sees, {@code after}
 * times in a row. Counting per condition (not per event) keeps events the rule's first
 * conditions reject from resetting the count of a condition further down that always throws.
 */
final class Quarantine {

    /** The consequence of a rule, as a part that fails and succeeds. */
    static String consequence(String rule) {
        return "then:" + rule;
    }

    /** The network of a rule Vigil cannot guard (joins, eval), as a part that fails and succeeds. */
    static String network(String rule) {
        return "network:" + rule;
    }

    /** The detection of a Sigma rule, as a part that fails and succeeds. */
    static String sigma(String rule) {
        return "sigma:" + rule;
    }

    private final int after;
    private final int[] conditionStreaks;
    private final Map<String, Integer> partStreaks = new HashMap<>();
    private final Map<String, RuleError> due = new LinkedHashMap<>();

    /** @param after failures in a row that quarantine; 0 never does */
    Quarantine(int after, int conditions) {
        if (after < 0) {
            throw new IllegalArgumentException("quarantine after must be 0 (never) or more, not " + after);
        }
        this.after = after;
        this.conditionStreaks = new int[conditions];
    }

    int after() {
        return after;
    }

    void conditionSucceeded(int condition) {
        conditionStreaks[condition] = 0;
    }

    /** Condition {@code condition} of {@code rules} (the active rules it feeds) failed with {@code error}. */
    void conditionFailed(int condition, Collection<String> rules, RuleError error) {
        if (after > 0 && ++conditionStreaks[condition] >= after) {
            rules.forEach(r -> due.putIfAbsent(r, error));
        }
    }

    /**
     * The consequence of {@code rule} ran without failing: called on every match fired, so the part's
     * name is only built when a streak is going.
     */
    void consequenceSucceeded(String rule) {
        if (!partStreaks.isEmpty()) {
            partStreaks.remove(consequence(rule));
        }
    }

    /** The network part of {@code rule} ran without failing (once per event; named only when a streak is going). */
    void networkSucceeded(String rule) {
        if (!partStreaks.isEmpty()) {
            partStreaks.remove(network(rule));
        }
    }

    /** {@code part} of a rule ({@link #consequence}, {@link #network}) ran without failing. */
    void partSucceeded(String part) {
        if (!partStreaks.isEmpty()) {
            partStreaks.remove(part);
        }
    }

    /** {@code part} of {@code rule} failed with {@code error}. */
    void partFailed(String part, String rule, RuleError error) {
        if (after > 0 && partStreaks.merge(part, 1, Integer::sum) >= after) {
            due.putIfAbsent(rule, error);
        }
    }

    /** The rules due for quarantine since the last call, each with its last error; clears them. */
    Map<String, RuleError> takeDue() {
        if (due.isEmpty()) {
            return Map.of();
        }
        Map<String, RuleError> out = new LinkedHashMap<>(due);
        due.clear();
        return out;
    }

    /** Forgets the streaks of {@code rule}'s parts (it is quarantined: nothing of it runs any more). */
    void forget(String rule) {
        partStreaks.remove(consequence(rule));
        partStreaks.remove(network(rule));
        partStreaks.remove(sigma(rule));
    }
}
