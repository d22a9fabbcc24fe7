package io.vigil.jobs.live;

import io.vigil.jobs.detect.EvaluateRulesFunction;
import io.vigil.jobs.detect.RuleErrorCounters;
import io.vigil.jobs.detect.RuleErrorLetters;
import io.vigil.jobs.detect.RuleMetrics;
import io.vigil.jobs.detect.RuleStatsReport;
import io.vigil.jobs.detect.RuleStatsReporter;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleError;
import io.vigil.rules.RuleEvaluator;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RulePack;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.vigil.jobs.metrics.WatermarkLag;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rule evaluation with live rules: each event is evaluated by the pack of the live slot in force at
 * its event time ({@link PackTimeline}), and, when a shadow pack is in force then, by that too; the
 * shadow's hits leave on {@link #SHADOW_HITS} for their own correlation and outputs, never reaching
 * incidents or webhooks. The packs arrive as broadcast {@link PackUpdate}s from the
 * {@link BundleGate} and live in broadcast state ({@link #PACKS}), so a restored job runs the packs
 * that were in force at its checkpoint. Each subtask compiles a pack when the first event of its
 * span needs it, once.
 *
 * <p>Failures are as in {@link EvaluateRulesFunction}: a live rule's failure is a {@code rule-error}
 * dead letter; a shadow rule's failure is only counted ({@code shadowRuleErrors}), since the event
 * itself went through the live pack.
 */
public final class LiveEvaluateFunction extends BroadcastProcessFunction<SecurityEvent, PackUpdate, RuleHit> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LiveEvaluateFunction.class);

    /** The broadcast state of the packs: updates by {@link PackUpdate#stateKey()}. */
    public static final MapStateDescriptor<String, PackUpdate> PACKS = new MapStateDescriptor<>("rule-packs",
            Types.STRING, TypeInformation.of(PackUpdate.class));

    /** Hits of the shadow pack. */
    public static final OutputTag<RuleHit> SHADOW_HITS = new OutputTag<>("shadow-hits",
            io.vigil.jobs.detect.RuleHitTypeInfo.INSTANCE) {};

    private final LivePack local;
    private final int quarantineAfter;

    private transient PackTimeline timeline;
    private transient Map<String, RuleEvaluator> evaluators;
    private transient Map<String, Counter> errorMetrics;
    private transient Counter shadowErrors;
    private transient Map<String, RuleMetrics> metrics;
    private transient Map<String, RuleStatsReporter> reporters;
    private transient WatermarkLag watermarkLag;

    public LiveEvaluateFunction(LivePack local, int quarantineAfter) {
        this.local = local;
        this.quarantineAfter = quarantineAfter;
    }

    @Override
    public void open(OpenContext openContext) {
        evaluators = new HashMap<>();
        errorMetrics = new HashMap<>();
        shadowErrors = getRuntimeContext().getMetricGroup().counter("shadowRuleErrors");
        metrics = new HashMap<>();
        reporters = new HashMap<>();
        // the first operator after the watermark assigner that sees every event (docs/metrics.md)
        watermarkLag = WatermarkLag.register(getRuntimeContext().getMetricGroup());
        long now = System.currentTimeMillis();
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        reporters.put(ControlRecord.LIVE, new RuleStatsReporter(ControlRecord.LIVE, subtask, now));
        reporters.put(ControlRecord.SHADOW, new RuleStatsReporter(ControlRecord.SHADOW, subtask, now));
    }

    /**
     * The per-rule metrics of a slot, following its current evaluator: the live slot's under the
     * task's metric group (as without live rules), the shadow's under {@code slot=shadow}.
     */
    private RuleMetrics metrics(String slot, RuleEvaluator evaluator) {
        RuleMetrics m = metrics.get(slot);
        if (m == null) {
            boolean live = ControlRecord.LIVE.equals(slot);
            m = new RuleMetrics(live ? getRuntimeContext().getMetricGroup()
                    : getRuntimeContext().getMetricGroup().addGroup("slot", slot),
                    (name, acc) -> getRuntimeContext().addAccumulator(live ? name : name + "." + slot, acc), evaluator);
            metrics.put(slot, m);
        } else {
            m.use(evaluator);
        }
        return m;
    }

    private void record(String slot, RuleEvaluator evaluator, RuleEvaluator.Evaluation evaluation,
                        ReadOnlyContext ctx) {
        RuleMetrics m = metrics(slot, evaluator);
        m.record(evaluation);
        for (RuleStatsReport report : reporters.get(slot).due(m.stats(), System.currentTimeMillis())) {
            ctx.output(RuleStatsReporter.RULE_STATS, report);
        }
    }

    @Override
    public void processElement(SecurityEvent event, ReadOnlyContext ctx, Collector<RuleHit> out) throws Exception {
        restore(ctx.getBroadcastState(PACKS));
        watermarkLag.observe(ctx.currentWatermark());
        long t = event.timestamp().toEpochMilli();
        PackTimeline.Selected live = timeline.select(ControlRecord.LIVE, t);
        RuleEvaluator liveEvaluator = evaluator(live);
        RuleEvaluator.Evaluation evaluation = liveEvaluator.evaluateWithErrors(event);
        record(ControlRecord.LIVE, liveEvaluator, evaluation, ctx);
        for (RuleHit hit : evaluation.hits()) {
            out.collect(hit);
        }
        for (RuleError error : evaluation.errors()) {
            ctx.output(EvaluateRulesFunction.RULE_ERRORS, RuleErrorLetters.of(error));
            errorMetric(error.ruleId()).inc();
        }
        PackTimeline.Selected shadow = timeline.select(ControlRecord.SHADOW, t);
        if (shadow != null) {
            RuleEvaluator shadowEvaluator = evaluator(shadow);
            RuleEvaluator.Evaluation s = shadowEvaluator.evaluateWithErrors(event);
            record(ControlRecord.SHADOW, shadowEvaluator, s, ctx);
            for (RuleHit hit : s.hits()) {
                ctx.output(SHADOW_HITS, hit);
            }
            shadowErrors.inc(s.errors().size());
        }
    }

    @Override
    public void processBroadcastElement(PackUpdate update, Context ctx, Collector<RuleHit> out) throws Exception {
        BroadcastState<String, PackUpdate> state = ctx.getBroadcastState(PACKS);
        restore(state);
        for (PackUpdate dropped : timeline.add(update, state)) {
            RuleEvaluator gone = evaluators.remove(dropped.recordId());
            if (gone != null) {
                gone.close();
            }
        }
    }

    /** The timeline, from the broadcast state once (after a restore, it holds the packs in force). */
    private void restore(ReadOnlyBroadcastState<String, PackUpdate> state) throws Exception {
        timeline = PackTimeline.restored(timeline, local, state);
    }

    private RuleEvaluator evaluator(PackTimeline.Selected selected) {
        RuleEvaluator evaluator = evaluators.get(selected.key());
        if (evaluator == null) {
            LivePack pack = selected.pack();
            evaluator = RulePack.compile(pack.rules().sources())
                    .newEvaluator(pack.rules().active().keySet(), quarantineAfter)
                    .exceptions(pack.exceptions());
            LOG.info("rule pack {} compiled on subtask {}: {} active rules", pack.version(),
                    getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), pack.rules().active().size());
            evaluators.put(selected.key(), evaluator);
        }
        return evaluator;
    }

    private Counter errorMetric(String ruleId) {
        return errorMetrics.computeIfAbsent(ruleId, id -> getRuntimeContext().getMetricGroup()
                .addGroup(RuleErrorCounters.METRIC_GROUP, id).counter(RuleErrorCounters.METRIC_RULE_ERRORS));
    }

    @Override
    public void close() {
        if (evaluators != null) {
            evaluators.values().forEach(RuleEvaluator::close);
        }
    }

    /** The packs this function knows, for tests. */
    List<PackUpdate> updates() {
        return timeline == null ? List.of() : timeline.updates();
    }
}
