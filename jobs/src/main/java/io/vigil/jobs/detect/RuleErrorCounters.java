package io.vigil.jobs.detect;

/**
 * Names of what rule evaluation counts about rules that fail: the accumulators a replay reads for
 * its summary, and the per-rule metric. Rule-error dead letters are extra to the decode stage's
 * ({@code records = decoded + dead letters} counts only those): the event itself went on.
 */
public final class RuleErrorCounters {

    /** Events a rule failed on, one per rule and event. */
    public static final String RULE_ERRORS = "vigil.rule_errors";
    /** The same, per rule id ({@code (unknown)} when no rule can be named). */
    public static final String RULE_ERRORS_BY_RULE = "vigil.rule_errors.by_rule";
    /** Rules quarantined, as their rule-problem text, with how many tasks quarantined them. */
    public static final String RULES_QUARANTINED = "vigil.rules.quarantined";

    /** The metric group of one rule ({@code rule=<id>}), and its counter of errors in it. */
    public static final String METRIC_GROUP = "rule";
    public static final String METRIC_RULE_ERRORS = "ruleErrors";

    private RuleErrorCounters() {}
}
