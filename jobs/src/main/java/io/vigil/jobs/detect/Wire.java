package io.vigil.jobs.detect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The primitives of Vigil's own serializers ({@link CorrelationStateSerializer},
 * {@link RuleHitSerializer}): variable-length numbers, and nullable strings as UTF-8 bytes behind
 * their length. Not Flink's string codec: it goes through a thread-local buffer whose lookups were
 * most of the reading time in a task thread with many thread-locals.
 */
final class Wire {

    private Wire() {}

    /** An unsigned number in 7-bit groups, low first: one byte below 128. */
    static void writeVarLong(DataOutputView out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    static long readVarLong(DataInputView in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("a variable-length number runs over 10 bytes");
    }

    /** A signed number mapped so that small magnitudes of either sign stay short. */
    static long zigZag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long unZigZag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    /** A string as its UTF-8 length plus one (0: null) and its bytes. */
    static void writeString(DataOutputView out, String s) throws IOException {
        if (s == null) {
            out.writeByte(0);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeVarLong(out, bytes.length + 1L);
        out.write(bytes);
    }

    static String readString(DataInputView in) throws IOException {
        long n = readVarLong(in);
        if (n == 0) {
            return null;
        }
        if (n - 1 > Integer.MAX_VALUE - 8) {
            throw new IOException("a string of " + (n - 1) + " bytes: the data is not what this serializer wrote");
        }
        byte[] bytes = new byte[(int) (n - 1)];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
