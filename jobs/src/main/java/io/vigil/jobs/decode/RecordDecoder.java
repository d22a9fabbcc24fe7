package io.vigil.jobs.decode;

import io.vigil.formats.DecodeResult;
import io.vigil.formats.DecoderOptions;
import io.vigil.formats.DecoderRegistry;
import io.vigil.model.DeadLetter;
import io.vigil.model.RawRecord;
import java.util.Objects;

/**
 * Decodes one raw record into a {@link Decoded}: its events, or exactly one dead letter with its
 * reason when it cannot be decoded ({@link DeadLetter#DECODE}) or one of its events is out of the
 * {@link EventTimeBounds} ({@link DeadLetter#EVENT_TIME}, the record whole: no event of it reaches
 * the watermark or an index name). Never throws for bad input. Stateful like its decoders (the
 * syslog decoder places year-less timestamps per stream): one per reading task, fed in order.
 */
public final class RecordDecoder {

    private final DecoderRegistry decoders;
    private final EventTimeBounds bounds;

    public RecordDecoder(DecoderOptions options, EventTimeBounds bounds) {
        this.decoders = new DecoderRegistry(options);
        this.bounds = Objects.requireNonNull(bounds, "bounds");
    }

    /** Whether {@code format} names a decoder (metrics label unknown formats "other"). */
    public boolean knows(String format) {
        return decoders.get(format) != null;
    }

    /**
     * @param nowMillis the task's clock, for the bounds around the ingest time
     */
    public Decoded decode(RawRecord record, long nowMillis) {
        DecodeResult result = decoders.decode(record);
        if (!result.ok()) {
            return Decoded.dead(record, DeadLetter.of(record, result.error()));
        }
        String outOfBounds = bounds.violation(record, result.events(), nowMillis);
        if (outOfBounds != null) {
            return Decoded.dead(record, DeadLetter.of(record, outOfBounds, DeadLetter.EVENT_TIME));
        }
        return Decoded.of(record, result.events());
    }
}
