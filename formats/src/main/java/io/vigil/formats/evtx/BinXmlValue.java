package io.vigil.formats.evtx;

import java.nio.charset.Charset;
import java.time.LocalDate;
import java.util.List;

/**
 * A typed value of binary XML, held as its bytes in the chunk, and rendered in JSON as evtx_dump
 * renders the types the shared samples hold: integers as numbers (reals too, here), booleans as booleans, {@code HexInt} as {@code 0x…}
 * lower case, GUIDs upper case without braces, SIDs as {@code S-1-…}, FILETIME and SYSTEMTIME as
 * ISO-8601 UTC with the 100 ns tick (seven digits; evtx_dump prints six), binary as upper-case
 * hex, arrays as JSON arrays. Every read is bounds-checked by the caller's slice.
 */
final class BinXmlValue {

    static final int NULL = 0x00;
    static final int WSTRING = 0x01;
    static final int ANSI_STRING = 0x02;
    static final int INT8 = 0x03;
    static final int UINT8 = 0x04;
    static final int INT16 = 0x05;
    static final int UINT16 = 0x06;
    static final int INT32 = 0x07;
    static final int UINT32 = 0x08;
    static final int INT64 = 0x09;
    static final int UINT64 = 0x0a;
    static final int REAL32 = 0x0b;
    static final int REAL64 = 0x0c;
    static final int BOOL = 0x0d;
    static final int BINARY = 0x0e;
    static final int GUID = 0x0f;
    static final int SIZE_T = 0x10;
    static final int FILETIME = 0x11;
    static final int SYSTEMTIME = 0x12;
    static final int SID = 0x13;
    static final int HEX_INT32 = 0x14;
    static final int HEX_INT64 = 0x15;
    static final int EVT_HANDLE = 0x20;
    static final int BIN_XML = 0x21;
    static final int EVT_XML = 0x23;
    static final int ARRAY = 0x80;

    private static final Charset ANSI = Charset.forName("windows-1252");
    private static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();
    /** 100 ns ticks between 1601-01-01 (FILETIME's epoch) and 1970-01-01. */
    static final long EPOCH_TICKS = 116_444_736_000_000_000L;

    final int type;
    final byte[] buf;
    final int off;
    final int len;

    BinXmlValue(int type, byte[] buf, int off, int len) {
        this.type = type;
        this.buf = buf;
        this.off = off;
        this.len = len;
    }

    boolean isNull() {
        return type == NULL || (len == 0 && type != WSTRING && type != ANSI_STRING);
    }

    /** Writes the value as JSON. */
    void json(JsonBytes out) {
        if (isNull()) {
            out.ascii("null");
            return;
        }
        if ((type & ARRAY) != 0) {
            array(out);
            return;
        }
        scalarJson(out, type, off, len);
    }

    /** The value as text, as it reads inside a string (arrays joined with {@code ", "}). */
    String text() {
        if (isNull()) {
            return "";
        }
        if ((type & ARRAY) != 0) {
            StringBuilder sb = new StringBuilder();
            forEachItem((t, o, l) -> {
                if (!sb.isEmpty()) {
                    sb.append(", ");
                }
                sb.append(scalarText(t, o, l));
            });
            return sb.toString();
        }
        return scalarText(type, off, len);
    }

    /** The value's text, escaped, into a JSON string being written (without quotes). */
    void textInto(JsonBytes out) {
        if (isNull()) {
            return;
        }
        if (type == WSTRING) {
            out.utf16(buf, off, len / 2);
        } else {
            out.escaped(text());
        }
    }

    /** Characters a text made of pieces may have (a Data name, say): more is a damaged record. */
    static final int MAX_TEXT_CHARS = 1 << 20;

    /**
     * The text of the pieces of an attribute or element: a value, a string, or several joined.
     *
     * @throws JsonBytes.TooLarge past {@link #MAX_TEXT_CHARS}: pieces can repeat one large value
     */
    static String text(List<Object> pieces) {
        if (pieces == null || pieces.isEmpty()) {
            return null;
        }
        if (pieces.size() == 1) {
            Object p = pieces.get(0);
            if (p instanceof BinXmlValue v) {
                return v.isNull() ? null : v.text();
            }
            return (String) p;
        }
        StringBuilder sb = new StringBuilder();
        for (Object p : pieces) {
            sb.append(p instanceof BinXmlValue v ? v.text() : (String) p);
            if (sb.length() > MAX_TEXT_CHARS) {
                throw new JsonBytes.TooLarge();
            }
        }
        return sb.toString();
    }

    private interface ItemVisitor {
        void item(int type, int off, int len);
    }

