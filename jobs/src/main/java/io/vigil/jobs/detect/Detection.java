package io.vigil.jobs.detect;

import io.vigil.model.Alert;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RuleSet;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The detection part of a topology: events get event-time watermarks (their times are bounded
 * when decoded, {@link io.vigil.jobs.decode.EventTimeBounds}), every rule is evaluated on
 * every event, and the hits are correlated per rule and group key into alerts. The hits cross the
 * keyBy with {@link RuleHitSerializer}.
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

    public static DataStream<Alert> build(DataStream<SecurityEvent> events, RuleSet rules, Duration outOfOrderness,
                                          Duration stateTtl) {
        return build(events, rules, outOfOrderness, stateTtl, null);
    }

    /**
     * @param idleTimeout how long a subtask may see no event before its watermark stops holding
     *     back the others (a silent Kafka partition), or {@code null} (or zero) for never: a
     *     bounded replay, where every input ends with the final watermark and waiting is exact
     */
    public static DataStream<Alert> build(DataStream<SecurityEvent> events, RuleSet rules, Duration outOfOrderness,
                                          Duration stateTtl, Duration idleTimeout) {
        WatermarkStrategy<SecurityEvent> strategy = WatermarkStrategy
                .<SecurityEvent>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner((e, previous) -> e.timestamp().toEpochMilli());
        if (idleTimeout != null && !idleTimeout.isZero()) {
            strategy = strategy.withIdleness(idleTimeout);
        }
        return events
                .assignTimestampsAndWatermarks(strategy)
                .name("event time").uid(WATERMARKS_UID)
                .process(new EvaluateRulesFunction(rules), RuleHitTypeInfo.INSTANCE)
                .name("evaluate rules").uid(EVALUATE_UID)
                .keyBy(RuleHit::stateKey)
                .process(new CorrelateFunction(rules, stateTtl)).name("correlate").uid(CORRELATE_UID);
    }
}
