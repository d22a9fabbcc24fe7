package io.vigil.formats.evtx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One value of an event written by {@link EvtxWriter}, already in its binary XML substitution form:
 * the value type of the format (with the array flag 0x80) and the little-endian bytes Windows stores
 * for it. An absent value keeps its declared type for the template but is written as NULL (type 0,
 * size 0), which makes the optional substitution leave its element or attribute out.
 *
 * @param type the value type
 * @param array whether this is an array of {@code type} (type code | 0x80)
 * @param present {@code false} for an absent value
 * @param bytes the substitution bytes (empty when absent)
 */
public record EvtxTypedValue(Type type, boolean array, boolean present, byte[] bytes) {

    /** Value types of the format (libyal's EVTX notes, "Value types"). */
    public enum Type {
        WSTRING(0x01), ANSI_STRING(0x02), INT8(0x03), UINT8(0x04), INT16(0x05), UINT16(0x06),
        INT32(0x07), UINT32(0x08), INT64(0x09), UINT64(0x0a), REAL32(0x0b), REAL64(0x0c), BOOL(0x0d),
        BINARY(0x0e), GUID(0x0f), SIZE_T(0x10), FILETIME(0x11), SYSTEMTIME(0x12), SID(0x13),
        HEX_INT32(0x14), HEX_INT64(0x15);

        public final int code;

        Type(int code) {
            this.code = code;
        }
    }

    private static final int ARRAY_FLAG = 0x80;

