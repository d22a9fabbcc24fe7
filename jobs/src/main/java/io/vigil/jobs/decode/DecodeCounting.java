package io.vigil.jobs.decode;

import io.vigil.jobs.metrics.CountMapAccumulator;
import io.vigil.jobs.metrics.LabelledCounters;
import io.vigil.jobs.metrics.VigilMetrics;
import io.vigil.model.DeadLetter;
import io.vigil.model.SecurityEvent;
import java.util.function.Predicate;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;

/**
 * The decode step's numbers, counted per {@link Decoded} record where its events and dead letters
 * are emitted: the accumulators of {@link DecodeCounters} (the replay summary) and the Flink
 * metrics per format (docs/metrics.md).
 */
final class DecodeCounting {

    private final InputBytes inputBytes = new InputBytes();
    private final LongCounter records;
    private final LongCounter decoded;
    private final LongCounter events;
    private final LongCounter deadLetters;
    private final LongCounter bytes;
    private final CountMapAccumulator byFormat;
    private final CountMapAccumulator byAction;
    private final CountMapAccumulator byActionOutcome;
    private final CountMapAccumulator deadByFormat;
    private final CountMapAccumulator deadByKind;
    /** Flink metrics per format: formats the decoders know, others as "other". */
    private final LabelledCounters recordsByFormat;
    private final LabelledCounters eventsByFormat;

    DecodeCounting(RuntimeContext context, Predicate<String> knownFormat) {
        records = counter(context, DecodeCounters.RECORDS);
        decoded = counter(context, DecodeCounters.DECODED);
        events = counter(context, DecodeCounters.EVENTS);
        deadLetters = counter(context, DecodeCounters.DEAD_LETTERS);
        bytes = counter(context, DecodeCounters.BYTES);
        byFormat = countMap(context, DecodeCounters.BY_FORMAT);
        byAction = countMap(context, DecodeCounters.BY_ACTION);
        byActionOutcome = countMap(context, DecodeCounters.BY_ACTION_OUTCOME);
        deadByFormat = countMap(context, DecodeCounters.DEAD_BY_FORMAT);
        deadByKind = countMap(context, DecodeCounters.DEAD_BY_KIND);
        // a record's format comes from the configuration (its topic), never from its content
        recordsByFormat = new LabelledCounters(context.getMetricGroup(), VigilMetrics.FORMAT, VigilMetrics.RECORDS,
                knownFormat);
        eventsByFormat = new LabelledCounters(context.getMetricGroup(), VigilMetrics.FORMAT, VigilMetrics.EVENTS,
                knownFormat);
    }

    private static LongCounter counter(RuntimeContext context, String name) {
        LongCounter c = new LongCounter();
        context.addAccumulator(name, c);
        return c;
    }

    private static CountMapAccumulator countMap(RuntimeContext context, String name) {
        CountMapAccumulator c = new CountMapAccumulator();
        context.addAccumulator(name, c);
        return c;
    }

    /** Counts {@code d}: the record, then its dead letter or its events. */
    void count(Decoded d) {
        String format = d.record().format();
        records.add(1);
        bytes.add(inputBytes.of(d.record()));
        byFormat.add(format);
        recordsByFormat.of(format).inc();
        DeadLetter letter = d.deadLetter();
        if (letter != null) {
            deadLetters.add(1);
            deadByFormat.add(format);
            deadByKind.add(letter.kind());
            return;
        }
        decoded.add(1);
        eventsByFormat.of(format).inc(d.events().size());
        for (SecurityEvent event : d.events()) {
            events.add(1);
            byAction.add(event.eventAction() == null ? DecodeCounters.NO_ACTION : event.eventAction());
            if (event.eventAction() != null && event.eventOutcome() != null) {
                byActionOutcome.add(event.eventAction() + "/" + event.eventOutcome());
            }
        }
    }
}
