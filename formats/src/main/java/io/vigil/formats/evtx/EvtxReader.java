package io.vigil.formats.evtx;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Reads a Windows event log file ({@code .evtx}) from a stream, one chunk at a time: the 4 KiB file
 * header, then 64 KiB chunks, each record's binary XML (templates, substitutions) rendered as
 * evtx_dump's JSON. Damaged evidence is still read: a bad chunk or record is one {@link Item} with
 * the reason, every good record beside it is decoded; the reader never throws for content, never
 * loops, and holds one chunk and one record's JSON; a record's work is bounded by
 * {@link BinXmlParser#MAX_STEPS} tokens and values, and its JSON by {@link JsonBytes#MAX_BYTES}.
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

    /** A chunk's header; its records (and so their names and templates) start after it. */
    static final int CHUNK_HEADER_BYTES = 512;
    private static final int RECORD_SIGNATURE = 0x00002a2a;
    /** Record header (signature, size, id, written time) and the trailing size copy. */
    private static final int RECORD_OVERHEAD = 28;

    private final InputStream in;
    private final byte[] chunk = new byte[CHUNK_BYTES];
    private final BinXmlParser parser = new BinXmlParser();
    private final JsonBytes json = new JsonBytes();
    private final EvtxJson renderer = new EvtxJson();
    private final CRC32 crc = new CRC32();
    private final ArrayDeque<Item> pending = new ArrayDeque<>(4);

    private long bytesRead;
    private boolean headerRead;
    private boolean ended;
    /** Chunks the file header counts; -1 when the header cannot be trusted (dirty, bad checksum). */
    private int headerChunks = -1;
    private int chunkIndex = -1;
    private long chunkOffset;
    private int chunkBytes;
    /** The next record offset in the chunk and where records end; {@code p >= end}: chunk done. */
    private int p;
    private int end;
    /** Whether the chunk's header can be trusted (signature and checksum). */
    private boolean chunkHeaderOk;
    /** Where the chunk's header says records end, when the file stops before that. */
    private int missingUpTo;
    /** The id the next record should have, {@code -1} before the chunk's first record. */
    private long nextId;

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
        while (true) {
            if (!pending.isEmpty()) {
                return pending.poll();
            }
            if (ended) {
                return null;
            }
            if (!headerRead) {
                readFileHeader();
                continue;
            }
            if (p < end) {
                Item item = nextRecord();
                if (item != null) {
                    return item;
                }
                continue;
            }
            if (missingUpTo > 0) {
                pending.add(damage(chunkOffset + p, -1, new byte[0], "chunk " + chunkIndex + " cut short by the end of the file: "
                        + chunkBytes + " of " + CHUNK_BYTES + " bytes present, records up to chunk offset " + missingUpTo
                        + " are missing"));
                missingUpTo = 0;
                continue;
            }
            readChunk();
        }
    }

    /** Bytes consumed from the stream so far. */
    public long bytesRead() {
        return bytesRead;
    }

    private void readFileHeader() throws IOException {
        headerRead = true;
        int n = in.readNBytes(chunk, 0, FILE_HEADER_BYTES);
        bytesRead += n;
        if (n < FILE_HEADER_BYTES) {
            ended = true;
            pending.add(damage(0, -1, Arrays.copyOf(chunk, n), "file header cut short: " + n + " of "
                    + FILE_HEADER_BYTES + " bytes (the file ends before its first chunk)"));
            return;
        }
        crc.reset();
        crc.update(chunk, 0, 120);
        boolean checksumOk = (int) crc.getValue() == ChunkBytes.i32(chunk, 124);
        boolean dirty = (ChunkBytes.i32(chunk, 120) & 0x1) != 0;
        // a dirty file was not closed cleanly: its header may lag behind its chunks, which are read all the same
        headerChunks = checksumOk && !dirty ? ChunkBytes.u16(chunk, 42) : -1;
    }

    private void readChunk() throws IOException {
        int n = in.readNBytes(chunk, 0, CHUNK_BYTES);
        bytesRead += n;
        if (n == 0) {
            ended = true;
            if (headerChunks > chunkIndex + 1) {
                long at = FILE_HEADER_BYTES + (long) (chunkIndex + 1) * CHUNK_BYTES;
                pending.add(damage(at, -1, new byte[0], "the file ends after " + (chunkIndex + 1) + " of the "
                        + headerChunks + " chunks its header counts"));
            }
            return;
        }
        chunkIndex++;
        chunkOffset = FILE_HEADER_BYTES + (long) chunkIndex * CHUNK_BYTES;
        chunkBytes = n;
        p = 0;
        end = 0;
        missingUpTo = 0;
        nextId = -1;
        if (n < CHUNK_SIGNATURE.length || !startsWith(chunk, CHUNK_SIGNATURE)) {
            if (zeros(chunk, n)) {
                if (headerChunks >= 0 && chunkIndex < headerChunks) {
                    pending.add(damage(chunkOffset, -1, new byte[0], "chunk " + chunkIndex
                            + " is all zeros, though the file header counts " + headerChunks + " chunks"));
                }
                return; // space the file keeps for chunks to come
            }
            pending.add(damage(chunkOffset, -1, Arrays.copyOf(chunk, n), "chunk " + chunkIndex + " has no ElfChnk signature"
                    + (n < CHUNK_BYTES ? " (" + n + " bytes, cut short by the end of the file)" : "")));
            return;
        }
        if (n < CHUNK_HEADER_BYTES) {
            pending.add(damage(chunkOffset, -1, Arrays.copyOf(chunk, n), "chunk " + chunkIndex
                    + " cut short by the end of the file inside its header: " + n + " of " + CHUNK_BYTES + " bytes"));
            return;
        }
        parser.chunk(chunk, n);
        crc.reset();
        crc.update(chunk, 0, 120);
        crc.update(chunk, 128, CHUNK_HEADER_BYTES - 128);
        chunkHeaderOk = (int) crc.getValue() == ChunkBytes.i32(chunk, 124);
        long freeSpace = ChunkBytes.u32(chunk, 48);
        boolean freeSpaceOk = freeSpace >= CHUNK_HEADER_BYTES && freeSpace <= CHUNK_BYTES;
        if (!chunkHeaderOk) {
            pending.add(damage(chunkOffset, -1, Arrays.copyOf(chunk, CHUNK_HEADER_BYTES), "chunk " + chunkIndex
                    + " header checksum mismatch: its records are read without trusting the header"));
            end = n;
        } else if (!freeSpaceOk) {
            pending.add(damage(chunkOffset, -1, Arrays.copyOf(chunk, CHUNK_HEADER_BYTES), "chunk " + chunkIndex
                    + " header gives records ending at " + freeSpace + ", outside the chunk"));
            chunkHeaderOk = false;
            end = n;
        } else if (freeSpace > n) {
            end = n; // cut short by the end of the file: what is there is read, the rest reported
            missingUpTo = (int) freeSpace;
        } else {
            end = (int) freeSpace;
            crc.reset();
            crc.update(chunk, CHUNK_HEADER_BYTES, end - CHUNK_HEADER_BYTES);
            if ((int) crc.getValue() != ChunkBytes.i32(chunk, 52)) {
                pending.add(damage(chunkOffset, -1, Arrays.copyOf(chunk, CHUNK_HEADER_BYTES), "chunk " + chunkIndex
                        + " records checksum mismatch: its records are read, but one of them may have been altered"));
            }
        }
        p = CHUNK_HEADER_BYTES;
    }

    /** The record at {@code p}, or a damaged piece; {@code null} when the chunk has no more. */
    private Item nextRecord() {
        int at = p;
        if (at + RECORD_OVERHEAD > end) {
            return tail(at);
        }
        if (!chunkHeaderOk && (ChunkBytes.i32(chunk, at) != RECORD_SIGNATURE
                || (nextId >= 0 && ChunkBytes.i64(chunk, at + 8) != nextId))) {
            // without a header to say where records end, a record is one that continues the id
            // sequence: a damaged one is skipped to the next in sequence; where none follows, the
            // rest is the chunk's unused space, or leftovers of an older log, kept as one item
            if (zeros(chunk, at, end)) {
                p = end;
                return null;
            }
            int next = resyncInSequence(at + 1);
            p = next;
            return damage(chunkOffset + at, -1, Arrays.copyOfRange(chunk, at, next), next == end
                    ? (end - at) + " bytes after the last record of chunk " + chunkIndex
                            + " (whose header cannot be trusted) hold no record in sequence"
                    : "no record in sequence at chunk " + chunkIndex + " offset " + at + " (whose header cannot be trusted; "
                            + (next - at) + " bytes skipped to the next record)");
        }
        if (ChunkBytes.i32(chunk, at) != RECORD_SIGNATURE) {
            int next = resync(at + 1);
            p = next;
            return damage(chunkOffset + at, -1, Arrays.copyOfRange(chunk, at, next), "no record signature at chunk "
                    + chunkIndex + " offset " + at + " (" + (next - at) + " bytes skipped to the next record)");
        }
        long size = ChunkBytes.u32(chunk, at + 4);
        long id = ChunkBytes.i64(chunk, at + 8);
        if (size < RECORD_OVERHEAD || at + size > CHUNK_BYTES) {
            int next = resync(at + 4);
            p = next;
            nextId = nextId >= 0 ? nextId + 1 : id + 1; // the damaged record had its place in the sequence
            return damage(chunkOffset + at, id, Arrays.copyOfRange(chunk, at, next), "record " + Long.toUnsignedString(id)
                    + " size " + size + " runs past its chunk");
        }
        if (at + size > end) {
            if (missingUpTo > 0 || at + size > chunkBytes) {
                p = end;
                missingUpTo = 0;
                return damage(chunkOffset + at, id, Arrays.copyOfRange(chunk, at, end), "record " + Long.toUnsignedString(id)
                        + " of " + size + " bytes cut short by the end of the file (" + (end - at) + " bytes present)");
            }
            int next = resync(at + 4);
            p = next;
            nextId = nextId >= 0 ? nextId + 1 : id + 1; // the damaged record had its place in the sequence
            return damage(chunkOffset + at, id, Arrays.copyOfRange(chunk, at, next), "record " + Long.toUnsignedString(id)
                    + " of " + size + " bytes runs past the end of its chunk's records");
        }
        int recordEnd = at + (int) size;
        if (ChunkBytes.u32(chunk, recordEnd - 4) != size) {
            int next = resync(at + 4);
            p = next;
            nextId = nextId >= 0 ? nextId + 1 : id + 1; // the damaged record had its place in the sequence
            return damage(chunkOffset + at, id, Arrays.copyOfRange(chunk, at, next), "record " + Long.toUnsignedString(id)
                    + " size " + size + " does not match the copy at its end");
        }
        p = recordEnd;
        nextId = id + 1;
        try {
            BinXmlNode event = parser.record(at + 24, recordEnd - 4);
            json.reset();
            renderer.write(event, json);
            return new Item(chunkOffset + at, id, json.toBytes(), null);
        } catch (JsonBytes.TooLarge e) {
            return damage(chunkOffset + at, id, Arrays.copyOfRange(chunk, at, recordEnd), "record "
                    + Long.toUnsignedString(id) + ": " + e.getMessage());
        } catch (BinXmlParser.BadRecord e) {
            return damage(chunkOffset + at, id, Arrays.copyOfRange(chunk, at, recordEnd), "record "
                    + Long.toUnsignedString(id) + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // a reading this class did not foresee: the record is evidence all the same
            return damage(chunkOffset + at, id, Arrays.copyOfRange(chunk, at, recordEnd), "record "
                    + Long.toUnsignedString(id) + " could not be read: " + e);
        }
    }

    /** The bytes between the last record and {@code end}: slack when zero, else damage. */
    private Item tail(int at) {
        p = end;
        if (at >= end || zeros(chunk, at, end)) {
            return null;
        }
        if (missingUpTo > 0) {
            missingUpTo = 0;
            return damage(chunkOffset + at, -1, Arrays.copyOfRange(chunk, at, end), "chunk " + chunkIndex
                    + " cut short by the end of the file inside a record (" + (end - at) + " bytes present)");
        }
        return chunkHeaderOk
                ? damage(chunkOffset + at, -1, Arrays.copyOfRange(chunk, at, end), (end - at)
                        + " bytes after the last record of chunk " + chunkIndex + " are too few for a record")
                : null;
    }

    /** How far ahead of the expected id a record found by resynchronizing may be. */
    private static final long SEQUENCE_WINDOW = 4096;

    /**
     * The offset of the next plausible record after {@code from} whose id continues the chunk's
     * sequence (within {@link #SEQUENCE_WINDOW} of the next expected id), or {@code end}: stale
     * records of an older log left in the chunk's slack have ids out of sequence.
     */
    private int resyncInSequence(int from) {
        for (int q = resync(from); q < end; q = resync(q + 1)) {
            long id = ChunkBytes.i64(chunk, q + 8);
            if (nextId < 0 || (id >= nextId && id - nextId < SEQUENCE_WINDOW)) {
                nextId = id; // the records between were lost with the damage
                return q;
            }
        }
        return end;
    }

    /** The offset of the next plausible record after {@code from}, or {@code end}. */
    private int resync(int from) {
        for (int q = from; q + RECORD_OVERHEAD <= end; q++) {
            if (chunk[q] == 0x2a && chunk[q + 1] == 0x2a && chunk[q + 2] == 0 && chunk[q + 3] == 0) {
                long size = ChunkBytes.u32(chunk, q + 4);
                if (size >= RECORD_OVERHEAD && q + size <= end && ChunkBytes.u32(chunk, q + (int) size - 4) == size) {
                    return q;
                }
            }
        }
        return end;
    }

    private static Item damage(long offset, long recordId, byte[] bytes, String reason) {
        return new Item(offset, recordId, bytes, reason);
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean zeros(byte[] b, int n) {
        return zeros(b, 0, n);
    }

    private static boolean zeros(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
