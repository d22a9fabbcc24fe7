package io.vigil.jobs.detect;

import io.vigil.rules.RuleMeta;
import io.vigil.rules.verify.RuleSet;
import java.io.Serializable;
import java.util.Map;

/**
 * Which rule correlates a hit: by id, as of an event time. A job with a fixed pack answers from it
 * whatever the time; a job with live rules ({@code io.vigil.jobs.live}) answers from the pack that
 * was effective at that time, so the evaluation that made a hit and the correlation that counts it
 * agree on the rule and its version.
 */
public interface RuleLookup extends Serializable {

    /** The rule {@code ruleId} as of event time {@code time} (epoch ms), or null when no pack has it then. */
    RuleMeta rule(String ruleId, long time);

    /**
     * Whether rules can change while the job runs: then correlation state records the version of
     * the rule that built it, and a new version starts afresh.
     */
    default boolean versioned() {
        return false;
    }

    /** The active rules of a fixed pack. */
    static RuleLookup of(RuleSet rules) {
        Map<String, RuleMeta> active = Map.copyOf(rules.active());
        return (RuleLookup) (ruleId, time) -> active.get(ruleId);
    }
}
