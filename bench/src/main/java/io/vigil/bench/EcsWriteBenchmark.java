package io.vigil.bench;

import io.vigil.formats.DecodeResult;
import io.vigil.formats.DecoderOptions;
import io.vigil.formats.DecoderRegistry;
import io.vigil.model.EcsJson;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
 * ECS JSON writing throughput per format on one thread: events/s (the primary score) and the
 * characters written per second (the {@code chars} counter). The events are decoded once, in
 * setup, from the same real records {@link DecodeBenchmark} decodes, so the two scores compare:
 * a replay writes every decoded event, so it cannot run faster than the slower of the two.
 *
 * <p>Run: {@code java -jar bench/target/vigil-bench.jar EcsWriteBenchmark -f 1 -wi 2 -i 5 -t 1}
 * from the repository root (datasets from {@code VIGIL_DATASETS} or {@code ../shared/datasets}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EcsWriteBenchmark {

    @Param({"syslog", "windows", "access"})
    public String format;

    private SecurityEvent[] events;
    private int next;

    /** Characters written, reported by JMH per second next to the events/s score. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Chars {
        public long chars;

        @Setup(Level.Iteration)
        public void reset() {
            chars = 0;
        }
    }

    @Setup(Level.Trial)
    public void load() throws IOException {
        RawRecord[] records = Datasets.records(format);
        DecoderRegistry decoders = new DecoderRegistry(DecoderOptions.defaults());
        List<SecurityEvent> all = new ArrayList<>();
        for (RawRecord r : records) {
            DecodeResult result = decoders.decode(r);
            if (!result.ok()) {
                // writing dead letters is a different (rarer) path; measure events only
                throw new IllegalStateException(format + " record fails to decode: " + r.origin());
            }
            all.addAll(result.events());
        }
        events = all.toArray(SecurityEvent[]::new);
    }

    @Benchmark
    public String write(Chars counter) {
        SecurityEvent e = events[next];
        next = next + 1 == events.length ? 0 : next + 1;
        String json = EcsJson.write(e);
        counter.chars += json.length();
        return json;
    }
}
