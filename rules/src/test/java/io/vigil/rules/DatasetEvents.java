package io.vigil.rules;

import io.vigil.formats.Datasets;
import io.vigil.formats.DecodeResult;
import io.vigil.formats.DecoderOptions;
import io.vigil.formats.DecoderRegistry;
import io.vigil.formats.input.Framers;
import io.vigil.formats.input.RecordFramer;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real dataset files decoded as the replay job would: framed with {@link Framers} (format
 * detected), decoded with {@link DecoderRegistry}. The OTRF Windows hosts logged local time at
 * UTC-4, so Windows files are decoded with zone {@code America/New_York} (only the psexec file,
 * which has no UTC stamp, depends on it). Syslog files carry no year: the loghub samples are
 * placed with a fixed reference time so the result does not depend on the clock.
 */
final class DatasetEvents {

    /** The dataset files of the rule-pack table, by the short name the report uses. */
    static final Map<String, String> FILES = new java.util.LinkedHashMap<>();

    static {
        FILES.put("loghub/OpenSSH_2k.log", "loghub/OpenSSH_2k.log");
        FILES.put("loghub/Linux_2k.log", "loghub/Linux_2k.log");
        FILES.put("loghub/Apache_2k.log", "loghub/Apache_2k.log");
        FILES.put("apache_logs", "elastic-examples-apache-access/apache_logs");
        FILES.put("auditpol", "otrf-security-datasets/windows/auditpol_system_user_auditpolicy_modification.security_system.json");
        FILES.put("cmd_psexec", "otrf-security-datasets/windows/cmd_psexec_lsa_secrets_dump_2020-10-1903305471.json");
        FILES.put("empire_wmic", "otrf-security-datasets/windows/empire_wmic_add_user_backdoor_2020-09-14080546.security_system.json");
        FILES.put("purplesharp", "otrf-security-datasets/windows/purplesharp_ad_playbook_I_2020-10-22042947.security_system.json");
        FILES.put("rdp_lsass", "otrf-security-datasets/windows/rdp_interactive_taskmanager_lsass_dump_2020-09-22043748.json");
        FILES.put("aws_ec2_s3", "otrf-security-datasets/aws/ec2_proxy_s3_exfiltration_2020-09-14011940.json");
        FILES.put("zeek_lsass", "otrf-security-datasets/zeek/LSASS_campaign_01");
    }

    /** The Linux sample is from 2005, the OpenSSH one has no year either: a reference time after both. */
    static final Instant REFERENCE = Instant.parse("2016-01-01T00:00:00Z");

    private static final Map<String, List<SecurityEvent>> CACHE = new HashMap<>();

    /** Records that did not decode, by file name. */
    static final Map<String, Integer> DEAD = new java.util.TreeMap<>();

    /** Files whose format no decoder detects. */
    static final java.util.Set<String> UNKNOWN = new java.util.TreeSet<>();

    private DatasetEvents() {}

    /** The events of a dataset by its short name (a directory: all its files, in name order). */
    static synchronized List<SecurityEvent> of(String name) {
        return CACHE.computeIfAbsent(name, n -> decode(FILES.get(n)));
    }

    private static List<SecurityEvent> decode(String relative) {
        Path path = Datasets.root().resolve(relative);
        List<SecurityEvent> out = new ArrayList<>();
        try {
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.list(path)) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        out.addAll(decodeFile(f));
                    }
                }
            } else {
                out.addAll(decodeFile(Datasets.file(relative)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static List<SecurityEvent> decodeFile(Path file) throws IOException {
        boolean windows = file.toString().contains("/windows/");
        DecoderOptions options = windows
                ? DecoderOptions.defaults().withZone(ZoneId.of("America/New_York"))
                : DecoderOptions.defaults();
        DecoderRegistry registry = new DecoderRegistry(options);
        List<SecurityEvent> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file);
             RecordFramer framer = Framers.open(in, file.getFileName().toString(), null, REFERENCE, 65536)) {
            RawRecord raw;
            while ((raw = framer.next()) != null) {
                DecodeResult r = registry.decode(raw);
                if (r.ok()) {
                    out.addAll(r.events());
                } else {
                    DEAD.merge(file.getFileName().toString(), 1, Integer::sum);
                }
            }
        } catch (Framers.UnknownFormatException e) {
            // no decoder knows the format (the loghub Apache *error* log): every line is a dead letter
            UNKNOWN.add(file.getFileName().toString());
        }
        return out;
    }
}
