package io.vigil.jobs.wiring;

import io.vigil.jobs.config.VigilConfig;
import io.vigil.rules.verify.RuleSet;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The rules a configuration names: the packaged pack, or the DRL directory of {@code detection.rules}. */
public final class RuleSets {

    private static final Logger LOG = LoggerFactory.getLogger(RuleSets.class);

    private RuleSets() {}

    /** The rules the configuration names, verified; each rule problem is logged once. */
    public static RuleSet load(VigilConfig config) throws IOException {
        RuleSet rules = RuleSet.verified(config.ruleSources());
        rules.problems().forEach(p -> LOG.warn("rule problem: {}", p));
        return rules;
    }
}
