package io.vigil.jobs.context.retro;

import io.vigil.context.intel.Indicator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;

/**
 * What the retro-hunt remembers of a feed's last version: one 64-bit hash per indicator (type and
 * value), sorted, 8 bytes each, so a feed of a million indicators costs 8 MB of state. Two values
 * sharing a hash (about one chance in 30 million for a million indicators) only means a new
 * indicator is not hunted.
 */
public final class IndicatorHashes {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private IndicatorHashes() {}

    /** FNV-1a 64 of the type's name, a separator and the value, then mixed (murmur3's finalizer). */
    public static long of(Indicator indicator) {
        long h = FNV_OFFSET;
        for (byte b : indicator.type().name().getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        h = (h ^ 0) * FNV_PRIME;
        for (byte b : indicator.value().getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** The sorted, distinct hashes of {@code indicators}. */
    public static long[] sorted(Collection<Indicator> indicators) {
        long[] hashes = new long[indicators.size()];
        int i = 0;
        for (Indicator indicator : indicators) {
            hashes[i++] = of(indicator);
        }
        Arrays.sort(hashes);
        int n = 0;
        for (int j = 0; j < hashes.length; j++) {
            if (n == 0 || hashes[j] != hashes[n - 1]) {
                hashes[n++] = hashes[j];
            }
        }
        return n == hashes.length ? hashes : Arrays.copyOf(hashes, n);
    }

    /** Whether sorted {@code hashes} (or {@code null}: nothing known) holds {@code hash}. */
    public static boolean contains(long[] hashes, long hash) {
        return hashes != null && Arrays.binarySearch(hashes, hash) >= 0;
    }
}
