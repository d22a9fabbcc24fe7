package io.vigil.jobs.replay;

import io.vigil.formats.DecoderOptions;
import io.vigil.jobs.decode.DecodeFunction;
import io.vigil.jobs.detect.Detection;
import io.vigil.model.Alert;
import io.vigil.model.DeadLetter;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleSet;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The forensic replay topology: raw records from a bounded source are decoded into events and
 * dead letters, each written to its sink, and (with detection) the events are correlated into
 * alerts. The job takes its source and sinks, so tests and the
 * command line wire different ones.
 */
public final class ReplayJob {

    /** Stable operator ids: state and savepoints refer to these. */
    public static final String SOURCE_UID = "replay-source";
    public static final String DECODE_UID = "decode";
    public static final String EVENTS_SINK_UID = "events-sink";
    public static final String DEAD_LETTERS_SINK_UID = "dead-letters-sink";
    public static final String ALERTS_SINK_UID = "alerts-sink";

    private final Source<RawRecord, ?, ?> source;
    private final Sink<SecurityEvent> events;
    private final Sink<DeadLetter> deadLetters;
    private final DecoderOptions options;
    private Detect detect;

    /** What detection adds: the rules, where alerts go, and the time settings. */
    public record Detect(RuleSet rules, Sink<Alert> alerts, Duration outOfOrderness, Duration stateTtl) {}

    public ReplayJob(Source<RawRecord, ?, ?> source, Sink<SecurityEvent> events, Sink<DeadLetter> deadLetters,
                     DecoderOptions options) {
        this.source = Objects.requireNonNull(source, "source");
        this.events = Objects.requireNonNull(events, "events");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Also runs the rules and writes alerts; without it the replay only decodes. */
    public ReplayJob withDetection(Detect detection) {
        this.detect = detection;
        return this;
    }

    /** Adds the topology to {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        SingleOutputStreamOperator<SecurityEvent> decoded = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "log files")
                .uid(SOURCE_UID)
                .process(new DecodeFunction(options))
                .name("decode")
                .uid(DECODE_UID);
        decoded.sinkTo(events).name("events").uid(EVENTS_SINK_UID).setParallelism(1);
        decoded.getSideOutput(DecodeFunction.DEAD_LETTERS)
                .sinkTo(deadLetters).name("dead letters").uid(DEAD_LETTERS_SINK_UID).setParallelism(1);
        if (detect != null) {
            Detection.build(decoded, detect.rules(), detect.outOfOrderness(), detect.stateTtl())
                    .sinkTo(detect.alerts()).name("alerts").uid(ALERTS_SINK_UID).setParallelism(1);
        }
    }
}
