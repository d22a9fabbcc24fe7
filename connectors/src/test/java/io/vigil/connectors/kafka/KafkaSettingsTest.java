package io.vigil.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    private static final Map<String, String> ENV = Map.of("KAFKA_PW", "s3\"cr\\t", "TS_PW", "changeit");

    @Test
    void plaintextNeedsOnlyBootstrapServers() {
        Properties p = KafkaSettings.plaintext("k1:9092, k2:9092").toProperties(ENV::get);
        assertThat(p).containsEntry("bootstrap.servers", "k1:9092, k2:9092")
                .containsEntry("security.protocol", "PLAINTEXT")
                .doesNotContainKey("sasl.jaas.config");
    }

    @Test
    void saslPasswordComesFromTheEnvironmentAndIsQuoted() {
        KafkaSettings s = KafkaSettings.plaintext("k1:9093").withSasl("scram-sha-512", "vigil", "KAFKA_PW");
        Properties p = s.toProperties(ENV::get);
        assertThat(p).containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"vigil\" password=\"s3\\\"cr\\\\t\";");
        assertThat(s.toString()).doesNotContain("s3").contains("$KAFKA_PW");
    }

    @Test
    void saslOverTlsWithTruststore() throws Exception {
        var truststore = java.nio.file.Files.createTempFile("truststore", ".p12");
        try {
            KafkaSettings s = KafkaSettings.plaintext("k1:9093")
                    .withTls(truststore.toString(), "TS_PW")
                    .withSasl("PLAIN", "vigil", "KAFKA_PW");
            Properties p = s.toProperties(ENV::get);
            assertThat(p).containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("ssl.truststore.location", truststore.toString())
                    .containsEntry("ssl.truststore.password", "changeit");
            assertThat(p.getProperty("sasl.jaas.config")).startsWith("org.apache.kafka.common.security.plain.PlainLoginModule");
        } finally {
            java.nio.file.Files.delete(truststore);
        }
    }

    @Test
    void problemsAreNamedAllAtOnce() {
        KafkaSettings s = new KafkaSettings("k1", "SASL_SSL", "GSSAPI", null, "MISSING_PW", "/no/such/truststore", null);
        assertThatThrownBy(() -> s.validate(ENV::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'k1' is not host:port")
                .hasMessageContaining("SASL mechanism 'GSSAPI' is not one of [PLAIN, SCRAM-SHA-256, SCRAM-SHA-512]")
                .hasMessageContaining("needs a SASL username")
                .hasMessageContaining("environment variable MISSING_PW (the SASL password) is not set")
                .hasMessageContaining("truststore /no/such/truststore does not exist");
        assertThatThrownBy(() -> new KafkaSettings("k1:9092", "TLS", null, null, null, null, null).validate(ENV::get))
                .hasMessageContaining("security protocol 'TLS' is not one of");
        assertThatThrownBy(() -> KafkaSettings.plaintext(" ").validate(ENV::get))
                .hasMessageContaining("bootstrap servers are missing");
    }
}
