package io.vigil.bench;

import io.vigil.formats.DecodeResult;
import io.vigil.formats.DecoderOptions;
import io.vigil.formats.DecoderRegistry;
import io.vigil.formats.input.Framers;
import io.vigil.formats.input.RecordFramer;
import io.vigil.model.RawRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
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
        List<String> files = switch (format) {
            case "syslog" -> List.of("loghub/OpenSSH_2k.log", "loghub/Linux_2k.log");
            case "windows" -> List.of(
                    "otrf-security-datasets/windows/purplesharp_ad_playbook_I_2020-10-22042947.security_system.json",
                    "otrf-security-datasets/windows/cmd_psexec_lsa_secrets_dump_2020-10-1903305471.json");
            case "access" -> List.of("elastic-examples-apache-access/apache_logs");
            case "cloudtrail" -> List.of("otrf-security-datasets/aws/ec2_proxy_s3_exfiltration_2020-09-14011940.json");
            case "zeek" -> List.of("otrf-security-datasets/zeek/LSASS_campaign_01/conn.log",
                    "otrf-security-datasets/zeek/LSASS_campaign_01/dns.log");
            default -> throw new IllegalArgumentException("no dataset for format " + format);
        };
        DecoderOptions options = DecoderOptions.defaults();
        List<RawRecord> all = new ArrayList<>();
        for (String f : files) {
            Path p = datasets().resolve(f);
            try (InputStream in = Files.newInputStream(p);
                 RecordFramer framer = Framers.open(in, f, format, Instant.parse("2025-01-01T00:00:00Z"),
                         options.maxRecordBytes())) {
                RawRecord r;
                while ((r = framer.next()) != null) {
                    all.add(r);
                }
            }
        }
        records = all.toArray(RawRecord[]::new);
        decoders = new DecoderRegistry(options);
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

    static Path datasets() {
        String env = System.getenv("VIGIL_DATASETS");
        Path p = env != null && !env.isBlank() ? Paths.get(env) : Paths.get("../shared/datasets");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("datasets not found at " + p.toAbsolutePath()
                    + ": run from the repository root or set VIGIL_DATASETS");
        }
        return p;
    }
}