    public EvtxTypedValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length > 0xFFFF) {
            // the substitution descriptor holds the size in 16 bits
            throw new IllegalArgumentException("a substitution value is at most 65535 bytes, got " + bytes.length);
        }
    }

    /** The type code in the template's substitution token: the declared type, 0x80 for arrays. */
    public int templateType() {
        return type.code | (array ? ARRAY_FLAG : 0);
    }

    /** The type code in the substitution descriptor: NULL (0) for an absent value. */
    public int descriptorType() {
        return present ? templateType() : 0;
    }

    /** An absent value of the declared type (optional substitution, NULL in the record). */
    public static EvtxTypedValue absent(Type declared) {
        return new EvtxTypedValue(declared, false, false, new byte[0]);
    }

    public static EvtxTypedValue wstring(String s) {
        return of(Type.WSTRING, utf16(s));
    }

    /** UTF-16LE by hand: {@code getBytes(UTF_16LE)} builds a new encoder each call, a cost in the bench's input. */
    static byte[] utf16(String s) {
        byte[] b = new byte[2 * s.length()];
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b[2 * i] = (byte) c;
            b[2 * i + 1] = (byte) (c >>> 8);
        }
        return b;
    }

    /** An ANSI string; written in the Windows-1252 code page, what Western systems use. */
    public static EvtxTypedValue ansiString(String s) {
        return of(Type.ANSI_STRING, s.getBytes(java.nio.charset.Charset.forName("windows-1252")));
    }

    public static EvtxTypedValue int8(byte v) {
        return of(Type.INT8, new byte[] {v});
    }

    public static EvtxTypedValue uint8(int v) {
        checkRange(v, 0, 0xFF);
        return of(Type.UINT8, new byte[] {(byte) v});
    }

    public static EvtxTypedValue int16(short v) {
        return of(Type.INT16, le(2).putShort(v).array());
    }

    public static EvtxTypedValue uint16(int v) {
        checkRange(v, 0, 0xFFFF);
        return of(Type.UINT16, le(2).putShort((short) v).array());
    }

    public static EvtxTypedValue int32(int v) {
        return of(Type.INT32, le(4).putInt(v).array());
    }

    public static EvtxTypedValue uint32(long v) {
        checkRange(v, 0, 0xFFFF_FFFFL);
        return of(Type.UINT32, le(4).putInt((int) v).array());
    }

    public static EvtxTypedValue int64(long v) {
        return of(Type.INT64, le(8).putLong(v).array());
    }

    /** An unsigned 64-bit integer given as its two's complement bits ({@link Long#parseUnsignedLong}). */
    public static EvtxTypedValue uint64(long bits) {
        return of(Type.UINT64, le(8).putLong(bits).array());
    }

    public static EvtxTypedValue real32(float v) {
        return of(Type.REAL32, le(4).putFloat(v).array());
    }

    public static EvtxTypedValue real64(double v) {
        return of(Type.REAL64, le(8).putDouble(v).array());
    }

    /** A boolean, stored as a 32-bit integer 0 or 1. */
    public static EvtxTypedValue bool(boolean v) {
        return of(Type.BOOL, le(4).putInt(v ? 1 : 0).array());
    }

    public static EvtxTypedValue binary(byte[] v) {
        return of(Type.BINARY, v.clone());
    }

    public static EvtxTypedValue guid(UUID v) {
        return of(Type.GUID, guidBytes(v));
    }

    /** A size (SizeT), written 64 bits wide as on 64-bit Windows. */
    public static EvtxTypedValue sizeT(long v) {
        return of(Type.SIZE_T, le(8).putLong(v).array());
    }

    /** A FILETIME: the instant in 100 ns ticks since 1601-01-01 (finer digits are dropped). */
    public static EvtxTypedValue fileTime(Instant t) {
        return of(Type.FILETIME, le(8).putLong(fileTimeTicks(t)).array());
    }

    /** A SYSTEMTIME (UTC): year, month, day of week, day, hour, minute, second, milliseconds. */
    public static EvtxTypedValue systemTime(Instant t) {
        return of(Type.SYSTEMTIME, systemTimeBytes(t));
    }

    /** A security identifier from its text form {@code S-R-A-S1-S2…}. */
    public static EvtxTypedValue sid(String sid) {
        return of(Type.SID, sidBytes(sid));
    }

    public static EvtxTypedValue hexInt32(int v) {
        return of(Type.HEX_INT32, le(4).putInt(v).array());
    }

    public static EvtxTypedValue hexInt64(long v) {
        return of(Type.HEX_INT64, le(8).putLong(v).array());
    }

    /**
     * An array of values of one type (type | 0x80): the items' bytes one after the other, each string
     * ended by a NUL (UTF-16 for WString, one byte for AnsiString) since strings have no length of
     * their own. Binary items cannot be told apart once joined, so Binary arrays are refused.
     */
    public static EvtxTypedValue array(Type type, List<EvtxTypedValue> items) {
        if (type == Type.BINARY) {
            throw new IllegalArgumentException("a Binary array has no item boundaries");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (EvtxTypedValue item : items) {
            if (item.type != type || item.array || !item.present) {
                throw new IllegalArgumentException("array of " + type + " holds " + item);
            }
            out.writeBytes(item.bytes);
            if (type == Type.WSTRING) {
                out.write(0);
                out.write(0);
            } else if (type == Type.ANSI_STRING) {
                out.write(0);
            }
        }
        return new EvtxTypedValue(type, true, true, out.toByteArray());
    }

    static long fileTimeTicks(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 10_000_000L), t.getNano() / 100)
                + BinXmlValue.EPOCH_TICKS;
    }

    static byte[] guidBytes(UUID v) {
        // Windows GUID layout: Data1 (32 bits), Data2 and Data3 (16 bits) little-endian, Data4 as is
        long msb = v.getMostSignificantBits();
        ByteBuffer b = le(16);
        b.putInt((int) (msb >>> 32));
        b.putShort((short) (msb >>> 16));
        b.putShort((short) msb);
        b.order(ByteOrder.BIG_ENDIAN).putLong(v.getLeastSignificantBits());
        return b.array();
    }

    private static byte[] systemTimeBytes(Instant t) {
        ZonedDateTime z = t.atZone(ZoneOffset.UTC);
        ByteBuffer b = le(16);
        b.putShort((short) z.getYear());
        b.putShort((short) z.getMonthValue());
        b.putShort((short) (z.getDayOfWeek().getValue() % 7)); // Sunday is 0
        b.putShort((short) z.getDayOfMonth());
        b.putShort((short) z.getHour());
        b.putShort((short) z.getMinute());
        b.putShort((short) z.getSecond());
        b.putShort((short) (z.getNano() / 1_000_000));
        return b.array();
    }

    static byte[] sidBytes(String sid) {
        String[] parts = sid.split("-");
        if (parts.length < 3 || !parts[0].equals("S") || parts.length - 3 > 15) {
            throw new IllegalArgumentException("not a SID: " + sid);
        }
        int subAuthorities = parts.length - 3;
        long authority = Long.parseLong(parts[2]);
        ByteBuffer b = le(8 + 4 * subAuthorities);
        b.put((byte) Integer.parseInt(parts[1]));
        b.put((byte) subAuthorities);
        for (int shift = 40; shift >= 0; shift -= 8) {
            b.put((byte) (authority >>> shift)); // the 48-bit authority is big-endian
        }
        for (int i = 0; i < subAuthorities; i++) {
            b.putInt((int) Long.parseLong(parts[3 + i]));
        }
        return b.array();
    }

    private static EvtxTypedValue of(Type type, byte[] bytes) {
        return new EvtxTypedValue(type, false, true, bytes);
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void checkRange(long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(v + " is outside " + min + ".." + max);
        }
    }

    @Override
    public String toString() {
        return (present ? "" : "absent ") + type + (array ? "[]" : "") + "(" + bytes.length + " bytes)";
    }
}
