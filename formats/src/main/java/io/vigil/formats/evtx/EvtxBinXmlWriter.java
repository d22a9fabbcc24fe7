package io.vigil.formats.evtx;

import java.util.HashMap;
import java.util.Map;

/**
 * Binary XML tokens written little-endian into one chunk's bytes, with the chunk's memory of what
 * it already holds: an element or attribute name is written inline the first time the chunk uses
 * it and referenced by its chunk offset afterwards, as Windows does; template definitions likewise
 * (by {@link #template}/{@link #rememberTemplate}). A record that does not fit ends the chunk
 * (its names and templates are never referenced: the next record starts a new chunk and writer).
 *
 * <p>Writing past the limit throws {@link ChunkFull} (one shared instance without a stack
 * trace: a full chunk is the normal way a chunk ends, not an error).
 */
final class EvtxBinXmlWriter {

    /** The record being written does not fit in the chunk. */
    static final class ChunkFull extends RuntimeException {
        private static final ChunkFull INSTANCE = new ChunkFull();

        private ChunkFull() {
            super("chunk full", null, false, false);
        }
    }

    static final int EOF = 0x00;
    static final int OPEN_START_ELEMENT = 0x01;
    static final int CLOSE_START_ELEMENT = 0x02;
    static final int CLOSE_EMPTY_ELEMENT = 0x03;
    static final int END_ELEMENT = 0x04;
    static final int VALUE = 0x05;
    static final int ATTRIBUTE = 0x06;
    static final int TEMPLATE_INSTANCE = 0x0c;
    static final int NORMAL_SUBSTITUTION = 0x0d;
    static final int OPTIONAL_SUBSTITUTION = 0x0e;
    static final int FRAGMENT_HEADER = 0x0f;
    /** Set on a token when more of its kind follows (attributes) or an element has attributes. */
    static final int MORE = 0x40;
    private static final int STRING_TYPE = 0x01;
    private static final int NO_DEPENDENCY = 0xFFFF;

    private final byte[] chunk;
    private final int limit;
    private int pos;
    private final Map<String, Integer> names = new HashMap<>();
    private final Map<Object, int[]> templates = new HashMap<>();

    /** Writes into {@code chunk} from {@code start}, records ending at {@code limit} at most. */
    EvtxBinXmlWriter(byte[] chunk, int start, int limit) {
        this.chunk = chunk;
        this.pos = start;
        this.limit = limit;
    }

    int position() {
        return pos;
    }

    /** Moves back to {@code position}, the start of a record that did not fit. */
    void rollback(int position) {
        pos = position;
    }

    void u8(int v) {
        room(1);
        chunk[pos++] = (byte) v;
    }

    void u16(int v) {
        room(2);
        chunk[pos++] = (byte) v;
        chunk[pos++] = (byte) (v >>> 8);
    }

    void u32(int v) {
        room(4);
        putU32(pos, v);
        pos += 4;
    }

    void u64(long v) {
        u32((int) v);
        u32((int) (v >>> 32));
    }

    void bytes(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, chunk, pos, b.length);
        pos += b.length;
    }

    void utf16(String s) {
        room(2 * s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            chunk[pos++] = (byte) c;
            chunk[pos++] = (byte) (c >>> 8);
        }
    }

    /** Overwrites 4 bytes at {@code at} (sizes known only once their content is written). */
    void putU32(int at, int v) {
        chunk[at] = (byte) v;
        chunk[at + 1] = (byte) (v >>> 8);
        chunk[at + 2] = (byte) (v >>> 16);
        chunk[at + 3] = (byte) (v >>> 24);
    }

    /** Writes the size of what follows the 4-byte field at {@code sizeField} up to here. */
    void patchSizeSince(int sizeField) {
        putU32(sizeField, pos - sizeField - 4);
    }

    void fragmentHeader() {
        u8(FRAGMENT_HEADER);
        u8(1); // major version
        u8(1); // minor version
        u8(0); // flags
    }

    /**
     * Opens an element: token, dependency identifier, data size (patched by {@link #closeEmpty} or
     * {@link #endElement}), name, and with attributes the attribute list's size field.
     *
     * @return the element's data size field, then with attributes the attribute list size field
     */
    int[] openElement(String name, boolean withAttributes) {
        u8(withAttributes ? OPEN_START_ELEMENT | MORE : OPEN_START_ELEMENT);
        u16(NO_DEPENDENCY);
        int sizeField = pos;
        u32(0);
        name(name);
        if (!withAttributes) {
            return new int[] {sizeField, -1};
        }
        int attributeListField = pos;
        u32(0);
        return new int[] {sizeField, attributeListField};
    }

    /** An attribute's token and name; its value (text or substitution) follows. */
    void attribute(String name, boolean moreFollow) {
        u8(moreFollow ? ATTRIBUTE | MORE : ATTRIBUTE);
        name(name);
    }

    /** Ends the start tag; the content and {@link #endElement} follow. */
    void closeStart(int[] element) {
        endAttributes(element);
        u8(CLOSE_START_ELEMENT);
    }

    /** Ends an element without content ({@code <Name …/>}). */
    void closeEmpty(int[] element) {
        endAttributes(element);
        u8(CLOSE_EMPTY_ELEMENT);
        patchSizeSince(element[0]);
    }

    void endElement(int[] element) {
        u8(END_ELEMENT);
        patchSizeSince(element[0]);
    }

    private void endAttributes(int[] element) {
        if (element[1] >= 0) {
            patchSizeSince(element[1]);
        }
    }

    /** Literal text (a value token of string type, UTF-16 without terminator). */
    void text(String s) {
        u8(VALUE);
        u8(STRING_TYPE);
        u16(s.length());
        utf16(s);
    }

    void substitution(boolean optional, int index, int valueType) {
        u8(optional ? OPTIONAL_SUBSTITUTION : NORMAL_SUBSTITUTION);
        u16(index);
        u8(valueType);
    }

    /**
     * A name's chunk offset, followed by the name itself when the chunk does not hold it yet: the
     * offset then points just past itself, at the name structure (next-name offset 0, hash,
     * character count, UTF-16 with terminator).
     */
    void name(String name) {
        Integer known = names.get(name);
        if (known != null) {
            u32(known);
            return;
        }
        int at = pos + 4;
        u32(at);
        u32(0); // next name in the common string table's bucket: that table is left empty
        u16(nameHash(name));
        u16(name.length());
        utf16(name);
        u16(0);
        names.put(name, at);
    }

    /** The identifier and chunk offset of the template definition already written for {@code shape}, or null. */
    int[] template(Object shape) {
        return templates.get(shape);
    }

    void rememberTemplate(Object shape, int id, int offset) {
        templates.put(shape, new int[] {id, offset});
    }

    /**
     * The 16-bit name hash of binary XML: over the UTF-16 code units, {@code hash = hash * 65599 + c}
     * in 32 bits, keeping the low 16 bits.
     */
    static int nameHash(String name) {
        int hash = 0;
        for (int i = 0; i < name.length(); i++) {
            hash = hash * 65599 + name.charAt(i);
        }
        return hash & 0xFFFF;
    }

    private void room(int n) {
        if (pos + n > limit) {
            throw ChunkFull.INSTANCE;
        }
    }
}
