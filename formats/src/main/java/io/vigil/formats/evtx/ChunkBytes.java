package io.vigil.formats.evtx;

/**
 * Reads of an EVTX chunk's bytes, shared by the reader, the binary XML parser and its values:
 * little-endian integers and UTF-16LE text. The caller checks the bounds.
 */
final class ChunkBytes {

    private ChunkBytes() {}

    static int u16(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
    }

    static int i32(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff) << 16 | (b[p + 3] & 0xff) << 24;
    }

    static long u32(byte[] b, int p) {
        return i32(b, p) & 0xffffffffL;
    }

    static long i64(byte[] b, int p) {
        return u32(b, p) | u32(b, p + 4) << 32;
    }

    /** {@code chars} UTF-16LE code units at {@code p} as text, up to a NUL (Windows strings carry one). */
    static String utf16(byte[] b, int p, int chars) {
        char[] c = new char[chars];
        int n = 0;
        for (; n < chars; n++) {
            char ch = (char) u16(b, p + 2 * n);
            if (ch == 0) {
                break;
            }
            c[n] = ch;
        }
        return new String(c, 0, n);
    }
}
