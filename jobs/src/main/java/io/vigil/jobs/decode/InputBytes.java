package io.vigil.jobs.decode;

import io.vigil.formats.Formats;
import io.vigil.model.Origin;
import io.vigil.model.RawRecord;

/**
 * The bytes of input each record stands for, summed for progress (replay compares the sum with
 * the size of its files). A text or JSON record is its own bytes. A record of a Windows event log
 * file arrives rendered as JSON, whose length says nothing of the file: it stands for the file's
 * bytes from the previous record of the same file to its own byte offset (the first record of a
 * file: from the file's start, header included), so a file's records add up to the offset of its
 * last record, within one record and the chunk's unused end of the file's size.
 *
 * <p>One instance per task: a task reads a file's records in file order, one file at a time
 * (the decoder runs chained to the file source, files are not split).
 */
final class InputBytes {

    private String evtxSource;
    private long evtxOffset;

    long of(RawRecord record) {
        Origin origin = record.origin();
        if (!Formats.EVTX.equals(record.format()) || !Origin.FILE.equals(origin.kind())) {
            return record.truncated() ? record.truncatedFrom() : record.bytes().length;
        }
        long from = origin.source().equals(evtxSource) ? evtxOffset : 0;
        evtxSource = origin.source();
        // offsets only grow within a file; a smaller one would count nothing rather than go negative
        evtxOffset = Math.max(from, origin.offset());
        return evtxOffset - from;
    }
}
