package io.vigil.formats.evtx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * One 64 KiB chunk being filled with event records: the 512-byte chunk header (written by
 * {@link #finish()} with both CRC32s), records from offset 512, each record's binary XML a template
 * instance whose definition is inline the first time the chunk uses it. The common string offset
 * table and the template pointer table of the header are left zero: every name and template is
 * reached through the offsets in the records themselves.
 *
 * <p>Reused across chunks by {@link #reset()}, so writing a file holds one chunk in memory.
 */
final class EvtxChunkWriter {

    static final int HEADER_SIZE_FIELD = 128;
    static final byte[] RECORD_SIGNATURE = {'*', '*', 0, 0};
    static final int RECORD_ALIGNMENT = 8;
    /**
     * Bytes left free at the end of every chunk: libevtx (evtxexport, evtxinfo) does not see a record
     * that ends in the last 4 bytes of its chunk (seen with records ending at 65,534 and 65,536; one
     * ending at 65,532 is read), so no record ends there.
     */
    static final int TAIL_RESERVED = 4;

    private final byte[] chunk = new byte[EvtxReader.CHUNK_BYTES];
    private EvtxBinXmlWriter xml;
    private int records;
    private long firstRecordId;
    private long lastRecordId;
    private int lastRecordOffset;

    EvtxChunkWriter() {
        reset();
    }

    /** Empties the chunk: no records, no names, no templates. */
    void reset() {
        Arrays.fill(chunk, (byte) 0);
        xml = new EvtxBinXmlWriter(chunk, EvtxReader.CHUNK_HEADER_BYTES, EvtxReader.CHUNK_BYTES - TAIL_RESERVED);
        records = 0;
        firstRecordId = 0;
        lastRecordId = 0;
        lastRecordOffset = 0;
    }

    int records() {
        return records;
    }

    /**
     * Appends {@code e} as a record.
     *
     * @return {@code false} when the record does not fit: the chunk's records are as before, and it
     *     is to be finished (the names and templates of the refused record stay remembered)
     * @throws IllegalArgumentException when the event does not fit even in an empty chunk
     */
    boolean add(EvtxEvent e) {
        int start = xml.position();
        try {
            writeRecord(e, start);
        } catch (EvtxBinXmlWriter.ChunkFull full) {
            xml.rollback(start);
            Arrays.fill(chunk, start, chunk.length, (byte) 0);
            if (records == 0) {
                throw new IllegalArgumentException("event " + e.recordId() + " does not fit in an empty chunk");
            }
            return false;
        }
        if (records == 0) {
            firstRecordId = e.recordId();
        }
        records++;
        lastRecordId = e.recordId();
        lastRecordOffset = start;
        return true;
    }

    private void writeRecord(EvtxEvent e, int start) {
        xml.bytes(RECORD_SIGNATURE);
        xml.u32(0); // size, known at the end
        xml.u64(e.recordId());
        xml.u64(EvtxTypedValue.fileTimeTicks(e.written()));
        xml.fragmentHeader();
        writeTemplateInstance(e);
        xml.u8(EvtxBinXmlWriter.EOF);
        while ((xml.position() - start + 4) % RECORD_ALIGNMENT != 0) {
            xml.u8(0); // Windows' records are 8-byte multiples, the slack after the end of stream unread
        }
        int size = xml.position() - start + 4;
        xml.u32(size);
        xml.putU32(start + 4, size);
    }

    private void writeTemplateInstance(EvtxEvent e) {
        EvtxEventTemplate.Shape shape = EvtxEventTemplate.Shape.of(e);
        xml.u8(EvtxBinXmlWriter.TEMPLATE_INSTANCE);
        xml.u8(1);
        int[] defined = xml.template(shape);
        if (defined != null) {
            xml.u32(defined[0]);
            xml.u32(defined[1]);
        } else {
            UUID guid = shape.guid();
            int id = (int) (guid.getMostSignificantBits() >>> 32); // template identifier: the GUID's Data1
            xml.u32(id);
            int at = xml.position() + 4;
            xml.u32(at);
            xml.u32(0); // next template in the template pointer table's bucket: that table is left empty
            xml.bytes(EvtxTypedValue.guidBytes(guid));
            int dataSize = xml.position();
            xml.u32(0);
            EvtxEventTemplate.writeDefinition(xml, shape);
            xml.patchSizeSince(dataSize);
            xml.rememberTemplate(shape, id, at);
        }
        List<EvtxTypedValue> values = EvtxEventTemplate.values(e);
        xml.u32(values.size());
        for (EvtxTypedValue v : values) {
            xml.u16(v.bytes().length);
            xml.u8(v.descriptorType());
            xml.u8(0);
        }
        for (EvtxTypedValue v : values) {
            xml.bytes(v.bytes());
        }
    }

    /**
     * Writes the chunk header (record numbers and identifiers, offsets, both CRC32s) and returns the
     * whole chunk. The array is this writer's own: use it before the next {@link #reset()}.
     */
    byte[] finish() {
        int freeSpace = xml.position();
        ByteBuffer h = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        h.put(0, EvtxReader.CHUNK_SIGNATURE);
        // record numbers (position in the log) equal the identifiers in a log never cleared
        h.putLong(8, firstRecordId);
        h.putLong(16, lastRecordId);
        h.putLong(24, firstRecordId);
        h.putLong(32, lastRecordId);
        h.putInt(40, HEADER_SIZE_FIELD);
        h.putInt(44, lastRecordOffset);
        h.putInt(48, freeSpace);
        h.putInt(52, (int) crc(chunk, EvtxReader.CHUNK_HEADER_BYTES, freeSpace));
        CRC32 header = new CRC32();
        header.update(chunk, 0, 120);
        header.update(chunk, 128, EvtxReader.CHUNK_HEADER_BYTES - 128);
        h.putInt(124, (int) header.getValue());
        return chunk;
    }

    static long crc(byte[] bytes, int from, int to) {
        CRC32 crc = new CRC32();
        crc.update(bytes, from, to - from);
        return crc.getValue();
    }
}
