package io.vigil.formats.input;

import io.vigil.formats.Formats;
import io.vigil.formats.evtx.EvtxReader;
import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;

/**
 * Frames a Windows event log file into {@link RawRecord}s of format {@link Formats#EVTX}: a good
 * record as evtx_dump's JSON, a damaged chunk or record as its bytes with the reason in
 * {@link RawRecord#header()}; the origin's offset is the byte offset in the file.
 */
public final class EvtxFramer implements RecordFramer {

    private final EvtxReader reader;
    private final String source;
    private final Instant referenceTime;
    private final int maxBytes;

    public EvtxFramer(InputStream in, String source, Instant referenceTime, int maxBytes) {
        this.reader = new EvtxReader(in);
        this.source = source;
        this.referenceTime = referenceTime;
        this.maxBytes = maxBytes;
    }

    @Override
    public RawRecord next() throws IOException {
        EvtxReader.Item item = reader.next();
        if (item == null) {
            return null;
        }
        Origin origin = Origin.file(source, item.offset());
        byte[] bytes = item.bytes();
        long truncatedFrom = -1;
        if (item.ok() && bytes.length > maxBytes) {
            truncatedFrom = bytes.length;
            bytes = java.util.Arrays.copyOf(bytes, maxBytes);
        }
        return new RawRecord(bytes, origin, Formats.EVTX, item.damage(), referenceTime, truncatedFrom);
    }

    @Override
    public long skipped() {
        return 0;
    }

    @Override
    public long bytesRead() {
        return reader.bytesRead();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
