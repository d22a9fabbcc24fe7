package io.vigil.jobs.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.connectors.secret.Secret;
import io.vigil.jobs.config.VigilConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warnings a configuration earns before its job runs: credentials that would travel in clear
 * (unless to this machine's loopback), secrets the submitting process cannot read; and the
 * {@code …-env}/{@code …-file} pairs, one or the other.
 */
class TransportSecurityTest {

    private static final Map<String, String> ENV = Map.of("VIGIL_KAFKA_PASSWORD", "pw", "SOC_ES_KEY", "key",
            "VIGIL_TEST_WEBHOOK_SECRET", "s", "SOC_TOKEN", "Bearer t");

    @TempDir
    Path dir;

    private static Map<String, String> base() {
        Map<String, String> m = new HashMap<>();
        m.put("kafka.bootstrap-servers", "kafka-1.soc.example:9093");
        m.put("elasticsearch.urls", "https://es.soc.example:9200");
        return m;
    }

    /** A SASL login of user vigil, the password from the default variable. */
    private static void sasl(Map<String, String> m, String protocol, String mechanism) {
        m.put("kafka.security-protocol", protocol);
        m.put("kafka.sasl-mechanism", mechanism);
        m.put("kafka.username", "vigil");
    }

    /** Endpoint soar at {@code url}, with an Authorization header from the environment. */
    private static void soarWithToken(Map<String, String> m, String url) {
        m.put("webhooks.endpoints.soar.url", url);
        m.put("webhooks.endpoints.soar.secret-env", "VIGIL_TEST_WEBHOOK_SECRET");
        m.put("webhooks.endpoints.soar.header-env.Authorization", "SOC_TOKEN");
    }

    private static java.util.List<String> warnings(Map<String, String> m) {
        return TransportSecurity.warnings(VigilConfig.of(m, "test"), ENV::get);
    }

    @Test
    void securedConnectionsEarnNoWarning() {
        Map<String, String> m = base();
        sasl(m, "SASL_SSL", "SCRAM-SHA-512");
        m.put("elasticsearch.api-key-env", "SOC_ES_KEY");
        soarWithToken(m, "https://soar.soc.example/hooks");
        assertThat(warnings(m)).isEmpty();
    }

    @Test
    void credentialsInClearToAnotherMachineAreEachOneWarning() {
        Map<String, String> m = base();
        sasl(m, "SASL_PLAINTEXT", "PLAIN");
        m.put("elasticsearch.urls", "http://es.soc.example:9200");
        m.put("elasticsearch.api-key-env", "SOC_ES_KEY");
        soarWithToken(m, "http://soar.soc.example/hooks");
        // signed but without credentials: the signature proves the sender, no secret is sent
        m.put("webhooks.endpoints.chat.url", "http://chat.soc.example/hooks");
        m.put("webhooks.endpoints.chat.secret-env", "VIGIL_TEST_WEBHOOK_SECRET");
        assertThat(warnings(m)).containsExactly(
                "Kafka: the SASL PLAIN login of user 'vigil' travels without TLS (security protocol SASL_PLAINTEXT): "
                        + "the password itself is readable on the network; use SASL_SSL",
                "Elasticsearch: the API key in $SOC_ES_KEY travels without TLS to http://es.soc.example:9200; use https://",
                "webhook 'soar': header Authorization travels without TLS to soar.soc.example; use https://");
    }

    @Test
    void theLoopbackIsThisMachineAndNoWarning() {
        Map<String, String> m = base();
        m.put("kafka.bootstrap-servers", "127.0.0.1:9092,localhost:9093");
        sasl(m, "SASL_PLAINTEXT", "SCRAM-SHA-256");
        m.put("elasticsearch.urls", "http://[::1]:9200");
        m.put("elasticsearch.api-key-env", "SOC_ES_KEY");
        soarWithToken(m, "http://127.0.0.2:8080/hooks");
        assertThat(warnings(m)).isEmpty();
        assertThat(TransportSecurity.loopback("127.0.0.1.soc.example")).isFalse();
        assertThat(TransportSecurity.loopback("localhost.soc.example")).isFalse();
    }

    @Test
    void secretsThisProcessCannotReadAreWarningsNotErrors() {
        Map<String, String> m = base();
        sasl(m, "SASL_SSL", "SCRAM-SHA-512");
        m.put("kafka.password-env", "ONLY_ON_THE_CLUSTER");
        m.put("elasticsearch.api-key-file", dir.resolve("absent-key").toString());
        assertThat(warnings(m)).containsExactly(
                "Kafka: environment variable ONLY_ON_THE_CLUSTER (the SASL password) is not set here; the JobManager "
                        + "and every TaskManager must have it",
                "Elasticsearch: file " + dir.resolve("absent-key") + " (the API key) does not exist here; every "
                        + "TaskManager must have it");
    }

    @Test
    void aSecretComesFromAVariableOrAFileNotBoth() throws Exception {
        Path file = Files.writeString(dir.resolve("kafka-password"), "pw\n");
        Map<String, String> m = base();
        sasl(m, "SASL_SSL", "SCRAM-SHA-512");
        // the variable's default gives way to a file
        m.put("kafka.password-file", file.toString());
        assertThat(Connections.kafka(VigilConfig.of(m, "test")).password()).isEqualTo(Secret.file(file.toString()));
        m.put("kafka.password-env", "SOC_KAFKA_PASSWORD");
        assertThatThrownBy(() -> Connections.kafka(VigilConfig.of(m, "test")))
                .hasMessage("the Kafka SASL password is given twice: set kafka.password-env (an environment variable) "
                        + "or kafka.password-file (a file), not both");
        m.remove("kafka.password-file");
        assertThat(Connections.kafka(VigilConfig.of(m, "test")).password()).isEqualTo(Secret.env("SOC_KAFKA_PASSWORD"));
    }

    @Test
    void relativeSecretFilesOfElasticsearchAndWebhooksAreWarned() {
        Map<String, String> m = base();
        m.put("elasticsearch.api-key-file", "secrets/es-key");
        m.put("webhooks.endpoints.soar.url", "https://soar.soc.example/hooks");
        m.put("webhooks.endpoints.soar.secret-file", "hook-secret");
        m.put("webhooks.endpoints.chat.url", "https://chat.soc.example/hooks");
        m.put("webhooks.endpoints.chat.secret-file", "/run/secrets/chat");
        assertThat(warnings(m)).filteredOn(w -> w.contains("not an absolute path")).containsExactlyInAnyOrder(
                "elasticsearch.api-key-file: secrets/es-key is not an absolute path; the processes that read it may "
                        + "run in another directory (a cluster's TaskManagers resolve it against their own)",
                "webhook 'soar' secret-file: hook-secret is not an absolute path; the processes that read it may "
                        + "run in another directory (a cluster's TaskManagers resolve it against their own)");
    }
}
