package io.vigil.formats.input;

import io.vigil.model.RawRecord;
import java.io.Closeable;
import java.io.IOException;

/**
 * Cuts one input stream (a file) into {@link RawRecord}s of one format. Framing is about record
 * boundaries only; what a record means is the decoder's business.
 */
public interface RecordFramer extends Closeable {

    /** The next record, or {@code null} at the end of the stream. */
    RawRecord next() throws IOException;

    /** Lines that were not records: blank lines and Zeek header/footer lines. */
    long skipped();

    /** Bytes consumed so far. */
    long bytesRead();
}