    private void forEachItem(ItemVisitor v) {
        int item = type & ~ARRAY;
        int end = off + len;
        switch (item) {
            case WSTRING -> {
                int start = off;
                for (int i = off; i + 1 < end; i += 2) {
                    if (buf[i] == 0 && buf[i + 1] == 0) {
                        v.item(WSTRING, start, i - start);
                        start = i + 2;
                    }
                }
                if (start + 1 < end) {
                    v.item(WSTRING, start, end - start);
                }
            }
            case ANSI_STRING -> {
                int start = off;
                for (int i = off; i < end; i++) {
                    if (buf[i] == 0) {
                        v.item(ANSI_STRING, start, i - start);
                        start = i + 1;
                    }
                }
                if (start < end) {
                    v.item(ANSI_STRING, start, end - start);
                }
            }
            case SID -> {
                int o = off;
                while (o + 8 <= end) {
                    int size = 8 + 4 * (buf[o + 1] & 0xff);
                    if (o + size > end) {
                        break;
                    }
                    v.item(SID, o, size);
                    o += size;
                }
            }
            default -> {
                int size = itemSize(item);
                if (size <= 0) {
                    v.item(BINARY, off, len);
                    return;
                }
                for (int o = off; o + size <= end; o += size) {
                    v.item(item, o, size);
                }
            }
        }
    }

    private void array(JsonBytes out) {
        out.raw('[');
        boolean[] first = {true};
        forEachItem((t, o, l) -> {
            if (!first[0]) {
                out.raw(',');
            }
            first[0] = false;
            scalarJson(out, t, o, l);
        });
        out.raw(']');
    }

    /** One value written straight into the buffer; the common types without a {@code String} between. */
    private void scalarJson(JsonBytes out, int t, int o, int l) {
        switch (t) {
            case WSTRING -> out.utf16String(buf, o, l / 2);
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32 -> out.number(signedOrSmall(t, o, l));
            case UINT64 -> out.ascii(integer(t, o, l));
            case REAL32, REAL64 -> real(out, t, o, l);
            case BOOL -> out.ascii(bool(o, l) ? "true" : "false");
            case SIZE_T, HEX_INT32, HEX_INT64 -> {
                out.ascii("\"0x");
                out.hex(le(o, Math.min(l, 8)));
                out.raw('"');
            }
            case GUID -> {
                if (l != 16) {
                    out.string(hex(o, l));
                    return;
                }
                out.raw('"');
                out.hexUpper(le(o, 4), 8);
                out.raw('-');
                out.hexUpper(le(o + 4, 2), 4);
                out.raw('-');
                out.hexUpper(le(o + 6, 2), 4);
                out.raw('-');
                out.hexUpper(be(o + 8, 2), 4);
                out.raw('-');
                out.hexUpper(be(o + 10, 6), 12);
                out.raw('"');
            }
            default -> out.string(scalarText(t, o, l));
        }
    }

    /** A value of a type that fits a signed long: the signed ones, and unsigned ones of up to 32 bits. */
    private long signedOrSmall(int t, int o, int l) {
        long v = le(o, Math.min(l, 8));
        return switch (t) {
            case INT8 -> (byte) v;
            case INT16 -> (short) v;
            case INT32 -> (int) v;
            default -> v;
        };
    }

