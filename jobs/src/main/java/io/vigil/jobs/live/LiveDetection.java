package io.vigil.jobs.live;

import io.vigil.jobs.detect.Detection;
import io.vigil.jobs.detect.DetectionSettings;
import io.vigil.jobs.detect.EvaluateRulesFunction;
import io.vigil.jobs.detect.RuleHitTypeInfo;
import io.vigil.model.Alert;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleHit;
import java.security.PublicKey;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The detection part of a topology with live rules: {@link Detection}'s steps, with the packs
 * coming from a {@link ControlFeed} through the {@link BundleGate} as broadcast state into the
 * evaluation and the correlations of the live and the shadow slot. Operator ids are
 * {@link Detection}'s where the step is the same, so a job can turn live rules on and keep its
 * correlation state.
 */
public final class LiveDetection {

    public static final String GATE_UID = "rule-bundle-gate";
    public static final String CONTROL_TIME_UID = "rules-control-time";
    public static final String SHADOW_CORRELATE_UID = "correlate-shadow";

    private LiveDetection() {}

    /**
     * What live detection gives: {@link Detection.Detected} (live alerts, rule-error letters), the
     * alerts of the shadow slot, and the outcome of every control record.
     */
    public record LiveDetected(Detection.Detected detected, DataStream<Alert> shadowAlerts,
                               DataStream<RuleOutcome> outcomes) {}

    public static LiveDetected build(DataStream<SecurityEvent> events, DetectionSettings settings,
                                     DataStream<ControlInput> control, PublicKey key) {
        return buildTimed(Detection.eventTime(events, settings), settings, control, key);
    }

    /** As {@link #build}, over events that have their timestamps and watermarks already. */
    public static LiveDetected buildTimed(DataStream<SecurityEvent> timed, DetectionSettings settings,
                                          DataStream<ControlInput> control, PublicKey key) {
        LivePack local = LivePack.local(settings.rules(), settings.exceptions());
        // control records carry no event time: their stream never holds back the events' watermark
        SingleOutputStreamOperator<PackUpdate> updates = control
                .assignTimestampsAndWatermarks(neverHoldsBack()).name("rules control time").uid(CONTROL_TIME_UID)
                .setParallelism(1)
                .process(new BundleGate(key)).name("rule bundle gate").uid(GATE_UID).setParallelism(1);
        BroadcastStream<PackUpdate> packs = updates.broadcast(LiveEvaluateFunction.PACKS);

        SingleOutputStreamOperator<RuleHit> hits = timed
                .connect(packs)
                .process(new LiveEvaluateFunction(local, settings.ruleQuarantineAfter()), RuleHitTypeInfo.INSTANCE)
                .name("evaluate rules").uid(Detection.EVALUATE_UID);
        DataStream<Alert> correlated = hits
                .keyBy(RuleHit::stateKey, Types.STRING)
                .connect(packs)
                .process(new LiveCorrelateFunction(ControlRecord.LIVE, local, settings.stateTtl(), settings.maxKeys()))
                .name("correlate").uid(Detection.CORRELATE_UID);
        correlated = Detection.watermarkLag(correlated);
        DataStream<Alert> shadow = hits.getSideOutput(LiveEvaluateFunction.SHADOW_HITS)
                .keyBy(RuleHit::stateKey, Types.STRING)
                .connect(packs)
                .process(new LiveCorrelateFunction(ControlRecord.SHADOW, local, settings.stateTtl(),
                        settings.maxKeys()))
                .name("correlate shadow").uid(SHADOW_CORRELATE_UID);
        Detection.Detected detected = new Detection.Detected(Detection.massActivity(correlated, settings, true),
                hits.getSideOutput(EvaluateRulesFunction.RULE_ERRORS),
                hits.getSideOutput(io.vigil.jobs.detect.RuleStatsReporter.RULE_STATS), hits);
        return new LiveDetected(detected, shadow, updates.getSideOutput(BundleGate.OUTCOMES));
    }

    /**
     * The control stream takes no part in the operators' event time: it is marked idle, so the
     * evaluation and correlations take their watermark from the events alone (an idle input is left
     * out of a two-input operator's watermark; its records still flow). Not a watermark at the end of
     * time: with the events' source idle too, that would become the operators' watermark and end
     * every window early.
     */
    public static <T> WatermarkStrategy<T> neverHoldsBack() {
        return WatermarkStrategy.forGenerator(ctx -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
                output.markIdle();
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.markIdle();
            }
        });
    }
}
