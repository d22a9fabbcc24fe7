package io.vigil.rules;

/**
 * What one evaluator counted for one rule since it was made (cumulative): hits that stand, hits an
 * exception covered, events the rule failed on, and the evaluation time attributable to it.
 *
 * <p>{@code evalNanos} of a Sigma rule is the time its compiled matcher took on the events its log
 * source and index made it a candidate for; of a DRL rule, the time its consequence took when it
 * fired. Work shared by all rules is under pseudo-ids: {@link #DROOLS} (the prefilter and the
 * Drools network: inserting, matching the conditions, firing, clearing, less the consequences),
 * {@link #SIGMA} (reading the event's fields, choosing log sources and candidates, less the
 * rules' matchers) and {@link #EXCEPTIONS} (looking the hits up in the exceptions). The shares add
 * up to the whole time spent in {@link RuleEvaluator#evaluateWithErrors}, the partition of hits
 * and the bookkeeping aside. Pseudo-ids have no hits, excepted or errors.
 *
 * @param hits hits given (not excepted)
 * @param excepted hits an exception covered (not given)
 * @param errors events the rule failed on
 * @param evalNanos evaluation time attributable to the rule, in nanoseconds
 */
public record RuleStats(long hits, long excepted, long errors, long evalNanos) {

    /** The Drools network's time shared by the DRL rules. */
    public static final String DROOLS = "(drools)";
    /** The Sigma matcher's time shared by the Sigma rules. */
    public static final String SIGMA = "(sigma)";
    /** The time spent looking hits up in the exceptions. */
    public static final String EXCEPTIONS = "(exceptions)";

    public static final RuleStats ZERO = new RuleStats(0, 0, 0, 0);
}
