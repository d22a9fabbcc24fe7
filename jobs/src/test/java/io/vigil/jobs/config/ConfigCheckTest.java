package io.vigil.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code vigil config --check} refuses, each problem naming the key, the bad value and what is valid. */
class ConfigCheckTest {

    /** The keys a streaming job cannot do without, so that other problems stand alone. */
    private static final String SERVICES = """
            kafka:
              bootstrap-servers: kafka-1:9092
            elasticsearch:
              urls: [https://es-1:9200]
            """;

    /** A rule pack of one rule, for detection.rules. */
    private static final String ONE_RULE = """
            package site.rules;
            import io.vigil.model.SecurityEvent;
            import io.vigil.rules.Signal;
            rule "payroll-export"
                @name("Payroll export") @description("the payroll table exported") @severity("high") @riskScore(73)
                @tactics("TA0010") @techniques("T1567") @shape("single") @groupBy("user.name") @suppress("10m")
            when
                $e : SecurityEvent(eventAction == "payroll-export")
            then
                insert(new Signal($e));
            end
            """;

    @TempDir
    Path dir;

    private List<String> check(String yaml) throws Exception {
        Path f = dir.resolve("vigil.yaml");
        Files.writeString(f, yaml);
        return ConfigCheck.check(f);
    }

    @Test
    void aFileThatSetsNoKeysIsRefused() throws Exception {
        for (String empty : List.of("", "# every key has its default\n", "{}\n", "kafka:\n")) {
            assertThat(check(empty)).as("'%s'", empty).containsExactly("the configuration sets no keys: a streaming "
                    + "job needs at least kafka.bootstrap-servers and elasticsearch.urls (every key with its default: "
                    + "vigil config)");
        }
    }

    @Test
    void requiredKeysMustBeSet() throws Exception {
        assertThat(check("parallelism: 2\nelasticsearch:\n  urls: []\n")).containsExactly(
                "kafka.bootstrap-servers: required, not set (Kafka bootstrap servers, host:port[,host:port…]. Required.)",
                "elasticsearch.urls: required, not set (Elasticsearch URLs (https://host:9200). Required.)");
    }

    @Test
    void anUnknownTopicFormatIsRefusedWithTheFormatsVigilHas() throws Exception {
        assertThat(check("""
                kafka:
                  bootstrap-servers: kafka-1:9092
                  topics:
                    auth: syslog
                    winlogbeat: evtx
                    proxy: Access
                elasticsearch:
                  urls: [https://es-1:9200]
                """)).containsExactly(
                "kafka.topics.proxy: unknown format 'Access'; Vigil decodes syslog, access, windows, cloudtrail, zeek, ecs",
                "kafka.topics.winlogbeat: format 'evtx' names Windows event log files, read by vigil replay; a topic "
                        + "of Windows events as JSON (evtx_dump, Winlogbeat, NXLog) is 'windows'");
    }

    @Test
    void thePrometheusPortIsAPortOrARange() throws Exception {
        String port = "metrics:\n  prometheus:\n    port: ";
        for (String bad : List.of("0", "65536", "9259-9249", "http", "9249-")) {
            assertThat(check(SERVICES + port + "'" + bad + "'\n")).as(bad).contains("metrics.prometheus.port: '" + bad
                    + "' is not a port (1-65535) or a range of ports such as 9249-9259");
        }
        for (String good : List.of("9249", "9249-9259", "''")) {
            assertThat(check(SERVICES + port + good + "\n")).as(good).noneMatch(p -> p.startsWith("metrics."));
        }
    }

    @Test
    void aWebhookFilterOnARuleThePackDoesNotHaveIsRefused() throws Exception {
        List<String> problems = check(SERVICES + """
                webhooks:
                  endpoints:
                    soar:
                      url: https://soar.example/hooks/vigil
                      secret-env: SOAR_SECRET
                      rules: [ssh-brute-force, ssh-brute-force-then-success]
                    chat:
                      url: https://chat.example/hooks/vigil
                      secret-env: CHAT_SECRET
                      rules: [brute-force-then-success, account-backdoor]
                """);
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).startsWith("webhooks.endpoints.chat.rules: no rule 'account-backdoor' in the rule "
                + "pack shipped with Vigil; its rules: account-created-and-deleted, audit-policy-disabled, "
                + "brute-force-then-success, ");
        assertThat(problems.get(1)).startsWith("webhooks.endpoints.soar.rules: no rule 'ssh-brute-force-then-success' "
                + "in the rule pack shipped with Vigil; its rules: ").contains(", ssh-brute-force, ");
    }

    @Test
    void webhookRulesAreCheckedAgainstTheRulesOfDetectionRules() throws Exception {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("site.drl"), ONE_RULE);
        RuleDirs.ownerWritable(rules);
        String yaml = SERVICES + """
                detection:
                  rules: %s
                webhooks:
                  endpoints:
                    soar:
                      url: https://soar.example/hooks/vigil
                      secret-env: SOAR_SECRET
                      rules: [%s]
                """;
        assertThat(check(yaml.formatted(rules, "payroll-export"))).isEmpty();
        // the directory replaces the packaged pack
        assertThat(check(yaml.formatted(rules, "payroll-export, ssh-brute-force"))).containsExactly(
                "webhooks.endpoints.soar.rules: no rule 'ssh-brute-force' in the rules of detection.rules (" + rules
                        + "); its rules: payroll-export");
    }

    @Test
    void aRulesDirectoryWithoutRulesIsRefused() throws Exception {
        assertThat(check(SERVICES + "detection:\n  rules: " + dir.resolve("missing") + "\n"))
                .containsExactly("detection.rules: no such directory: " + dir.resolve("missing"));
        Path empty = RuleDirs.ownerWritable(Files.createDirectories(dir.resolve("empty")));
        assertThat(check(SERVICES + "detection:\n  rules: " + empty + "\n"))
                .containsExactly("detection.rules: no .drl files under " + empty);
    }

    @Test
    void whatReadingRefusesComesOneProblemAKey() throws Exception {
        assertThat(check(SERVICES + "parallelism: many\ndetection:\n  max-keys: 0\n  out-of-order: 1s\n"))
                .hasSize(2)
                .anySatisfy(p -> assertThat(p).startsWith("parallelism: ").contains("many"))
                .anySatisfy(p -> assertThat(p).isEqualTo("unknown key 'detection.out-of-order'"));
        assertThat(ConfigCheck.check(dir.resolve("absent.yaml")))
                .containsExactly(dir.resolve("absent.yaml") + ": no such configuration file: " + dir.resolve("absent.yaml"));
        assertThat(check("kafka: [unclosed\n")).singleElement().asString().startsWith(dir.resolve("vigil.yaml") + ": ");
    }

    @Test
    void aCompleteConfigurationHasNoProblem() throws Exception {
        assertThat(check("""
                kafka:
                  bootstrap-servers: kafka-1:9092
                  topics: {auth: syslog, winlogbeat: windows}
                elasticsearch:
                  urls: [https://es-1:9200]
                webhooks:
                  endpoints:
                    soar:
                      url: https://soar.example/hooks/vigil
                      secret-env: SOAR_SECRET
                      rules: [ssh-brute-force, brute-force-then-success]
                """)).isEmpty();
    }
}
