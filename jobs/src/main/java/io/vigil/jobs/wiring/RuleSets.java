package io.vigil.jobs.wiring;

import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.config.VigilOptions;
import io.vigil.rules.verify.RuleSet;
import io.vigil.rules.RuleSource;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The rules a configuration names: the packaged pack, or the DRL directory of {@code rules.dir}. */
public final class RuleSets {

    private static final Logger LOG = LoggerFactory.getLogger(RuleSets.class);

    private RuleSets() {}

    /** The rules the configuration names, verified; each rule problem is logged once. */
    public static RuleSet load(VigilConfig config) throws IOException {
        String dir = config.get(VigilOptions.RULES_DIR);
        RuleSet rules = RuleSet.verified(dir == null ? RuleSource.packaged() : RuleSource.load(Path.of(dir), dir));
        rules.problems().forEach(p -> LOG.warn("rule problem: {}", p));
        return rules;
    }
}
