package io.vigil.bench;

import io.vigil.formats.DecodeResult;
import io.vigil.formats.DecoderOptions;
import io.vigil.formats.DecoderRegistry;
import io.vigil.model.RawRecord;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decode-only throughput per decoder on one thread: records/s (the primary score) and bytes/s
 * (the {@code bytes} counter), over the real shared datasets held in memory. This is the floor
 * the whole pipeline is measured against.
 *
 * <p>Run: {@code java -jar bench/target/vigil-bench.jar DecodeBenchmark -f 1 -wi 2 -i 3 -t 1}
 * from the repository root (datasets from {@code VIGIL_DATASETS} or {@code ../shared/datasets}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DecodeBenchmark {

    @Param({"syslog", "windows", "access", "cloudtrail", "zeek"})
    public String format;

    private RawRecord[] records;
    private DecoderRegistry decoders;
    private int next;

    /** Bytes decoded, reported by JMH per second next to the records/s score. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Bytes {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    @Setup(Level.Trial)
    public void load() throws IOException {
        records = Datasets.records(format);
        decoders = new DecoderRegistry(DecoderOptions.defaults());
        int failures = 0;
        for (RawRecord r : records) {
            if (!decoders.decode(r).ok()) {
                failures++;
            }
        }
        if (failures > 0) {
            // a benchmark of dead-lettering would measure the wrong thing
            throw new IllegalStateException(failures + " of " + records.length + " " + format + " records fail to decode");
        }
    }

    @Benchmark
    public DecodeResult decode(Bytes counter) {
        RawRecord r = records[next];
        next = next + 1 == records.length ? 0 : next + 1;
        counter.bytes += r.bytes().length + 1;
        return decoders.decode(r);
    }
}
