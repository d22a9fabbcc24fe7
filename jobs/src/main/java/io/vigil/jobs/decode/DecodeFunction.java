package io.vigil.jobs.decode;

import io.vigil.formats.DecodeResult;
import io.vigil.formats.DecoderOptions;
import io.vigil.formats.DecoderRegistry;
import io.vigil.jobs.metrics.CountMapAccumulator;
import io.vigil.model.DeadLetter;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes raw records into normalized events; a record that cannot be decoded leaves on the
 * {@link #DEAD_LETTERS} side output as exactly one dead letter with its reason. Never throws for
 * bad input, so one bad record cannot stop the job.
 *
 * <p>Runs chained to its source: the syslog decoder places year-less timestamps per stream, so
 * records of one file must reach one decoder in order.
 */
public final class DecodeFunction extends ProcessFunction<RawRecord, SecurityEvent> {

    private static final long serialVersionUID = 1L;

    /** Where records that cannot be decoded go. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private final DecoderOptions options;

    private transient DecoderRegistry decoders;
    private transient LongCounter records;
    private transient LongCounter decoded;
    private transient LongCounter events;
    private transient LongCounter deadLetters;
    private transient LongCounter bytes;
    private transient CountMapAccumulator byFormat;
    private transient CountMapAccumulator byAction;
    private transient CountMapAccumulator byActionOutcome;
    private transient CountMapAccumulator deadByFormat;

    public DecodeFunction(DecoderOptions options) {
        this.options = options;
    }

    @Override
    public void open(OpenContext openContext) {
        decoders = new DecoderRegistry(options);
        records = counter(DecodeCounters.RECORDS);
        decoded = counter(DecodeCounters.DECODED);
        events = counter(DecodeCounters.EVENTS);
        deadLetters = counter(DecodeCounters.DEAD_LETTERS);
        bytes = counter(DecodeCounters.BYTES);
        byFormat = countMap(DecodeCounters.BY_FORMAT);
        byAction = countMap(DecodeCounters.BY_ACTION);
        byActionOutcome = countMap(DecodeCounters.BY_ACTION_OUTCOME);
        deadByFormat = countMap(DecodeCounters.DEAD_BY_FORMAT);
    }

    private LongCounter counter(String name) {
        LongCounter c = new LongCounter();
        getRuntimeContext().addAccumulator(name, c);
        return c;
    }

    private CountMapAccumulator countMap(String name) {
        CountMapAccumulator c = new CountMapAccumulator();
        getRuntimeContext().addAccumulator(name, c);
        return c;
    }

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<SecurityEvent> out) {
        records.add(1);
        bytes.add(record.truncated() ? record.truncatedFrom() : record.bytes().length);
        byFormat.add(record.format());
        DecodeResult result = decoders.decode(record);
        if (result.ok()) {
            decoded.add(1);
            for (SecurityEvent event : result.events()) {
                events.add(1);
                byAction.add(event.eventAction() == null ? DecodeCounters.NO_ACTION : event.eventAction());
                if (event.eventAction() != null && event.eventOutcome() != null) {
                    byActionOutcome.add(event.eventAction() + "/" + event.eventOutcome());
                }
                out.collect(event);
            }
        } else {
            deadLetters.add(1);
            deadByFormat.add(record.format());
            ctx.output(DEAD_LETTERS, DeadLetter.of(record, result.error()));
        }
    }
}
