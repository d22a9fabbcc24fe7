package io.vigil.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.EcsJson;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What every benchmark main shares: {@code --json FILE} (the figures, machine-readable, for
 * {@link VigilBench} to merge into {@code bench/results.json}) and a description of the machine;
 * public for the sections in sub-packages ({@code faults}).
 */
public final class BenchJson {

    private BenchJson() {}

    /** The path after {@code --json}, or {@code null}; {@code args} without the pair. */
    public static Path jsonPath(List<String> args) {
        String file = option(args, "--json");
        if (file == null && args.contains("--json")) {
            throw new IllegalArgumentException("--json needs a file");
        }
        return file == null ? null : Path.of(file);
    }

    /**
     * The value after {@code name}, taken out of {@code args} with it; {@code null} (and
     * {@code args} as they were) when {@code name} is absent or last.
     */
    public static String option(List<String> args, String name) {
        int i = args.indexOf(name);
        if (i < 0 || i + 1 >= args.size()) {
            return null;
        }
        String v = args.get(i + 1);
        args.remove(i + 1);
        args.remove(i);
        return v;
    }

    public static List<String> mutable(String[] argv) {
        return new ArrayList<>(List.of(argv));
    }

    public static ObjectNode object() {
        return EcsJson.MAPPER.createObjectNode();
    }

    public static ObjectNode machine() {
        ObjectNode m = object();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        m.put("physical_memory_bytes", physicalMemory());
        return m;
    }

    private static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }

    public static void write(Path path, ObjectNode node) throws IOException {
        if (path != null) {
            Files.writeString(path, EcsJson.toJson(node));
        }
    }

    /** Median, min and max of {@code values} as {@code {"median", "min", "max", "runs"}}. */
    public static ObjectNode stats(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        ObjectNode s = object();
        s.put("median", Math.round(v[v.length / 2]));
        s.put("min", Math.round(v[0]));
        s.put("max", Math.round(v[v.length - 1]));
        s.put("runs", v.length);
        return s;
    }
}
