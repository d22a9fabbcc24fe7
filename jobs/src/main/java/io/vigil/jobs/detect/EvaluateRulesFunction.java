package io.vigil.jobs.detect;

import io.vigil.jobs.metrics.CountMapAccumulator;
import io.vigil.model.DeadLetter;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleError;
import io.vigil.rules.RuleEvaluator;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RulePack;
import io.vigil.rules.RuleProblem;
import io.vigil.rules.exceptions.RuleExceptions;
import io.vigil.rules.verify.RuleSet;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import io.vigil.jobs.metrics.WatermarkLag;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the rules on each event and emits one {@link RuleHit} per rule that matched it. Stateless:
 * the Drools session it keeps is emptied after every event, so nothing needs restoring.
 *
 * <p>A rule that fails on an event never fails the task: the event still goes through every
 * other rule ({@link RuleEvaluator}), and the failure leaves on {@link #RULE_ERRORS} as a
 * {@code rule-error} dead letter, counted per rule ({@link RuleErrorCounters}). A rule that keeps
 * failing is quarantined in this task.
 */
public final class EvaluateRulesFunction extends ProcessFunction<SecurityEvent, RuleHit> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(EvaluateRulesFunction.class);

    /** Where the dead letters of rules that failed on an event go. */
    public static final OutputTag<DeadLetter> RULE_ERRORS = new OutputTag<>("rule-errors") {};

    private final RuleSet rules;
    private final int quarantineAfter;
    private final RuleExceptions exceptions;
    private transient RuleEvaluator evaluator;
    private transient RuleMetrics ruleMetrics;
    private transient RuleStatsReporter statsReporter;
    private transient LongCounter ruleErrors;
    private transient CountMapAccumulator ruleErrorsByRule;
    private transient CountMapAccumulator quarantined;
    private transient Map<String, Counter> errorMetrics;
    private transient WatermarkLag watermarkLag;

    public EvaluateRulesFunction(RuleSet rules) {
        this(rules, RuleEvaluator.DEFAULT_QUARANTINE_AFTER);
    }

    /** @param quarantineAfter consecutive failures that quarantine a rule in this task (0: never) */
    public EvaluateRulesFunction(RuleSet rules, int quarantineAfter) {
        this(rules, quarantineAfter, RuleExceptions.NONE);
    }

    /** @param exceptions hits they cover are counted ({@link RuleMetrics}), never emitted */
    public EvaluateRulesFunction(RuleSet rules, int quarantineAfter, RuleExceptions exceptions) {
        this.rules = rules;
        this.quarantineAfter = quarantineAfter;
        this.exceptions = exceptions;
    }

    @Override
    public void open(OpenContext openContext) {
        // each task compiles the DRL once; only the rules the client verified may fire
        evaluator = RulePack.compile(rules.sources()).newEvaluator(rules.active().keySet(), quarantineAfter)
                .exceptions(exceptions);
        ruleMetrics = new RuleMetrics(getRuntimeContext(), evaluator);
        statsReporter = new RuleStatsReporter("live", getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                System.currentTimeMillis());
        // once per task: a pack the prefilter cannot read still works, only slower (every event
        // goes through the session), and this line is where that shows
        String off = evaluator.prefilter().disabledBecause();
        if (off == null) {
            LOG.info("rule evaluation: events no active rule can fire on skip the Drools session");
        } else {
            LOG.info("rule evaluation: every event goes through the Drools session ({})", off);
        }
        ruleErrors = new LongCounter();
        getRuntimeContext().addAccumulator(RuleErrorCounters.RULE_ERRORS, ruleErrors);
        ruleErrorsByRule = new CountMapAccumulator();
        getRuntimeContext().addAccumulator(RuleErrorCounters.RULE_ERRORS_BY_RULE, ruleErrorsByRule);
        quarantined = new CountMapAccumulator();
        getRuntimeContext().addAccumulator(RuleErrorCounters.RULES_QUARANTINED, quarantined);
        errorMetrics = new HashMap<>();
        // the first operator after the watermark assigner that sees every event (docs/metrics.md)
        watermarkLag = WatermarkLag.register(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(SecurityEvent event, Context ctx, Collector<RuleHit> out) {
        watermarkLag.observe(ctx.timerService().currentWatermark());
        RuleEvaluator.Evaluation evaluation = evaluator.evaluateWithErrors(event);
        ruleMetrics.record(evaluation);
        for (RuleStatsReport report : statsReporter.due(ruleMetrics.stats(), System.currentTimeMillis())) {
            ctx.output(RuleStatsReporter.RULE_STATS, report);
        }
        for (RuleHit hit : evaluation.hits()) {
            out.collect(hit);
        }
        for (RuleError error : evaluation.errors()) {
            ctx.output(RULE_ERRORS, RuleErrorLetters.of(error));
            ruleErrors.add(1);
            ruleErrorsByRule.add(error.ruleId());
            errorMetric(error.ruleId()).inc();
        }
        for (RuleProblem problem : evaluation.quarantined()) {
            quarantined.add(problem.toString());
        }
    }

    /** The counter of {@code ruleId}'s errors, registered on its first error (rule ids come from the pack). */
    private Counter errorMetric(String ruleId) {
        return errorMetrics.computeIfAbsent(ruleId, id -> getRuntimeContext().getMetricGroup()
                .addGroup(RuleErrorCounters.METRIC_GROUP, id).counter(RuleErrorCounters.METRIC_RULE_ERRORS));
    }

    @Override
    public void close() {
        if (evaluator != null) {
            evaluator.close();
        }
    }
}
