package io.vigil.jobs.detect;

import io.vigil.jobs.metrics.WatermarkLagOperator;
import io.vigil.model.Alert;
import io.vigil.model.DeadLetter;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleHit;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The detection part of a topology: events get event-time watermarks (their times are bounded
 * when decoded, {@link io.vigil.jobs.decode.EventTimeBounds}), every rule is evaluated on
 * every event, and the hits are correlated per rule and group key into alerts. The hits cross the
 * keyBy with {@link RuleHitSerializer}. A rule raising alerts for more new keys a minute than the
 * settings allow has the rest aggregated into a mass-activity alert ({@link MassActivityFunction}).
 * What a rule throws on an event leaves as a dead letter ({@link EvaluateRulesFunction#RULE_ERRORS}).
 */
public final class Detection {

    /** Stable operator ids: state and savepoints refer to these. */
    public static final String WATERMARKS_UID = "event-time";
    public static final String EVALUATE_UID = "evaluate-rules";
    public static final String CORRELATE_UID = "correlate";
    public static final String WATERMARK_LAG_UID = "watermark-lag";

    /**
     * Out-of-orderness events may have and still be correlated exactly as if in order: the default
     * of {@code detection.out-of-orderness}. Short, because every alert waits this long for the
     * watermark (BENCHMARKS.md, latency); a bounded replay runs in batch mode, where watermarks do
     * not advance until the input ends, so it does not depend on this at all.
     */
    public static final Duration DEFAULT_OUT_OF_ORDERNESS = Duration.ofMillis(500);
    /** How long correlation state of a key survives without updates (a backstop to the timers). */
    public static final Duration DEFAULT_STATE_TTL = Duration.ofHours(24);
    /**
     * Correlation keys one subtask holds state for, at most: about 0.9 kB of heap each on the
     * {@code hashmap} backend (BENCHMARKS.md: 2.77 kB per entity of three keys), so about 1 GB.
     */
    public static final int DEFAULT_MAX_KEYS = 1_000_000;

    private Detection() {}

    /**
     * What detection gives: the alerts, and a dead letter for each event a rule failed on; {@code hits}, the
     * rule hits as evaluation emits them, for the stage trace (docs/metrics.md#latency-by-stage).
     */
    public record Detected(DataStream<Alert> alerts, DataStream<DeadLetter> ruleErrors,
                           DataStream<RuleStatsReport> ruleStats, DataStream<RuleHit> hits) {}

    /**
     * The detection part over {@code events}. With {@link DetectionSettings#idleTimeout()} a subtask that
     * sees no event that long stops holding back the others' watermark (a silent Kafka partition);
     * without (a bounded replay) every input ends with the final watermark and waiting is exact.
     */
    public static Detected build(DataStream<SecurityEvent> events, DetectionSettings settings) {
        return buildTimed(eventTime(events, settings), settings);
    }

    /** As {@link #build}, over events that have their timestamps and watermarks already ({@link #eventTime}). */
    public static Detected buildTimed(DataStream<SecurityEvent> timed, DetectionSettings settings) {
        SingleOutputStreamOperator<RuleHit> hits = timed
                .process(new EvaluateRulesFunction(settings.rules(), settings.ruleQuarantineAfter(),
                        settings.exceptions()), RuleHitTypeInfo.INSTANCE)
                .name("evaluate rules").uid(EVALUATE_UID);
        DataStream<Alert> correlated = hits
                .keyBy(RuleHit::stateKey)
                .process(new CorrelateFunction(settings.rules(), settings.stateTtl(), settings.maxKeys()))
                .name("correlate").uid(CORRELATE_UID);
        correlated = watermarkLag(correlated);
        return new Detected(massActivity(correlated, settings), hits.getSideOutput(EvaluateRulesFunction.RULE_ERRORS),
                hits.getSideOutput(RuleStatsReporter.RULE_STATS), hits);
    }

    /**
     * {@code correlated}, passed through the operator that measures the watermark lag (docs/metrics.md),
     * chained to the correlation: after the keyBy, where the watermark is merged from every
     * evaluation subtask that is not idle (also for live rules).
     */
    public static DataStream<Alert> watermarkLag(DataStream<Alert> correlated) {
        return correlated.transform("watermark lag", correlated.getType(), new WatermarkLagOperator<>())
                .uid(WATERMARK_LAG_UID);
    }

    /** {@code events} with event-time watermarks as the settings say (also for live rules). */
    public static SingleOutputStreamOperator<SecurityEvent> eventTime(DataStream<SecurityEvent> events,
                                                                      DetectionSettings settings) {
        WatermarkStrategy<SecurityEvent> strategy = WatermarkStrategy
                .<SecurityEvent>forBoundedOutOfOrderness(settings.outOfOrderness())
                .withTimestampAssigner((e, previous) -> e.timestamp().toEpochMilli());
        if (settings.idleTimeout() != null && !settings.idleTimeout().isZero()) {
            strategy = strategy.withIdleness(settings.idleTimeout());
        }
        return events.assignTimestampsAndWatermarks(strategy).name("event time").uid(WATERMARKS_UID);
    }

    /** The correlated alerts with a flood of one rule aggregated, as the settings say (also for live rules). */
    public static DataStream<Alert> massActivity(DataStream<Alert> correlated, DetectionSettings settings) {
        return massActivity(correlated, settings, false);
    }

    /** As {@link #massActivity(DataStream, DetectionSettings)}; {@code liveRules}: rules of bundles can come. */
    public static DataStream<Alert> massActivity(DataStream<Alert> correlated, DetectionSettings settings,
                                                 boolean liveRules) {
        // a flood of one rule becomes one mass-activity alert per minute before any output sees it
        return settings.maxNewKeysPerMinute() == 0 ? correlated
                : MassActivityFunction.apply(correlated, settings.rules(), settings.maxNewKeysPerMinute(),
                        settings.stateTtl(), liveRules);
    }
}