    /** Big-endian read of {@code n} ≤ 8 bytes (a GUID's last eight bytes are kept in order). */
    private long be(int o, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = v << 8 | (buf[o + i] & 0xff);
        }
        return v;
    }

    /** The fixed size of one item of a type, or 0 for variable-size types. */
    static int itemSize(int t) {
        return switch (t) {
            case INT8, UINT8 -> 1;
            case INT16, UINT16 -> 2;
            case INT32, UINT32, REAL32, HEX_INT32, BOOL -> 4;
            case INT64, UINT64, REAL64, HEX_INT64, FILETIME, SIZE_T -> 8;
            case GUID, SYSTEMTIME -> 16;
            default -> 0;
        };
    }

    private String scalarText(int t, int o, int l) {
        return switch (t) {
            case WSTRING -> ChunkBytes.utf16(buf, o, l / 2);
            case ANSI_STRING -> ansi(o, l);
            case INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, UINT64 -> integer(t, o, l);
            case REAL32 -> l >= 4 ? realText(Float.intBitsToFloat((int) le(o, 4))) : hex(o, l);
            case REAL64 -> l >= 8 ? realText(Double.longBitsToDouble(le(o, 8))) : hex(o, l);
            case BOOL -> bool(o, l) ? "true" : "false";
            case GUID -> l == 16 ? guid(o) : hex(o, l);
            case SIZE_T, HEX_INT32, HEX_INT64 -> "0x" + Long.toHexString(le(o, Math.min(l, 8)));
            case FILETIME -> l == 8 ? fileTime(le(o, 8)) : hex(o, l);
            case SYSTEMTIME -> l == 16 ? systemTime(o) : hex(o, l);
            case SID -> sid(o, l);
            default -> hex(o, l); // binary, handles, EvtXml: their bytes
        };
    }

    private String ansi(int o, int l) {
        int end = o;
        while (end < o + l && buf[end] != 0) {
            end++;
        }
        return new String(buf, o, end - o, ANSI);
    }

    /** Little-endian unsigned read of {@code n} ≤ 8 bytes. */
    long le(int o, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | (buf[o + i] & 0xff);
        }
        return v;
    }

    private String integer(int t, int o, int l) {
        return t == UINT64 ? Long.toUnsignedString(le(o, Math.min(l, 8))) : Long.toString(signedOrSmall(t, o, l));
    }

    private void real(JsonBytes out, int t, int o, int l) {
        double d = t == REAL32 ? (l >= 4 ? Float.intBitsToFloat((int) le(o, 4)) : Double.NaN)
                : (l >= 8 ? Double.longBitsToDouble(le(o, 8)) : Double.NaN);
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            out.string(Double.toString(d)); // JSON has no NaN or infinity
        } else {
            out.ascii(t == REAL32 ? realText((float) d) : realText(d));
        }
    }

    private static String realText(float f) {
        return f == Math.rint(f) && Math.abs(f) < 1e15 ? Long.toString((long) f) + ".0" : Float.toString(f);
    }

    private static String realText(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) + ".0" : Double.toString(d);
    }

    private boolean bool(int o, int l) {
        return l > 0 && le(o, Math.min(l, 8)) != 0;
    }

    private String hex(int o, int l) {
        char[] c = new char[2 * l];
        for (int i = 0; i < l; i++) {
            c[2 * i] = UPPER_HEX[(buf[o + i] >> 4) & 0xf];
            c[2 * i + 1] = UPPER_HEX[buf[o + i] & 0xf];
        }
        return new String(c);
    }

    private String guid(int o) {
        StringBuilder sb = new StringBuilder(36);
        hexBig(sb, le(o, 4), 8);
        sb.append('-');
        hexBig(sb, le(o + 4, 2), 4);
        sb.append('-');
        hexBig(sb, le(o + 6, 2), 4);
        sb.append('-');
        sb.append(hex(o + 8, 2)).append('-').append(hex(o + 10, 6));
        return sb.toString();
    }

    private static void hexBig(StringBuilder sb, long v, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            sb.append(UPPER_HEX[(int) (v >>> (4 * i)) & 0xf]);
        }
    }

    private String sid(int o, int l) {
        if (l < 8) {
            return hex(o, l);
        }
        int revision = buf[o] & 0xff;
        int count = buf[o + 1] & 0xff;
        long authority = 0;
        for (int i = 2; i < 8; i++) {
            authority = authority << 8 | (buf[o + i] & 0xff); // big-endian, unlike the rest
        }
        StringBuilder sb = new StringBuilder("S-").append(revision).append('-').append(authority);
        for (int i = 0; i < count && o + 8 + 4 * i + 4 <= o + l; i++) {
            sb.append('-').append(le(o + 8 + 4 * i, 4));
        }
        return sb.toString();
    }

    /** A FILETIME (100 ns ticks since 1601) as ISO-8601 UTC with seven fractional digits. */
    static String fileTime(long ticks) {
        // unsigned: the largest FILETIMEs are in year 30828
        long seconds = Long.divideUnsigned(ticks, 10_000_000L) - EPOCH_TICKS / 10_000_000L;
        int frac = (int) Long.remainderUnsigned(ticks, 10_000_000L);
        long days = Math.floorDiv(seconds, 86_400L);
        int secOfDay = (int) Math.floorMod(seconds, 86_400L);
        LocalDate date = LocalDate.ofEpochDay(days);
        return iso(date.getYear(), date.getMonthValue(), date.getDayOfMonth(),
                secOfDay / 3600, secOfDay / 60 % 60, secOfDay % 60, frac);
    }

    private String systemTime(int o) {
        int year = (int) le(o, 2);
        int month = (int) le(o + 2, 2);
        int day = (int) le(o + 6, 2);
        int hour = (int) le(o + 8, 2);
        int minute = (int) le(o + 10, 2);
        int second = (int) le(o + 12, 2);
        int millis = (int) le(o + 14, 2);
        if (year == 0 && month == 0 && day == 0) {
            return ""; // an unset SYSTEMTIME
        }
        return iso(year, month, day, hour, minute, second, millis * 10_000);
    }

    private static String iso(int year, int month, int day, int hour, int minute, int second, int ticks) {
        if (year < 0 || year > 9999) {
            // FILETIME reaches year 30828: written in full, which no event time parser takes as a time
            return String.format("%d-%02d-%02dT%02d:%02d:%02d.%07dZ", year, month, day, hour, minute, second, ticks);
        }
        char[] c = new char[28];
        pad(c, 0, year, 4);
        c[4] = '-';
        pad(c, 5, month, 2);
        c[7] = '-';
        pad(c, 8, day, 2);
        c[10] = 'T';
        pad(c, 11, hour, 2);
        c[13] = ':';
        pad(c, 14, minute, 2);
        c[16] = ':';
        pad(c, 17, second, 2);
        c[19] = '.';
        pad(c, 20, ticks, 7);
        c[27] = 'Z';
        return new String(c);
    }

    private static void pad(char[] c, int at, int v, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            c[at + i] = (char) ('0' + Math.floorMod(v, 10));
            v /= 10;
        }
    }
}
