package io.vigil.jobs.detect;

import io.vigil.model.Alert;
import io.vigil.model.DeadLetter;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleEvaluator;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RuleSet;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The detection part of a topology: events get event-time watermarks, every rule is evaluated on
 * every event, and the hits are correlated per rule and group key into alerts. The hits cross the
 * keyBy with {@link RuleHitSerializer}. What a rule throws on an event leaves as a dead letter
 * ({@link EvaluateRulesFunction#RULE_ERRORS}).
 */
public final class Detection {

    /** Stable operator ids: state and savepoints refer to these. */
    public static final String WATERMARKS_UID = "event-time";
    public static final String EVALUATE_UID = "evaluate-rules";
    public static final String CORRELATE_UID = "correlate";

    /** Out-of-orderness events may have and still be correlated exactly as if in order. */
    public static final Duration DEFAULT_OUT_OF_ORDERNESS = Duration.ofSeconds(10);
    /** How long correlation state of a key survives without updates (a backstop to the timers). */
    public static final Duration DEFAULT_STATE_TTL = Duration.ofHours(24);

    private Detection() {}

    /** What detection gives: the alerts, and a dead letter for each event a rule failed on. */
    public record Detected(DataStream<Alert> alerts, DataStream<DeadLetter> ruleErrors) {}

    /** Detection with the default quarantine ({@link RuleEvaluator#DEFAULT_QUARANTINE_AFTER}). */
    public static Detected build(DataStream<SecurityEvent> events, RuleSet rules, Duration outOfOrderness,
                                 Duration stateTtl) {
        return build(events, rules, outOfOrderness, stateTtl, RuleEvaluator.DEFAULT_QUARANTINE_AFTER);
    }

    /** @param ruleQuarantineAfter consecutive failures that quarantine a rule in a task (0: never) */
    public static Detected build(DataStream<SecurityEvent> events, RuleSet rules, Duration outOfOrderness,
                                 Duration stateTtl, int ruleQuarantineAfter) {
        SingleOutputStreamOperator<RuleHit> hits = events
                .assignTimestampsAndWatermarks(WatermarkStrategy
                        .<SecurityEvent>forBoundedOutOfOrderness(outOfOrderness)
                        .withTimestampAssigner((e, previous) -> e.timestamp().toEpochMilli()))
                .name("event time").uid(WATERMARKS_UID)
                .process(new EvaluateRulesFunction(rules, ruleQuarantineAfter), RuleHitTypeInfo.INSTANCE)
                .name("evaluate rules").uid(EVALUATE_UID);
        DataStream<Alert> alerts = hits
                .keyBy(RuleHit::stateKey)
                .process(new CorrelateFunction(rules, stateTtl)).name("correlate").uid(CORRELATE_UID);
        return new Detected(alerts, hits.getSideOutput(EvaluateRulesFunction.RULE_ERRORS));
    }
}
