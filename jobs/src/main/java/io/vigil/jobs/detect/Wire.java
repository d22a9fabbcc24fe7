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

    /**
     * A string, losslessly: a varint tag, 0 for null, else {@code (n + 1) << 1 | form}, then its
     * {@code n} UTF-8 bytes (form 0) or, when it holds a lone surrogate that UTF-8 cannot carry, its
     * {@code n} UTF-16 chars (form 1). Untrusted input reaches group keys and values (a JSON
     * {@code "\ud800"} escape decodes to a lone surrogate): replaced by {@code ?}, two keys would
     * become one, and a key would change its key group between the sender and the receiver.
     */
    static void writeString(DataOutputView out, String s) throws IOException {
        if (s == null) {
            out.writeByte(0);
            return;
        }
        if (hasLoneSurrogate(s)) {
            writeVarLong(out, ((s.length() + 1L) << 1) | 1);
            for (int i = 0; i < s.length(); i++) {
                out.writeChar(s.charAt(i));
            }
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeVarLong(out, (bytes.length + 1L) << 1);
        out.write(bytes);
    }

    static String readString(DataInputView in) throws IOException {
        long tag = readVarLong(in);
        if (tag == 0) {
            return null;
        }
        long n = (tag >>> 1) - 1;
        if (n < 0 || n > Integer.MAX_VALUE - 8) {
            throw new IOException("a string of " + n + " units: the data is not what this serializer wrote");
        }
        if ((tag & 1) != 0) {
            char[] chars = new char[(int) n];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = in.readChar();
            }
            return new String(chars);
        }
        byte[] bytes = new byte[(int) n];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Whether {@code s} has a surrogate that is not half of a pair (UTF-8 would replace it). */
    static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
