package io.vigil.bench;

import io.vigil.formats.DecoderOptions;
import io.vigil.formats.DecoderRegistry;
import io.vigil.formats.evtx.EvtxReader;
import io.vigil.formats.input.EvtxFramer;
import io.vigil.model.RawRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
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
 * EVTX beside the other decoders of {@link DecodeBenchmark} (its name matches that section's JMH
 * pattern, so {@code ./vigil bench --only decode} runs both): one thread over a large log written by
 * {@link io.vigil.formats.evtx.EvtxWriter}'s {@link EvtxBenchInput} and held in memory, one record per operation, read
 * from the start again at its end. Two figures: {@code evtx-read}, the reader alone (file to
 * evtx_dump JSON, the work of {@code evtx_dump -t 1 -o jsonl}), and {@code evtx}, reader and
 * {@link io.vigil.formats.EvtxDecoder} (file to events, as a replay decodes). Records/s is the score,
 * the file's bytes/s the {@code bytes} counter.
 *
 * <p>Run: {@code java -jar bench/target/vigil-bench.jar EvtxDecodeBenchmark -f 1 -wi 2 -i 5 -t 1}
 * ({@code -p records=…} for another size).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EvtxDecodeBenchmark {

    static final String READ_ONLY = "evtx-read";
    static final String READ_AND_DECODE = "evtx";
    private static final long SEED = 17;
    private static final Instant REFERENCE_TIME = Instant.parse("2026-03-02T00:00:00Z");

    @Param({READ_ONLY, READ_AND_DECODE})
    public String format;

    /** About 950 bytes a record (UTF-16 text, as Windows writes it): 110,000 records make about 105 MB. */
    @Param({"110000"})
    public int records;

    private byte[] file;
    private DecoderRegistry decoders;
    private EvtxReader reader;
    private EvtxFramer framer;
    private long counted;

    /** File bytes consumed, reported by JMH per second next to the records/s score. */
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
        if (!READ_ONLY.equals(format) && !READ_AND_DECODE.equals(format)) {
            // "-p format=syslog" aimed at DecodeBenchmark reaches this class too: its pattern matches both
            throw new IllegalArgumentException("EvtxDecodeBenchmark measures " + READ_ONLY + " and " + READ_AND_DECODE
                    + ", not " + format + " (DecodeBenchmark alone: pattern '\\.DecodeBenchmark')");
        }
        file = new EvtxBenchInput(records, SEED).toBytes();
        decoders = new DecoderRegistry(DecoderOptions.defaults());
        checkWhole();
        open();
    }

    /** Every record reads back whole (and decodes): a benchmark of damage or dead letters measures the wrong thing. */
    private void checkWhole() throws IOException {
        long read = 0;
        long failures = 0;
        try (EvtxFramer all = framer()) {
            RawRecord r;
            while ((r = all.next()) != null) {
                read++;
                if (r.header() != null || (READ_AND_DECODE.equals(format) && !decoders.decode(r).ok())) {
                    failures++;
                }
            }
        }
        if (read != records || failures > 0) {
            throw new IllegalStateException("of " + records + " records written, " + read + " read, " + failures
                    + " damaged or failing to decode");
        }
    }

    private EvtxFramer framer() {
        return new EvtxFramer(new ByteArrayInputStream(file), "bench.evtx", REFERENCE_TIME,
                DecoderOptions.defaults().maxRecordBytes());
    }

    private void open() {
        if (READ_ONLY.equals(format)) {
            reader = new EvtxReader(new ByteArrayInputStream(file));
        } else {
            framer = framer();
        }
        counted = 0;
    }

    @Benchmark
    public Object decode(Bytes counter) throws IOException {
        Object out = READ_ONLY.equals(format) ? reader.next() : decodeNext();
        if (out == null) {
            open(); // the end of the file: from the start again
            out = READ_ONLY.equals(format) ? reader.next() : decodeNext();
        }
        long consumed = READ_ONLY.equals(format) ? reader.bytesRead() : framer.bytesRead();
        counter.bytes += consumed - counted;
        counted = consumed;
        return out;
    }

    private Object decodeNext() throws IOException {
        RawRecord r = framer.next();
        return r == null ? null : decoders.decode(r);
    }
}
