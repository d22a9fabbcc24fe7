package io.vigil.jobs.decode;

import io.vigil.formats.DecoderOptions;
import io.vigil.model.SecurityEvent;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Splits the records a {@link DecodingSource} decoded: each event is emitted with its own event
 * time as its timestamp, a dead letter on {@link DecodeFunction#DEAD_LETTERS}, and the decode
 * counters ({@link DecodeCounters}, metrics per format) are counted here, as the decode step's.
 * Watermarks pass through: the source made them per split. Stateless; chained to the source.
 */
public final class SplitDecodedOperator extends AbstractStreamOperator<SecurityEvent>
        implements OneInputStreamOperator<Decoded, SecurityEvent> {

    private static final long serialVersionUID = 1L;

    private final DecoderOptions options;
    private transient DecodeCounting counting;

    /** {@code options}: those of the source's decoders (which formats are labelled in the metrics). */
    public SplitDecodedOperator(DecoderOptions options) {
        this.options = options;
    }

    @Override
    public void open() throws Exception {
        super.open();
        RecordDecoder formats = new RecordDecoder(options, EventTimeBounds.anyYear());
        counting = new DecodeCounting(getRuntimeContext(), formats::knows);
    }

    @Override
    public void processElement(StreamRecord<Decoded> element) {
        Decoded d = element.getValue();
        counting.count(d);
        if (d.deadLetter() != null) {
            output.collect(DecodeFunction.DEAD_LETTERS, element.replace(d.deadLetter()));
            return;
        }
        for (SecurityEvent event : d.events()) {
            output.collect(new StreamRecord<>(event, event.timestamp().toEpochMilli()));
        }
    }
}
