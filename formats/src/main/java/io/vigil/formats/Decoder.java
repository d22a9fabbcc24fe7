package io.vigil.formats;

import io.vigil.model.RawRecord;

/**
 * A pure function from one raw record of a log format to normalized events, or to the reason it
 * cannot be decoded. Implementations are not thread-safe unless they say so: use one per task.
 *
 * <p>Contract: {@link #decode} never throws for bad input (a decoder bug is caught by
 * {@link DecoderRegistry#decode} and dead-lettered all the same); a successful result holds at
 * least one event; every event carries the record's origin and {@code event.original}.
 */
public interface Decoder {

    /** The format name, as given to {@code --format}. */
    String format();

    DecodeResult decode(RawRecord record);
}
