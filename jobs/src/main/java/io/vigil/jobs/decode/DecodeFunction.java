package io.vigil.jobs.decode;

import io.vigil.formats.DecodeResult;
import io.vigil.formats.DecoderOptions;
import io.vigil.formats.DecoderRegistry;
import io.vigil.jobs.metrics.CountMapAccumulator;
import io.vigil.jobs.metrics.LabelledCounters;
import io.vigil.jobs.metrics.VigilMetrics;
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
 * <p>A record whose events are out of the {@link EventTimeBounds} becomes one
 * {@link DeadLetter#EVENT_TIME} letter instead, whole: no event of it reaches the watermark or an
 * index name.
 *
 * <p>Runs chained to its source: the syslog decoder places year-less timestamps per stream, so
 * records of one file must reach one decoder in order.
 */
public final class DecodeFunction extends ProcessFunction<RawRecord, SecurityEvent> {

    private static final long serialVersionUID = 1L;

    /** Where records that cannot be decoded go. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private final DecoderOptions options;
    private final EventTimeBounds bounds;

    private transient DecoderRegistry decoders;
    private transient InputBytes inputBytes;
    private transient LongCounter records;
    private transient LongCounter decoded;
    private transient LongCounter events;
    private transient LongCounter deadLetters;
    private transient LongCounter bytes;
    private transient CountMapAccumulator byFormat;
    private transient CountMapAccumulator byAction;
    private transient CountMapAccumulator byActionOutcome;
    private transient CountMapAccumulator deadByFormat;
    private transient CountMapAccumulator deadByKind;
    /** Flink metrics per format (docs/metrics.md): formats the registry knows, others as "other". */
    private transient LabelledCounters recordsByFormat;
    private transient LabelledCounters eventsByFormat;

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
        decoders = new DecoderRegistry(options);
        inputBytes = new InputBytes();
        records = counter(DecodeCounters.RECORDS);
        decoded = counter(DecodeCounters.DECODED);
        events = counter(DecodeCounters.EVENTS);
        deadLetters = counter(DecodeCounters.DEAD_LETTERS);
        bytes = counter(DecodeCounters.BYTES);
        byFormat = countMap(DecodeCounters.BY_FORMAT);
        byAction = countMap(DecodeCounters.BY_ACTION);
        byActionOutcome = countMap(DecodeCounters.BY_ACTION_OUTCOME);
        deadByFormat = countMap(DecodeCounters.DEAD_BY_FORMAT);
        deadByKind = countMap(DecodeCounters.DEAD_BY_KIND);
        // a record's format comes from the configuration (its topic), never from its content
        recordsByFormat = new LabelledCounters(getRuntimeContext().getMetricGroup(), VigilMetrics.FORMAT,
                VigilMetrics.RECORDS, f -> decoders.get(f) != null);
        eventsByFormat = new LabelledCounters(getRuntimeContext().getMetricGroup(), VigilMetrics.FORMAT,
                VigilMetrics.EVENTS, f -> decoders.get(f) != null);
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
        bytes.add(inputBytes.of(record));
        byFormat.add(record.format());
        recordsByFormat.of(record.format()).inc();
        DecodeResult result = decoders.decode(record);
        if (!result.ok()) {
            dead(DeadLetter.of(record, result.error()), record, ctx);
            return;
        }
        String outOfBounds = bounds.violation(record, result.events(), ctx.timerService().currentProcessingTime());
        if (outOfBounds != null) {
            dead(DeadLetter.of(record, outOfBounds, DeadLetter.EVENT_TIME), record, ctx);
            return;
        }
        decoded.add(1);
        eventsByFormat.of(record.format()).inc(result.events().size());
        for (SecurityEvent event : result.events()) {
            events.add(1);
            byAction.add(event.eventAction() == null ? DecodeCounters.NO_ACTION : event.eventAction());
            if (event.eventAction() != null && event.eventOutcome() != null) {
                byActionOutcome.add(event.eventAction() + "/" + event.eventOutcome());
            }
            out.collect(event);
        }
    }

    private void dead(DeadLetter letter, RawRecord record, Context ctx) {
        deadLetters.add(1);
        deadByFormat.add(record.format());
        deadByKind.add(letter.kind());
        ctx.output(DEAD_LETTERS, letter);
    }
}
