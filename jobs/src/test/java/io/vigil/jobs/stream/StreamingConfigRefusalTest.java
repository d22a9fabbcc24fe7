package io.vigil.jobs.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.jobs.config.VigilConfig;
import io.vigil.connectors.secret.Secret;
import io.vigil.jobs.wiring.Connections;
import io.vigil.jobs.wiring.TransportSecurity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The streaming job refuses what {@code vigil config --check} refuses, before it reaches any
 * service: the services named here do not exist, so getting as far as them would fail otherwise;
 * and the Kafka settings it builds carry every Kafka key.
 */
class StreamingConfigRefusalTest {

    private static Map<String, String> services() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kafka.bootstrap-servers", "127.0.0.1:1");
        m.put("elasticsearch.urls", "http://127.0.0.1:1");
        return m;
    }

    @Test
    void aTopicOfAFormatVigilCannotDecodeStopsTheJobBeforeItStarts() {
        Map<String, String> m = services();
        m.put("kafka.topics.auth", "sysl0g");
        assertThatThrownBy(() -> StreamingMain.run(VigilConfig.of(m, "test"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafka.topics.auth: unknown format 'sysl0g'");
    }

    @Test
    void aWebhookFilterOnARuleThePackDoesNotHaveStopsTheJobBeforeItStarts() {
        Map<String, String> m = services();
        m.put("webhooks.endpoints.soar.url", "https://soar.example/hooks/vigil");
        m.put("webhooks.endpoints.soar.secret-env", "VIGIL_TEST_UNSET_SECRET");
        m.put("webhooks.endpoints.soar.rules", "ssh-brute-force-then-success");
        assertThatThrownBy(() -> StreamingMain.run(VigilConfig.of(m, "test"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("webhooks.endpoints.soar.rules: no rule 'ssh-brute-force-then-success'");
    }

    @Test
    void theKafkaTruststorePasswordComesFromTheVariableTheConfigurationNames() throws Exception {
        Path truststore = Files.createTempFile("vigil-truststore", ".p12");
        try {
            Map<String, String> m = services();
            m.put("kafka.security-protocol", "SSL");
            m.put("kafka.truststore", truststore.toString());
            m.put("kafka.truststore-password-env", "VIGIL_TEST_UNSET_TRUSTSTORE_PASSWORD");
            // the variable reaches the Kafka settings; not set here, it is a warning: the cluster's processes read it
            VigilConfig config = VigilConfig.of(m, "test");
            assertThat(Connections.kafka(config).truststorePassword())
                    .isEqualTo(Secret.env("VIGIL_TEST_UNSET_TRUSTSTORE_PASSWORD"));
            assertThat(TransportSecurity.warnings(config, System::getenv)).containsExactly("Kafka: environment variable "
                    + "VIGIL_TEST_UNSET_TRUSTSTORE_PASSWORD (the truststore password) is not set here; the JobManager "
                    + "and every TaskManager must have it");
            // a client made here needs it
            assertThatThrownBy(() -> Connections.kafka(config).toProperties(System::getenv))
                    .hasMessageContaining("environment variable VIGIL_TEST_UNSET_TRUSTSTORE_PASSWORD (the truststore "
                            + "password) is not set");
        } finally {
            Files.delete(truststore);
        }
    }

    @Test
    void aJobRunInThisProcessRefusesToStartWithoutItsSecrets() {
        Map<String, String> m = services();
        m.put("kafka.security-protocol", "SASL_PLAINTEXT");
        m.put("kafka.sasl-mechanism", "SCRAM-SHA-512");
        m.put("kafka.username", "vigil");
        m.put("kafka.password-env", "VIGIL_TEST_UNSET_KAFKA_PASSWORD");
        m.put("elasticsearch.api-key-env", "VIGIL_TEST_UNSET_ES_KEY");
        m.put("webhooks.endpoints.soar.url", "https://soar.example/hooks/vigil");
        m.put("webhooks.endpoints.soar.secret-env", "VIGIL_TEST_UNSET_SECRET");
        VigilConfig config = VigilConfig.of(m, "test");
        // `vigil run`: the environment is local, this process is the TaskManager
        assertThatThrownBy(() -> StreamingMain.run(config, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the job runs in this process, which cannot read its secrets")
                .hasMessageContaining("environment variable VIGIL_TEST_UNSET_KAFKA_PASSWORD (the SASL password) is not set")
                .hasMessageContaining("Elasticsearch: ")
                .hasMessageContaining("VIGIL_TEST_UNSET_ES_KEY")
                .hasMessageContaining("webhook 'soar': environment variable VIGIL_TEST_UNSET_SECRET is not set");
        // submitted to a cluster, the same webhook secret is only a warning: the TaskManagers read it
        assertThat(Connections.webhookSecretWarnings(config, name -> null)).containsExactly("webhook 'soar': "
                + "environment variable VIGIL_TEST_UNSET_SECRET is not set; deliveries are signed with the secret it "
                + "holds (in this process; every TaskManager must have it)");
        assertThat(Connections.webhookSecretWarnings(config, name -> "set")).isEmpty();
    }

    @Test
    void onlyALocalEnvironmentRunsTheJobHere() {
        org.apache.flink.configuration.Configuration remote = new org.apache.flink.configuration.Configuration();
        remote.set(org.apache.flink.configuration.DeploymentOptions.TARGET, "remote");
        assertThat(StreamingMain.runsHere(org.apache.flink.streaming.api.environment.StreamExecutionEnvironment
                .createLocalEnvironment())).isTrue();
        assertThat(StreamingMain.runsHere(new org.apache.flink.streaming.api.environment.StreamExecutionEnvironment(
                remote))).isFalse();
    }
}
