package io.vigil.bench;

import io.vigil.formats.DecoderOptions;
import io.vigil.formats.input.Framers;
import io.vigil.formats.input.RecordFramer;
import io.vigil.simulate.ScenarioGenerator;
import io.vigil.model.RawRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The real records each benchmark runs over, per format, framed from the shared datasets exactly
 * as a replay frames them; one place so that every benchmark measures the same input.
 */
final class Datasets {

    private Datasets() {}

    /** Every record of the format's dataset files, in file order. */
    static RawRecord[] records(String format) throws IOException {
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
        return records(files, format);
    }

    /**
     * Every record of {@code files} (relative to the datasets), in order, framed as a replay frames
     * them; {@code format} null: detected per file, as a replay without --format does.
     */
    static RawRecord[] records(List<String> files, String format) throws IOException {
        int maxRecordBytes = DecoderOptions.defaults().maxRecordBytes();
        List<RawRecord> all = new ArrayList<>();
        for (String f : files) {
            Path p = root().resolve(f);
            try (InputStream in = Files.newInputStream(p);
                 RecordFramer framer = Framers.open(in, f, format, Instant.parse("2025-01-01T00:00:00Z"),
                         maxRecordBytes)) {
                RawRecord r;
                while ((r = framer.next()) != null) {
                    all.add(r);
                }
            }
        }
        return all.toArray(RawRecord[]::new);
    }

    /**
     * The simulator's mix (syslog, Windows and access logs, attacks embedded) as the Kafka and
     * replay benchmarks generate it: event time from 2024-06-01, 20,000 records/s, one attack
     * scenario per 1,000 benign records.
     */
    static ScenarioGenerator simulated(long seed) {
        return new ScenarioGenerator(seed, Instant.parse("2024-06-01T00:00:00Z"), 20_000,
                ScenarioGenerator.DEFAULT_ATTACK_EVERY);
    }

    static Path root() {
        String env = System.getenv("VIGIL_DATASETS");
        Path p = env != null && !env.isBlank() ? Paths.get(env) : Paths.get("../shared/datasets");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("datasets not found at " + p.toAbsolutePath()
                    + ": run from the repository root or set VIGIL_DATASETS");
        }
        return p;
    }
}
