package io.vigil.jobs.live;

import io.vigil.jobs.detect.CorrelateFunction;
import io.vigil.jobs.detect.RuleLookup;
import io.vigil.model.Alert;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RuleMeta;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Correlation with live rules: {@link CorrelateFunction}'s state and timers, with each hit's rule
 * taken from the pack of {@code slot} in force at the hit's event time ({@link PackTimeline}, fed by
 * the same broadcast {@link PackUpdate}s as the evaluation). So a rule whose id and version a new
 * pack keeps goes on counting across the switch; a new version starts its keys afresh at their
 * first hit or wake-up after the switch; a rule the new pack drops has its keys cleared at their
 * next wake-up after the switch (at the latest when their window would have ended). All of it in
 * event time: the same input and bundle history give the same alerts.
 */
public final class LiveCorrelateFunction extends KeyedBroadcastProcessFunction<String, RuleHit, PackUpdate, Alert>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;

    private final TimelineLookup lookup;
    private final CorrelateFunction correlate;
    private final LivePack local;

    /** @param slot {@link ControlRecord#LIVE} or {@link ControlRecord#SHADOW} */
    public LiveCorrelateFunction(String slot, LivePack local, Duration stateTtl, int maxKeys) {
        this.local = local;
        this.lookup = new TimelineLookup(slot);
        this.correlate = new CorrelateFunction(lookup, stateTtl, maxKeys);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        correlate.setRuntimeContext(getRuntimeContext());
        correlate.initializeState(context);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        correlate.snapshotState(context);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        correlate.setRuntimeContext(getRuntimeContext());
        correlate.open(openContext);
    }

    @Override
    public void processElement(RuleHit hit, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        restore(ctx.getBroadcastState(LiveEvaluateFunction.PACKS));
        correlate.process(hit, ctx.timerService(), ctx.getCurrentKey(), out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        restore(ctx.getBroadcastState(LiveEvaluateFunction.PACKS));
        correlate.timer(timestamp, ctx.timerService(), ctx.getCurrentKey(), out);
    }

    @Override
    public void processBroadcastElement(PackUpdate update, Context ctx, Collector<Alert> out) throws Exception {
        BroadcastState<String, PackUpdate> state = ctx.getBroadcastState(LiveEvaluateFunction.PACKS);
        restore(state);
        lookup.timeline.add(update, state);
    }

    private void restore(ReadOnlyBroadcastState<String, PackUpdate> state) throws Exception {
        lookup.timeline = PackTimeline.restored(lookup.timeline, local, state);
    }

    @Override
    public void close() throws Exception {
        correlate.close();
    }

    /** The rules of one slot's timeline, versioned: what the shared correlation body asks. */
    private static final class TimelineLookup implements RuleLookup {
        private static final long serialVersionUID = 1L;
        private final String slot;
        private transient PackTimeline timeline;

        TimelineLookup(String slot) {
            this.slot = slot;
        }

        @Override
        public RuleMeta rule(String ruleId, long time) {
            return timeline.rule(slot, ruleId, time);
        }

        @Override
        public boolean versioned() {
            return true;
        }
    }
}
