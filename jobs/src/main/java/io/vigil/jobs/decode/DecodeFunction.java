package io.vigil.jobs.decode;

import io.vigil.formats.DecoderOptions;
import io.vigil.model.DeadLetter;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes a stream of raw records into normalized events ({@link RecordDecoder}); a record that
 * cannot be decoded leaves on the {@link #DEAD_LETTERS} side output as exactly one dead letter with
 * its reason. Never throws for bad input, so one bad record cannot stop the job.
 *
 * <p>A record whose events are out of the {@link EventTimeBounds} becomes one
 * {@link DeadLetter#EVENT_TIME} letter instead, whole.
 *
 * <p>The jobs decode where the source emits ({@link DecodingSource}, so that watermarks are per
 * Kafka partition) and split with {@link SplitDecodedOperator}; this function is for a stream of
 * raw records that exists already. Runs chained to its source: the syslog decoder places
 * year-less timestamps per stream, so records of one file must reach one decoder in order.
 */
public final class DecodeFunction extends ProcessFunction<RawRecord, SecurityEvent> {

    private static final long serialVersionUID = 1L;

    /** Where records that cannot be decoded go. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private final DecoderOptions options;
    private final EventTimeBounds bounds;

    private transient RecordDecoder decoder;
    private transient DecodeCounting counting;

    /** Accepting event times of any year from 1 to 9999. */
    public DecodeFunction(DecoderOptions options) {
        this(options, EventTimeBounds.anyYear());
    }

    public DecodeFunction(DecoderOptions options, EventTimeBounds bounds) {
        this.options = options;
        this.bounds = java.util.Objects.requireNonNull(bounds, "bounds");
    }

    @Override
    public void open(OpenContext openContext) {
        decoder = new RecordDecoder(options, bounds);
        counting = new DecodeCounting(getRuntimeContext(), decoder::knows);
    }

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<SecurityEvent> out) {
        Decoded d = decoder.decode(record, ctx.timerService().currentProcessingTime());
        counting.count(d);
        if (d.deadLetter() != null) {
            ctx.output(DEAD_LETTERS, d.deadLetter());
            return;
        }
        d.events().forEach(out::collect);
    }
}
