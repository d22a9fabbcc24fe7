package io.vigil.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.connectors.elasticsearch.ElasticsearchSink;
import io.vigil.formats.DecoderOptions;
import io.vigil.jobs.detect.Detection;
import io.vigil.jobs.incident.IncidentAssembler;
import io.vigil.rules.RuleEvaluator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VigilConfigTest {

    @TempDir
    Path dir;

    private VigilConfig load(String yaml) throws Exception {
        Path f = dir.resolve("vigil.yaml");
        Files.writeString(f, yaml);
        return VigilConfig.load(f);
    }

    @Test
    void readsTypedOptionsWithDefaults() throws Exception {
        VigilConfig c = load("""
                kafka:
                  bootstrap-servers: broker-1:9092,broker-2:9092
                  topics:
                    auth.raw: syslog
                    winlogbeat: windows
                elasticsearch:
                  urls: [https://es-1:9200, https://es-2:9200]
                  username-env: ES_USER
                detection:
                  out-of-orderness: 30s
                checkpoints:
                  dir: s3://bucket/vigil
                """);
        assertThat(c.require(VigilOptions.KAFKA_BOOTSTRAP)).isEqualTo("broker-1:9092,broker-2:9092");
        assertThat(c.get(VigilOptions.KAFKA_TOPICS)).isEqualTo(Map.of("auth.raw", "syslog", "winlogbeat", "windows"));
        assertThat(c.get(VigilOptions.ES_URLS)).isEqualTo(List.of("https://es-1:9200", "https://es-2:9200"));
        assertThat(c.get(VigilOptions.OUT_OF_ORDERNESS)).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.get(VigilOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.get(VigilOptions.ES_PASSWORD_ENV)).isEqualTo("VIGIL_ES_PASSWORD");
        assertThat(c.get(VigilOptions.ES_WRITE_EVENTS)).isFalse();
    }

    @Test
    void aDefaultTheJobSharesWithReplayTestsOrBenchmarksIsTheirConstant() {
        // out-of-orderness was 500 ms here and 10 s in Detection (what replay, tests and benchmarks used)
        assertThat(VigilOptions.OUT_OF_ORDERNESS.defaultValue()).isEqualTo(Detection.DEFAULT_OUT_OF_ORDERNESS)
                .isEqualTo(Duration.ofMillis(500));
        assertThat(VigilOptions.STATE_TTL.defaultValue()).isEqualTo(Detection.DEFAULT_STATE_TTL);
        assertThat(VigilOptions.MAX_KEYS.defaultValue()).isEqualTo(Detection.DEFAULT_MAX_KEYS);
        assertThat(VigilOptions.INCIDENT_WINDOW.defaultValue()).isEqualTo(IncidentAssembler.DEFAULT_WINDOW);
        assertThat(VigilOptions.RULE_QUARANTINE_AFTER.defaultValue()).isEqualTo(RuleEvaluator.DEFAULT_QUARANTINE_AFTER);
        assertThat(VigilOptions.MAX_RECORD_BYTES.defaultValue()).isEqualTo(DecoderOptions.DEFAULT_MAX_RECORD_BYTES);
        assertThat(VigilOptions.TIMEZONE.defaultValue()).isEqualTo(DecoderOptions.DEFAULT_ZONE);
        assertThat(VigilOptions.ES_BULK_ACTIONS.defaultValue()).isEqualTo(ElasticsearchSink.DEFAULT_MAX_ACTIONS);
    }

    @Test
    void unknownKeysAndBadValuesAreNamed() {
        assertThatThrownBy(() -> load("kafka:\n  bootstrap: x:9092\n"))
                .hasMessageContaining("unknown key 'kafka.bootstrap'");
        assertThatThrownBy(() -> load("detection:\n  out-of-orderness: soon\n"))
                .hasMessageContaining("detection.out-of-orderness");
        assertThatThrownBy(() -> load("elasticsearch:\n  password: hunter2\n"))
                .hasMessageContaining("unknown key 'elasticsearch.password'");
    }

    @Test
    void ruleQuarantineIsOneHundredConsecutiveFailuresUnlessSetAndNeverNegative() throws Exception {
        assertThat(load("parallelism: 1\n").get(VigilOptions.RULE_QUARANTINE_AFTER)).isEqualTo(100);
        assertThat(load("detection:\n  rule-quarantine-after: 0\n").get(VigilOptions.RULE_QUARANTINE_AFTER)).isZero();
        assertThatThrownBy(() -> load("detection:\n  rule-quarantine-after: -1\n"))
                .hasMessageContaining("detection.rule-quarantine-after: 0 (never) or more, not -1");
    }

    @Test
    void theKeyBoundAndTheStateBackendAreReadAndValidated() throws Exception {
        VigilConfig defaults = load("parallelism: 1\n");
        assertThat(defaults.get(VigilOptions.MAX_KEYS)).isEqualTo(io.vigil.jobs.detect.Detection.DEFAULT_MAX_KEYS);
        assertThat(defaults.get(VigilOptions.STATE_BACKEND)).isEqualTo(StateBackendKind.HASHMAP);

        VigilConfig c = load("detection:\n  max-keys: 5000000\nstate:\n  backend: rocksdb\n");
        assertThat(c.get(VigilOptions.MAX_KEYS)).isEqualTo(5_000_000);
        assertThat(c.get(VigilOptions.STATE_BACKEND)).isEqualTo(StateBackendKind.ROCKSDB);
        assertThat(c.get(VigilOptions.STATE_BACKEND)).hasToString("rocksdb");

        assertThatThrownBy(() -> load("detection:\n  max-keys: 0\n"))
                .hasMessageContaining("detection.max-keys: must be at least 1: 0");
        assertThatThrownBy(() -> load("detection:\n  max-keys: lots\n")).hasMessageContaining("detection.max-keys");
        assertThatThrownBy(() -> load("state:\n  backend: leveldb\n")).hasMessageContaining("state.backend")
                .hasMessageContaining("rocksdb");
    }

    @Test
    void theMassActivityLimitHasADefaultAndCannotBeNegative() throws Exception {
        assertThat(load("parallelism: 1\n").get(VigilOptions.MASS_ACTIVITY_MAX_NEW_KEYS)).isEqualTo(100);
        assertThat(load("detection:\n  mass-activity:\n    max-new-keys-per-minute: 0\n")
                .get(VigilOptions.MASS_ACTIVITY_MAX_NEW_KEYS)).isZero();
        assertThatThrownBy(() -> load("detection:\n  mass-activity:\n    max-new-keys-per-minute: -1\n"))
                .hasMessageContaining("detection.mass-activity.max-new-keys-per-minute: must be 0 (off) or more");
    }

    @Test
    void theExampleDeployConfigurationIsValid() throws Exception {
        VigilConfig c = VigilConfig.load(io.vigil.formats.Datasets.checkoutRoot().resolve("deploy/vigil.yaml"));
        assertThat(c.get(VigilOptions.KAFKA_TOPICS)).containsEntry("vigil.raw.syslog", "syslog").hasSize(6);
        assertThat(c.require(VigilOptions.ES_URLS)).containsExactly("http://localhost:9200");
    }

    @Test
    void zeekTopicsGetTheirHeaderFromALogFileInlineLinesOrAPath() throws Exception {
        Path conn = io.vigil.formats.Datasets.file("otrf-security-datasets/zeek/LSASS_campaign_01/conn.log");
        VigilConfig c = load("""
                kafka:
                  topics:
                    zeek.conn: zeek
                    zeek.dns: zeek
                    zeek.http: zeek
                    zeek.weird: zeek
                    auth: syslog
                  zeek-headers:
                    zeek.conn: %s
                    zeek.dns: |
                      #separator \\x09
                      #path	dns
                      #fields	ts	uid	query
                    zeek.weird: |
                      #separator ,
                      #fields,ts,uid,name
                  zeek-paths:
                    zeek.http: http
                    zeek.weird: weird
                """.formatted(conn));
        Map<String, String> headers = c.zeekHeaders();
        assertThat(headers).containsOnlyKeys("zeek.conn", "zeek.dns", "zeek.http", "zeek.weird");
        // the leading '#' lines of a real log, without its data rows or its #close
        assertThat(headers.get("zeek.conn")).startsWith("#separator \\x09\n").contains("#path\tconn\n")
                .contains("#fields\tts\tuid\tid.orig_h").contains("#types\ttime\tstring")
                .doesNotContain("#close").doesNotContain("\n1692");
        assertThat(headers.get("zeek.dns")).isEqualTo("#separator \\x09\n#path\tdns\n#fields\tts\tuid\tquery\n");
        assertThat(headers.get("zeek.http")).isEqualTo("#path\thttp");
        // a path for a header without one is added in the header's own separator
        assertThat(headers.get("zeek.weird")).isEqualTo("#separator ,\n#fields,ts,uid,name\n#path,weird");
        assertThat(load("parallelism: 1\n").zeekHeaders()).isEmpty();
    }

    @Test
    void zeekHeaderAndPathProblemsSayWhatToDo() throws Exception {
        Path noHeader = io.vigil.formats.Datasets.file("loghub/OpenSSH_2k.log");
        assertThatThrownBy(() -> load("""
                kafka:
                  topics: {zeek.conn: zeek, auth: syslog}
                  zeek-paths: {auth: conn}
                """)).hasMessageContaining("kafka.zeek-paths.auth: topic 'auth' is not read as zeek; add 'auth: zeek' "
                + "to kafka.topics");
        assertThatThrownBy(() -> load("""
                kafka:
                  zeek-headers: {vigil.raw.zeek: %s}
                """.formatted(dir.resolve("missing.header"))))
                .hasMessageContaining("kafka.zeek-headers.vigil.raw.zeek: cannot read the Zeek header file "
                        + dir.resolve("missing.header") + " (NoSuchFileException");
        assertThatThrownBy(() -> load("""
                kafka:
                  zeek-headers: {vigil.raw.zeek: %s}
                """.formatted(noHeader)))
                .hasMessageContaining("kafka.zeek-headers.vigil.raw.zeek (" + noHeader + "): no '#' header lines at "
                        + "its top");
        Path big = dir.resolve("big.header");
        Files.writeString(big, ("#" + "x".repeat(99) + "\n").repeat(1000));
        assertThatThrownBy(() -> load("kafka:\n  zeek-headers: {vigil.raw.zeek: " + big + "}\n"))
                .hasMessageContaining("the '#' lines at its top exceed 65536 characters");
        assertThatThrownBy(() -> load("kafka:\n  zeek-headers:\n    vigil.raw.zeek: \"#path\\tconn\"\n"))
                .hasMessageContaining("kafka.zeek-headers.vigil.raw.zeek: no #fields line; give the '#' lines at the "
                        + "top of a Zeek log");
        assertThatThrownBy(() -> load("kafka:\n  zeek-headers:\n    vigil.raw.zeek: \"#fields\\tuid\\tquery\"\n"))
                .hasMessageContaining("kafka.zeek-headers.vigil.raw.zeek: #fields has no ts column");
        assertThatThrownBy(() -> load("kafka:\n  zeek-headers:\n    vigil.raw.zeek: \"#fields\\tts\\nts\"\n"))
                .hasMessageContaining("kafka.zeek-headers.vigil.raw.zeek: Zeek header line 2 does not start with '#'");
        assertThatThrownBy(() -> load("kafka:\n  zeek-paths: {vigil.raw.zeek: con}\n"))
                .hasMessageContaining("kafka.zeek-paths.vigil.raw.zeek: 'con' is not a Zeek log Vigil maps; one of [")
                .hasMessageContaining("conn, dce_rpc");
        assertThatThrownBy(() -> load("""
                kafka:
                  zeek-headers:
                    vigil.raw.zeek: "#path\\tconn\\n#fields\\tts\\tuid"
                  zeek-paths:
                    vigil.raw.zeek: dns
                """)).hasMessageContaining("kafka.zeek-paths.vigil.raw.zeek is 'dns' but the #path of "
                + "kafka.zeek-headers.vigil.raw.zeek is 'conn'; keep one");
    }

    @Test
    void requiredKeysSayWhatTheyAre() throws Exception {
        VigilConfig c = load("parallelism: 2\n");
        assertThatThrownBy(() -> c.require(VigilOptions.ES_URLS))
                .hasMessageContaining("'elasticsearch.urls' is required");
    }

    @Test
    void elasticsearchRetryCountsHaveDefaultsAndMustNotBeNegative() throws Exception {
        VigilConfig defaults = load("parallelism: 1\n");
        assertThat(defaults.get(VigilOptions.ES_REFUSED_REQUEST_RETRIES)).isEqualTo(3);
        assertThat(defaults.get(VigilOptions.ES_RETRY_ON_CONFLICT)).isEqualTo(3);
        VigilConfig set = load("elasticsearch:\n  refused-request-retries: 0\n  retry-on-conflict: 5\n");
        assertThat(set.get(VigilOptions.ES_REFUSED_REQUEST_RETRIES)).isZero();
        assertThat(set.get(VigilOptions.ES_RETRY_ON_CONFLICT)).isEqualTo(5);
        assertThatThrownBy(() -> load("elasticsearch:\n  refused-request-retries: -1\n"))
                .hasMessageContaining("elasticsearch.refused-request-retries: must be 0 or more, got -1");
        assertThatThrownBy(() -> load("elasticsearch:\n  retry-on-conflict: -2\n"))
                .hasMessageContaining("elasticsearch.retry-on-conflict: must be 0 or more, got -2");
    }
}
