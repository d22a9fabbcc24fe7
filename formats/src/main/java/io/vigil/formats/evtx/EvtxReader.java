package io.vigil.formats.evtx;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a Windows event log file ({@code .evtx}) from a stream, one chunk at a time: the 4 KiB file
 * header, then 64 KiB chunks, each record's binary XML (templates, substitutions) rendered as
 * evtx_dump's JSON. Damaged evidence is still read: a bad chunk or record is one {@link Item} with
 * the reason, every good record beside it is decoded; the reader never throws for content, never
 * loops, and holds at most one chunk.
 */
public final class EvtxReader implements Closeable {

    /** The file signature, {@code ElfFile\0}. */
    public static final byte[] FILE_SIGNATURE = {'E', 'l', 'f', 'F', 'i', 'l', 'e', 0};
    /** The chunk signature, {@code ElfChnk\0}. */
    public static final byte[] CHUNK_SIGNATURE = {'E', 'l', 'f', 'C', 'h', 'n', 'k', 0};
    public static final int FILE_HEADER_BYTES = 4096;
    public static final int CHUNK_BYTES = 65536;

    /**
     * One thing read from the file.
     *
     * @param offset byte offset in the file of the record, or of the damaged chunk or record
     * @param recordId the record's identifier, {@code -1} when unknown
     * @param bytes the record as compact evtx_dump JSON ({@code {"Event":{…}}}, UTF-8), or, when
     *     {@code damage} is set, the damaged bytes (at most one chunk)
     * @param damage why the bytes are not a record, or {@code null} for a good record
     */
    public record Item(long offset, long recordId, byte[] bytes, String damage) {
        public boolean ok() {
            return damage == null;
        }
    }

    private final InputStream in;

    public EvtxReader(InputStream in) {
        this.in = in;
    }

    /** Whether {@code head} starts with the EVTX file signature. */
    public static boolean isEvtx(byte[] head) {
        if (head == null || head.length < FILE_SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < FILE_SIGNATURE.length; i++) {
            if (head[i] != FILE_SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /** The next record or damaged piece, or {@code null} at the end of the file. */
    public Item next() throws IOException {
        throw new UnsupportedOperationException("EVTX reading is being written (issue 17)");
    }

    /** Bytes consumed from the stream so far. */
    public long bytesRead() {
        return 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
