package io.vigil.rules;

import java.util.List;
import java.util.Map;

/** Compiled Sigma rules: what they are, what did not compile, and a matcher per thread. */
public interface SigmaRuleSet {

    /**
     * The Sigma rules that raise alerts (detection rules not consumed by a correlation, or kept
     * by {@code generate: true}) and the correlations, by id.
     */
    Map<String, RuleMeta> rules();

    /** Why some Sigma rules are not active (bad YAML, missing attribute, unknown modifier, …). */
    List<RuleProblem> problems();

    /** Every Sigma document found, with whether it compiled, is unsupported, or has a problem. */
    List<SigmaStatus> statuses();

    /** A new matcher over the compiled rules; not thread-safe, one per evaluator. */
    SigmaMatcher newMatcher();
}
