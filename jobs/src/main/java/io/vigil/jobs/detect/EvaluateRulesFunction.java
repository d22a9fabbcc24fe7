package io.vigil.jobs.detect;

import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleEvaluator;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RulePack;
import io.vigil.rules.RuleSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the rules on each event and emits one {@link RuleHit} per rule that matched it. Stateless:
 * the Drools session it keeps is emptied after every event, so nothing needs restoring.
 */
public final class EvaluateRulesFunction extends ProcessFunction<SecurityEvent, RuleHit> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EvaluateRulesFunction.class);

    private final RuleSet rules;
    private transient RuleEvaluator evaluator;

    public EvaluateRulesFunction(RuleSet rules) {
        this.rules = rules;
    }

    @Override
    public void open(OpenContext openContext) {
        // each task compiles the DRL once; only the rules the client verified may fire
        evaluator = RulePack.compile(rules.sources()).newEvaluator(rules.active().keySet());
        // once per task: a pack the prefilter cannot read still works, only slower (every event
        // goes through the session), and this line is where that shows
        String off = evaluator.prefilter().disabledBecause();
        if (off == null) {
            LOG.info("rule evaluation: events no active rule can fire on skip the Drools session");
        } else {
            LOG.info("rule evaluation: every event goes through the Drools session ({})", off);
        }
    }

    @Override
    public void processElement(SecurityEvent event, Context ctx, Collector<RuleHit> out) {
        for (RuleHit hit : evaluator.evaluate(event)) {
            out.collect(hit);
        }
    }

    @Override
    public void close() {
        if (evaluator != null) {
            evaluator.close();
        }
    }
}
