package io.vigil.formats.evtx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the binary XML of one chunk's records into {@link BinXmlNode} trees, filling templates
 * with their substitution values (MS-EVEN6 binary XML, as libyal's EVTX notes describe it).
 *
 * <p>Everything is read from the chunk's bytes by offset: element and attribute names (inline the
 * first time a chunk uses them, referenced after), template definitions (inline at their first
 * instance, referenced after), nested binary XML in substitution values. All of it is attacker
 * controlled, so every offset is checked against the chunk, nesting is limited, and a record may
 * spend at most {@link #MAX_STEPS} tokens: a template that refers to itself, or values that expand
 * one another, end as a {@link BadRecord}, never as a loop.
 *
 * <p>Not thread-safe; one per reader, {@link #chunk} before each chunk.
 */
final class BinXmlParser {

    /** Templates and nested binary XML inside one another; Windows writes two or three levels. */
    static final int MAX_NESTING = 16;
    /** Elements inside one another. */
    static final int MAX_ELEMENT_DEPTH = 64;
    /** Tokens one record may read, templates expanded: far above any real record. */
    static final int MAX_STEPS = 200_000;

    /** Why a record cannot be read. */
    static final class BadRecord extends Exception {
        BadRecord(String message) {
            super(message, null, false, false);
        }
    }

    private byte[] buf;
    private int limit;
    private int steps;
    /** Element and attribute names by chunk offset, valid for the current chunk only. */
    private final OffsetStrings names = new OffsetStrings();
    /** The template's own text (attribute values such as Data's Name) by chunk offset. */
    private final OffsetStrings constants = new OffsetStrings();

    /** Starts a chunk whose bytes are {@code buf[0, limit)}. */
    void chunk(byte[] chunk, int validBytes) {
        names.clear();
        constants.clear();
        this.buf = chunk;
        this.limit = validBytes;
    }

    /** The event element of the record whose binary XML is {@code [off, end)} of the chunk. */
    BinXmlNode record(int off, int end) throws BadRecord {
        steps = 0;
        BinXmlNode root = new BinXmlNode("#document");
        fragment(off, end, root, null, 0);
        if (root.content == null || root.content.isEmpty() || !(root.content.get(0) instanceof BinXmlNode event)) {
            throw new BadRecord("binary XML holds no element");
        }
        return event;
    }

    /** A fragment: its header, then an element or a template instance, up to end of stream. */
    private int fragment(int p, int end, BinXmlNode parent, BinXmlValue[] subs, int nesting) throws BadRecord {
        if (nesting > MAX_NESTING) {
            throw new BadRecord("templates nested more than " + MAX_NESTING + " deep");
        }
        while (p < end) {
            step();
            int token = u8(p, end);
            switch (token) {
                case 0x00 -> {
                    return p + 1; // end of stream
                }
                case 0x0f -> p += 4; // fragment header: token, major, minor, flags
                case 0x0c -> p = templateInstance(p, end, parent, nesting);
                case 0x01, 0x41 -> p = element(p, end, parent, subs, nesting, 0);
                default -> throw bad(p, "unexpected token 0x" + Integer.toHexString(token) + " at fragment level");
            }
        }
        return p;
    }

    private int templateInstance(int p, int end, BinXmlNode parent, int nesting) throws BadRecord {
        check(p + 10 <= end, p, "template instance cut short");
        int defOffset = i32(p + 6);
        p += 10;
        int bodyStart;
        int bodyEnd;
        if (defOffset == p) {
            // defined here, at its first use in the chunk: next offset, GUID, data size, body
            check(p + 24 <= end, p, "template definition cut short");
            int size = i32(p + 20);
            if (!(size >= 0 && p + 24 + size <= end)) {
                throw bad(p, "template definition of " + size + " bytes runs past its record");
            }
            bodyStart = p + 24;
            bodyEnd = bodyStart + size;
            p = bodyEnd;
        } else {
            if (defOffset < 0 || defOffset + 24 > limit) {
                throw bad(p, "template definition offset 0x" + Integer.toHexString(defOffset) + " outside the chunk");
            }
            int size = i32(defOffset + 20);
            if (size < 0 || defOffset + 24 + size > limit) {
                throw bad(p, "template definition at 0x" + Integer.toHexString(defOffset) + " runs past the chunk");
            }
            bodyStart = defOffset + 24;
            bodyEnd = bodyStart + size;
        }
        // the substitution array: count, (size, type) descriptors, then the values in order
        check(p + 4 <= end, p, "substitution array cut short");
        long count = u32(p);
        p += 4;
        if (!(count <= (end - p) / 4)) {
            throw bad(p, "substitution count " + count + " larger than its record");
        }
        // each value costs a step: templates that instantiate one another, each with thousands of
        // values, would otherwise cost minutes for a record of a few kilobytes
        steps += (int) count;
        if (steps > MAX_STEPS) {
            throw new BadRecord("record expands beyond " + MAX_STEPS + " tokens and values (templates that refer to one another)");
        }
        BinXmlValue[] values = new BinXmlValue[(int) count];
        int data = p + 4 * (int) count;
        for (int i = 0; i < count; i++) {
            int size = u16(p + 4 * i);
            int type = buf[p + 4 * i + 2] & 0xff;
            if (!(data + size <= end)) {
                throw bad(p, "substitution value " + i + " of " + size + " bytes runs past its record");
            }
            values[i] = new BinXmlValue(type, buf, data, size);
            data += size;
        }
        fragment(bodyStart, bodyEnd, parent, values, nesting + 1);
        return data;
    }

    private int element(int p, int end, BinXmlNode parent, BinXmlValue[] subs, int nesting, int depth) throws BadRecord {
        if (depth > MAX_ELEMENT_DEPTH) {
            throw new BadRecord("elements nested more than " + MAX_ELEMENT_DEPTH + " deep");
        }
        boolean hasAttributes = (u8(p, end) & 0x40) != 0;
        // token, dependency id (u16), data size (u32), name offset (u32); some writers leave out the
        // dependency id, which shows as a name offset that points nowhere sensible
        check(p + 11 <= end, p, "element cut short");
        int q;
        int nameOffset;
        if (i32(p + 7) == p + 11) {
            q = p + 11; // the name follows, after a dependency id
            nameOffset = q;
        } else if (i32(p + 5) == p + 9) {
            q = p + 9; // the name follows, no dependency id
            nameOffset = q;
        } else if (plausibleName(i32(p + 7), p + 11)) {
            q = p + 11; // a name written earlier in the chunk
            nameOffset = i32(p + 7);
        } else if (plausibleName(i32(p + 5), p + 9)) {
            q = p + 9;
            nameOffset = i32(p + 5);
        } else {
            throw bad(p, "element name offset 0x" + Integer.toHexString(i32(p + 7)) + " outside the chunk");
        }
        if (!plausibleName(nameOffset, q)) {
            throw bad(p, "element name at 0x" + Integer.toHexString(nameOffset) + " runs past the chunk");
        }
        BinXmlNode node = new BinXmlNode(name(nameOffset));
        if (nameOffset == q) {
            q += nameSize(nameOffset);
        }
        if (hasAttributes) {
            check(q + 4 <= end, q, "attribute list cut short");
            q += 4; // the attribute list's size: the tokens say where it ends
            while (q < end && (u8(q, end) & 0xbf) == 0x06) {
                q = attribute(q, end, node, subs);
            }
        }
        parent.add(node);
        step();
        int token = u8(q, end);
        if (token == 0x03) {
            return q + 1; // empty element
        }
        if (token != 0x02) {
            throw bad(q, "element '" + node.name + "' not closed (token 0x" + Integer.toHexString(token) + ")");
        }
        q++;
        while (true) {
            step();
            token = u8(q, end);
            switch (token) {
                case 0x04 -> {
                    return q + 1; // end of element
                }
                case 0x01, 0x41 -> q = element(q, end, node, subs, nesting, depth + 1);
                case 0x05, 0x45 -> q = value(q, end, node);
                case 0x0d, 0x0e -> q = substitution(q, end, node, subs, nesting);
                case 0x07, 0x47 -> q = cdata(q, end, node);
                case 0x08, 0x48 -> {
                    check(q + 3 <= end, q, "character reference cut short");
                    node.add(String.valueOf((char) u16(q + 1)));
                    q += 3;
                }
                case 0x09, 0x49 -> q = entity(q, end, node);
                case 0x0a -> q = skipName(q + 1, end);
                case 0x0b -> {
                    check(q + 3 <= end, q, "processing instruction cut short");
                    q += 3 + 2 * u16(q + 1);
                }
                case 0x0c -> q = templateInstance(q, end, node, nesting);
                case 0x0f -> q += 4;
                default -> throw bad(q, "unexpected token 0x" + Integer.toHexString(token) + " in element '" + node.name + "'");
            }
        }
    }

    private int attribute(int p, int end, BinXmlNode node, BinXmlValue[] subs) throws BadRecord {
        step();
        check(p + 5 <= end, p, "attribute cut short");
        int nameOffset = i32(p + 1);
        int q = p + 5;
        if (!(plausibleName(nameOffset, q))) {
            throw bad(p, "attribute name offset 0x" + Integer.toHexString(nameOffset) + " outside the chunk");
        }
        String attrName = name(nameOffset);
        if (nameOffset == q) {
            q += nameSize(nameOffset);
        }
        BinXmlNode holder = new BinXmlNode(attrName);
        boolean more = true;
        while (more && q < end) {
            step();
            int token = u8(q, end);
            switch (token) {
                case 0x05, 0x45 -> q = value(q, end, holder);
                case 0x0d, 0x0e -> {
                    check(q + 4 <= end, q, "substitution cut short");
                    BinXmlValue v = substitutionValue(q, subs);
                    if (v != null && !v.isNull() && v.type != BinXmlValue.BIN_XML) {
                        holder.add(v);
                    }
                    q += 4;
                }
                case 0x08, 0x48 -> {
                    check(q + 3 <= end, q, "character reference cut short");
                    holder.add(String.valueOf((char) u16(q + 1)));
                    q += 3;
                }
                case 0x09, 0x49 -> q = entity(q, end, holder);
                case 0x07, 0x47 -> q = cdata(q, end, holder);
                default -> more = false;
            }
        }
        if (holder.content != null) {
            node.attribute(attrName, holder.content);
        }
        return q;
    }

    /** A value token: a length-prefixed string (the only type Windows writes there). */
    private int value(int p, int end, BinXmlNode node) throws BadRecord {
        check(p + 4 <= end, p, "value cut short");
        int type = buf[p + 1] & 0xff;
        if (type != BinXmlValue.WSTRING && type != BinXmlValue.ANSI_STRING) {
            throw bad(p, "value token of type 0x" + Integer.toHexString(type));
        }
        int chars = u16(p + 2);
        int bytes = type == BinXmlValue.WSTRING ? 2 * chars : chars;
        if (!(p + 4 + bytes <= end)) {
            throw bad(p, "value of " + chars + " characters runs past its record");
        }
        if (type == BinXmlValue.WSTRING) {
            // text of the template itself, the same in every record that uses it: decoded once per chunk
            String text = constants.get(p);
            if (text == null) {
                text = ChunkBytes.utf16(buf, p + 4, chars);
                constants.put(p, text);
            }
            node.add(text);
        } else {
            node.add(new BinXmlValue(type, buf, p + 4, bytes));
        }
        return p + 4 + bytes;
    }

    private int substitution(int p, int end, BinXmlNode node, BinXmlValue[] subs, int nesting) throws BadRecord {
        check(p + 4 <= end, p, "substitution cut short");
        BinXmlValue v = substitutionValue(p, subs);
        if (v != null && !v.isNull()) {
            if (v.type == BinXmlValue.BIN_XML) {
                // EventData or UserData written as a binary XML fragment of its own
                fragment(v.off, v.off + v.len, node, null, nesting + 1);
            } else {
                node.add(v);
            }
        }
        return p + 4;
    }

    private BinXmlValue substitutionValue(int p, BinXmlValue[] subs) throws BadRecord {
        int id = u16(p + 1);
        if (subs == null) {
            throw bad(p, "substitution outside a template");
        }
        if (id >= subs.length) {
            if ((buf[p] & 0xff) == 0x0e) {
                return null; // an optional value the instance does not give
            }
            throw bad(p, "substitution " + id + " of " + subs.length);
        }
        return subs[id];
    }

    private int cdata(int p, int end, BinXmlNode node) throws BadRecord {
        check(p + 3 <= end, p, "CDATA cut short");
        int chars = u16(p + 1);
        check(p + 3 + 2 * chars <= end, p, "CDATA runs past its record");
        node.add(new BinXmlValue(BinXmlValue.WSTRING, buf, p + 3, 2 * chars).text());
        return p + 3 + 2 * chars;
    }

    private int entity(int p, int end, BinXmlNode node) throws BadRecord {
        check(p + 5 <= end, p, "entity reference cut short");
        int nameOffset = i32(p + 1);
        int q = p + 5;
        check(plausibleName(nameOffset, q), p, "entity name offset outside the chunk");
        String entity = name(nameOffset);
        if (nameOffset == q) {
            q += nameSize(nameOffset);
        }
        node.add(switch (entity) {
            case "amp" -> "&";
            case "lt" -> "<";
            case "gt" -> ">";
            case "quot" -> "\"";
            case "apos" -> "'";
            default -> "&" + entity + ";";
        });
        return q;
    }

    private int skipName(int p, int end) throws BadRecord {
        check(p + 4 <= end, p, "name cut short");
        int nameOffset = i32(p);
        int q = p + 4;
        check(plausibleName(nameOffset, q), p, "name offset outside the chunk");
        name(nameOffset);
        return nameOffset == q ? q + nameSize(nameOffset) : q;
    }

    /** A name is written here ({@code offset == here}) or earlier in the chunk. */
    private boolean plausibleName(int offset, int here) {
        // names live among the records, never in the chunk's 512-byte header
        return offset >= EvtxReader.CHUNK_HEADER_BYTES && offset <= here && offset + 8 <= limit
                && offset + 10 + 2 * u16(offset + 6) <= limit;
    }

    /** Bytes of the name structure at {@code offset}: next offset, hash, length, UTF-16, NUL. */
    private int nameSize(int offset) {
        return 10 + 2 * u16(offset + 6);
    }

    private String name(int offset) {
        String n = names.get(offset);
        if (n == null) {
            n = ChunkBytes.utf16(buf, offset + 8, u16(offset + 6));
            names.put(offset, n);
        }
        return n;
    }

    private void step() throws BadRecord {
        if (++steps > MAX_STEPS) {
            throw new BadRecord("record expands beyond " + MAX_STEPS + " tokens (templates or values that refer to one another)");
        }
    }

    private int u8(int p, int end) throws BadRecord {
        if (p >= end) {
            throw bad(p, "binary XML ends inside an element");
        }
        return buf[p] & 0xff;
    }

    private int u16(int p) {
        return ChunkBytes.u16(buf, p);
    }

    private long u32(int p) {
        return ChunkBytes.u32(buf, p);
    }

    private int i32(int p) {
        return ChunkBytes.i32(buf, p);
    }

    /** Checks a condition whose message is a constant (a built message goes in an {@code if}: it costs every call). */
    private static void check(boolean ok, int p, String what) throws BadRecord {
        if (!ok) {
            throw bad(p, what);
        }
    }

    private static BadRecord bad(int p, String what) {
        return new BadRecord(what + " (chunk offset 0x" + Integer.toHexString(p) + ")");
    }

    /** A small open-addressed map from chunk offsets to strings, emptied per chunk. */
    private static final class OffsetStrings {
        private int[] keys = new int[256];
        private String[] values = new String[256];
        private int count;

        void clear() {
            if (count > 0) {
                Arrays.fill(keys, 0);
                Arrays.fill(values, null);
                count = 0;
            }
        }

        String get(int offset) {
            int mask = keys.length - 1;
            int key = offset + 1; // 0 marks an empty slot
            for (int i = slot(key, mask); keys[i] != 0; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    return values[i];
                }
            }
            return null;
        }

        void put(int offset, String value) {
            int mask = keys.length - 1;
            int key = offset + 1;
            int i = slot(key, mask);
            while (keys[i] != 0) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            values[i] = value;
            if (++count * 2 > keys.length) {
                grow();
            }
        }

        private static int slot(int key, int mask) {
            return (key * 0x9E3779B1) >>> 16 & mask;
        }

        private void grow() {
            int[] oldKeys = keys;
            String[] oldValues = values;
            keys = new int[oldKeys.length * 2];
            values = new String[oldKeys.length * 2];
            int mask = keys.length - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldKeys[j] != 0) {
                    int i = slot(oldKeys[j], mask);
                    while (keys[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    keys[i] = oldKeys[j];
                    values[i] = oldValues[j];
                }
            }
        }
    }
}
