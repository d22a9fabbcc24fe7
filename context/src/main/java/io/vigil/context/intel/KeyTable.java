package io.vigil.context.intel;

import java.util.Arrays;

/**
 * An open-addressed hash table of byte keys, each with an int value, kept in a few flat arrays so
 * a million keys cost a few tens of bytes each (no object per key): the keys end to end in one
 * {@code byte[]}, their offsets, hashes and values in {@code int[]}s, and the slots (entry + 1, 0
 * for empty) in an {@code int[]} at most half full. The same key may be stored with several values
 * (one indicator in several feeds' metadata); the same key and value is stored once.
 */
final class KeyTable {

    private byte[] bytes = new byte[1024];
    private int used;
    /** Entry i's key is {@code bytes[offsets[i] .. offsets[i + 1])}. */
    private int[] offsets = new int[65];
    private int[] hashes = new int[64];
    private int[] values = new int[64];
    private int size;
    private int[] slots = new int[128];

    int size() {
        return size;
    }

    /** Adds {@code key[0..len)} with {@code value}; returns false when that key already has that value. */
    boolean add(byte[] key, int len, int value) {
        int h = hash(key, len);
        int mask = slots.length - 1;
        int slot = h & mask;
        while (slots[slot] != 0) {
            int e = slots[slot] - 1;
            if (values[e] == value && hashes[e] == h && equal(e, key, len)) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        if (size == hashes.length) {
            int n = size * 2;
            hashes = Arrays.copyOf(hashes, n);
            values = Arrays.copyOf(values, n);
            offsets = Arrays.copyOf(offsets, n + 1);
        }
        if (used + len > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + len));
        }
        System.arraycopy(key, 0, bytes, used, len);
        used += len;
        hashes[size] = h;
        values[size] = value;
        offsets[size + 1] = used;
        slots[slot] = ++size;
        if (size * 2 > slots.length) {
            rehash(slots.length * 2);
        }
        return true;
    }

    /**
     * Puts the values of {@code key[0..len)} into {@code out} from {@code at} (at most until its
     * end); returns the new end.
     */
    int find(byte[] key, int len, int[] out, int at) {
        int h = hash(key, len);
        int mask = slots.length - 1;
        int slot = h & mask;
        while (slots[slot] != 0 && at < out.length) {
            int e = slots[slot] - 1;
            if (hashes[e] == h && equal(e, key, len)) {
                out[at++] = values[e];
            }
            slot = (slot + 1) & mask;
        }
        return at;
    }

    /** Trims the arrays to what they hold (after the last add). */
    void trim() {
        bytes = Arrays.copyOf(bytes, used);
        hashes = Arrays.copyOf(hashes, size);
        values = Arrays.copyOf(values, size);
        offsets = Arrays.copyOf(offsets, size + 1);
    }

    /** The bytes the arrays take (their element bytes, without array headers). */
    long arrayBytes() {
        return (long) bytes.length + 4L * (offsets.length + hashes.length + values.length + slots.length);
    }

    private void rehash(int capacity) {
        int[] s = new int[capacity];
        int mask = capacity - 1;
        for (int e = 0; e < size; e++) {
            int slot = hashes[e] & mask;
            while (s[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            s[slot] = e + 1;
        }
        slots = s;
    }

    private boolean equal(int e, byte[] key, int len) {
        int from = offsets[e];
        return offsets[e + 1] - from == len && Arrays.equals(bytes, from, from + len, key, 0, len);
    }

    private static int hash(byte[] key, int len) {
        int h = 0x9747b28c;
        for (int i = 0; i < len; i++) {
            h = (h ^ key[i]) * 0x01000193;
        }
        // MurmurHash3's finalizer: FNV's low bits depend only on the keys' low bits, and the low bits pick the slot
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
