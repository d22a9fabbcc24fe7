package io.vigil.context.intel;

import java.util.Arrays;

/**
 * An open-addressed hash table of distinct byte keys, each with a short list of int records, kept
 * in a few flat arrays so a million keys cost a few tens of bytes each (no object per key): the
 * keys end to end in one {@code byte[]}, their offsets and hashes in {@code int[]}s, and the slots
 * (entry + 1, 0 for empty) in an {@code int[]} at most half full. A key is stored once however
 * many records it has (one value in several feed tuples), so the probe path of a lookup never
 * walks copies of one value: a lookup costs one probe run plus that key's records.
 *
 * <p>While it is built, each key's records are a chain through {@code next} (adding is O(1)); on
 * {@link #build} each chain is given to a {@link Selector} (which removes duplicates and keeps at
 * most a bound of them) and laid out contiguously in one {@code int[]}.
 */
final class KeyTable {

    /** Chooses the records a key keeps: reorders {@code records[0..n)} and returns how many to keep. */
    interface Selector {
        int select(int[] records, int n);
    }

    private byte[] bytes = new byte[1024];
    private int used;
    /** Entry i's key is {@code bytes[offsets[i] .. offsets[i + 1])}. */
    private int[] offsets = new int[65];
    private int[] hashes = new int[64];
    private int size;
    private int[] slots = new int[128];

    /** While building: entry i's first and last record (index into values), and each record's next (-1 at the end). */
    private int[] heads = new int[64];
    private int[] tails = new int[64];
    private int[] next = new int[64];
    /** The records: while building in adding order; once built, entry i's are {@code values[starts[i] .. starts[i + 1])}. */
    private int[] values = new int[64];
    private int records;
    private int[] starts;
    private long dropped;

    /** Distinct keys. */
    int size() {
        return size;
    }

    /** Records held (after {@link #build}: those kept). */
    int records() {
        return records;
    }

    /** Records the selector dropped on {@link #build}. */
    long dropped() {
        return dropped;
    }

    /** Adds record {@code value} to key {@code key[0..len)}: O(1), duplicates are removed on {@link #build}. */
    void add(byte[] key, int len, int value) {
        if (starts != null) {
            throw new IllegalStateException("the table is built");
        }
        int h = hash(key, len);
        int mask = slots.length - 1;
        int slot = h & mask;
        int e = -1;
        while (slots[slot] != 0) {
            int at = slots[slot] - 1;
            if (hashes[at] == h && equal(at, key, len)) {
                e = at;
                break;
            }
            slot = (slot + 1) & mask;
        }
        if (records == values.length) {
            values = Arrays.copyOf(values, records * 2);
            next = Arrays.copyOf(next, records * 2);
        }
        values[records] = value;
        next[records] = -1;
        if (e >= 0) {
            next[tails[e]] = records;
            tails[e] = records++;
            return;
        }
        if (size == hashes.length) {
            int n = size * 2;
            hashes = Arrays.copyOf(hashes, n);
            heads = Arrays.copyOf(heads, n);
            tails = Arrays.copyOf(tails, n);
            offsets = Arrays.copyOf(offsets, n + 1);
        }
        if (used + len > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + len));
        }
        System.arraycopy(key, 0, bytes, used, len);
        used += len;
        hashes[size] = h;
        heads[size] = records;
        tails[size] = records++;
        offsets[size + 1] = used;
        slots[slot] = ++size;
        if (size * 2 > slots.length) {
            rehash(slots.length * 2);
        }
    }

    /**
     * Lays each key's records out contiguously, as many as {@code selector} keeps of them, and trims
     * the arrays to what they hold. No add after this.
     */
    void build(Selector selector) {
        int[] out = new int[records];
        int[] starts = new int[size + 1];
        int[] chain = new int[16];
        int at = 0;
        for (int e = 0; e < size; e++) {
            int n = 0;
            for (int r = heads[e]; r >= 0; r = next[r]) {
                if (n == chain.length) {
                    chain = Arrays.copyOf(chain, n * 2);
                }
                chain[n++] = values[r];
            }
            int keep = n == 1 ? 1 : selector.select(chain, n);
            dropped += n - keep;
            starts[e] = at;
            System.arraycopy(chain, 0, out, at, keep);
            at += keep;
        }
        starts[size] = at;
        this.starts = starts;
        values = Arrays.copyOf(out, at);
        records = at;
        heads = tails = next = null;
        bytes = Arrays.copyOf(bytes, used);
        hashes = Arrays.copyOf(hashes, size);
        offsets = Arrays.copyOf(offsets, size + 1);
    }

    /** The entry of key {@code key[0..len)}, or -1 (once built). */
    int find(byte[] key, int len) {
        int h = hash(key, len);
        int mask = slots.length - 1;
        int slot = h & mask;
        while (slots[slot] != 0) {
            int e = slots[slot] - 1;
            if (hashes[e] == h && equal(e, key, len)) {
                return e;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    /** Entry {@code e}'s first record's index for {@link #record}. */
    int first(int e) {
        return starts[e];
    }

    /** Entry {@code e}'s end of records (exclusive). */
    int end(int e) {
        return starts[e + 1];
    }

    int record(int i) {
        return values[i];
    }

    /** The bytes the arrays take (their element bytes, without array headers). */
    long arrayBytes() {
        return (long) bytes.length + 4L * (offsets.length + hashes.length + values.length + slots.length
                + (starts == null ? 0 : starts.length));
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
