package io.vigil.formats.evtx;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes Windows event log files ({@code .evtx}) from {@link EvtxEvent}s, from the public
 * descriptions of the format (libyal's EVTX notes, Microsoft's binary XML notes): a 4 KiB file
 * header, then 64 KiB chunks of records, a new chunk when a record does not fit; each record's
 * binary XML a template instance, the template defined inline the first time a chunk uses it and
 * referenced afterwards, names likewise. Independent of {@link EvtxReader}: tests read its files
 * back, the bench writes its large input with it.
 *
 * <p>The file header comes first but names the number of chunks and the next record identifier,
 * which are known only once every record is placed: the events are therefore gone through twice,
 * once to lay the chunks out and once to write them, so the iterable must give the same events
 * each time. Memory stays one chunk (for {@link #toBytes}, the file itself).
 */
public final class EvtxWriter {

    static final int HEADER_SIZE = 128;
    static final short MINOR_VERSION = 1;
    static final short MAJOR_VERSION = 3;
    static final int FLAG_DIRTY = 0x1;
    static final int FLAG_FULL = 0x2;

    /**
     * File flags of the header.
     *
     * @param dirty the log was not closed cleanly (flag 0x1)
     * @param full the log reached its maximum size (flag 0x2)
     */
    public record Options(boolean dirty, boolean full) {
        /** A log closed cleanly, not full. */
        public static Options clean() {
            return new Options(false, false);
        }

        int flags() {
            return (dirty ? FLAG_DIRTY : 0) | (full ? FLAG_FULL : 0);
        }
    }

    /** What the chunks hold, for the file header. */
    private record Layout(int chunks, long nextRecordId) {}

    /** Receives each finished chunk. */
    private interface ChunkSink {
        void accept(byte[] chunk) throws IOException;
    }

    private EvtxWriter() {}

    /** The file for {@code events}, as a clean log. */
    public static byte[] toBytes(Iterable<EvtxEvent> events) {
        return toBytes(events, Options.clean());
    }

    public static byte[] toBytes(Iterable<EvtxEvent> events, Options options) {
        Layout layout = layout(events);
        long size = EvtxReader.FILE_HEADER_BYTES + (long) layout.chunks() * EvtxReader.CHUNK_BYTES;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a file of " + size + " bytes does not fit in an array");
        }
        byte[] file = new byte[(int) size];
        System.arraycopy(fileHeader(layout, options), 0, file, 0, EvtxReader.FILE_HEADER_BYTES);
        int[] at = {EvtxReader.FILE_HEADER_BYTES};
        try {
            Layout written = writeChunks(events, chunk -> {
                if (at[0] + chunk.length > file.length) {
                    throw new IllegalStateException(differed(layout, null));
                }
                System.arraycopy(chunk, 0, file, at[0], chunk.length);
                at[0] += chunk.length;
            });
            checkSame(layout, written);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an array sink does not throw
        }
        return file;
    }

    /** Writes the file for {@code events} to {@code out} (not closed), as a clean log. */
    public static void write(Iterable<EvtxEvent> events, OutputStream out) throws IOException {
        write(events, out, Options.clean());
    }

    public static void write(Iterable<EvtxEvent> events, OutputStream out, Options options) throws IOException {
        Layout layout = layout(events);
        out.write(fileHeader(layout, options));
        checkSame(layout, writeChunks(events, out::write));
        out.flush();
    }

    /** The header was written from the first pass: a second pass that differs made a wrong file. */
    private static void checkSame(Layout first, Layout second) {
        if (!first.equals(second)) {
            throw new IllegalStateException(differed(first, second));
        }
    }

    private static String differed(Layout first, Layout second) {
        return "the events differed between the two passes (" + first + ", then " + (second == null ? "more chunks"
                : second) + "): give an iterable that yields the same events each time";
    }

    private static Layout layout(Iterable<EvtxEvent> events) {
        try {
            return writeChunks(events, chunk -> {});
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the sink above does not throw
        }
    }

    private static Layout writeChunks(Iterable<EvtxEvent> events, ChunkSink sink) throws IOException {
        EvtxChunkWriter chunk = new EvtxChunkWriter();
        int chunks = 0;
        long lastRecordId = 0;
        for (EvtxEvent e : events) {
            if (!chunk.add(e)) {
                sink.accept(chunk.finish());
                chunks++;
                chunk.reset();
                chunk.add(e); // fits: an empty chunk takes any event that add did not refuse outright
            }
            lastRecordId = e.recordId();
        }
        if (chunk.records() > 0) {
            sink.accept(chunk.finish());
            chunks++;
        }
        if (chunks > 0xFFFF) {
            throw new IllegalArgumentException(chunks + " chunks: the file header counts at most 65535");
        }
        return new Layout(chunks, lastRecordId + 1);
    }

    /** The 4 KiB file header: chunk numbers and count, next record id, version 3.1, flags, CRC32. */
    private static byte[] fileHeader(Layout layout, Options options) {
        byte[] header = new byte[EvtxReader.FILE_HEADER_BYTES];
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        h.put(0, EvtxReader.FILE_SIGNATURE);
        h.putLong(8, 0); // first chunk number
        h.putLong(16, Math.max(0, layout.chunks() - 1)); // last chunk number
        h.putLong(24, layout.nextRecordId());
        h.putInt(32, HEADER_SIZE);
        h.putShort(36, MINOR_VERSION);
        h.putShort(38, MAJOR_VERSION);
        h.putShort(40, (short) EvtxReader.FILE_HEADER_BYTES);
        h.putShort(42, (short) layout.chunks());
        h.putInt(120, options.flags());
        h.putInt(124, (int) EvtxChunkWriter.crc(header, 0, 120));
        return header;
    }
}
