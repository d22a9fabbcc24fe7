package io.vigil.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * The most heap a stretch of work used, from the JVM's own memory pools: {@link #reset()} before
 * it, {@link #usedBytes()} after. Each heap pool (eden, survivor, old) keeps its own peak, so the
 * sum is an upper bound of the peak of the whole heap (the pools may peak at different moments);
 * it counts garbage not yet collected too, which is why the maximum heap ({@code -Xmx}) is given
 * with it.
 */
final class HeapPeak {

    private HeapPeak() {}

    /** Starts a measurement: a full collection (so earlier garbage is not counted), then every heap pool's peak reset. */
    static void reset() {
        System.gc();
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** The sum of the heap pools' peak usage since {@link #reset()}. */
    static long usedBytes() {
        return heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    /** The figure as JSON: the peak, the maximum heap and the {@code -Xmx} the JVM was given, if any. */
    static ObjectNode json() {
        ObjectNode h = BenchJson.object();
        h.put("peak_heap_used_bytes", usedBytes());
        h.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        h.put("xmx", ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-Xmx")).reduce((a, b) -> b).orElse("JVM default (a quarter of memory)"));
        return h;
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isValid()).toList();
    }
}
