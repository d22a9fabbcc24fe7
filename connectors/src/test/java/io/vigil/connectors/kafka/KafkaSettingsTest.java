package io.vigil.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.connectors.secret.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        KafkaSettings s = new KafkaSettings("k1", "SASL_SSL", "GSSAPI", null, null, "/no/such/truststore", null);
        assertThatThrownBy(() -> s.validate(ENV::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'k1' is not host:port")
                .hasMessageContaining("SASL mechanism 'GSSAPI' is not one of [PLAIN, SCRAM-SHA-256, SCRAM-SHA-512]")
                .hasMessageContaining("needs a SASL username")
                .hasMessageContaining("needs the SASL password")
                .hasMessageContaining("truststore /no/such/truststore does not exist");
        assertThatThrownBy(() -> new KafkaSettings("k1:9092", "TLS", null, null, null, null, null).validate(ENV::get))
                .hasMessageContaining("security protocol 'TLS' is not one of");
        assertThatThrownBy(() -> KafkaSettings.plaintext(" ").validate(ENV::get))
                .hasMessageContaining("bootstrap servers are missing");
        // what a client made here needs, it must read here
        assertThatThrownBy(() -> KafkaSettings.plaintext("k1:9093").withSasl("PLAIN", "vigil", "MISSING_PW")
                .validate(ENV::get)).hasMessageContaining("environment variable MISSING_PW (the SASL password) is not set");
    }

    @Test
    void theJobsPropertiesHoldReferencesTheKafkaClientResolvesNeverTheSecrets(@TempDir Path dir) throws Exception {
        Path truststorePassword = Files.writeString(dir.resolve("ts-password"), "store-secret\n");
        Path truststore = Files.writeString(dir.resolve("truststore.p12"), "");
        KafkaSettings s = KafkaSettings.plaintext("k1:9093")
                .withTls(truststore.toString(), Secret.file(truststorePassword.toString()))
                .withSasl("SCRAM-SHA-512", "vigil", Secret.env("PATH"));
        Properties p = s.toProperties();
        assertThat(p.getProperty("sasl.jaas.config")).isEqualTo(
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"vigil\" password=\"${vigilenv:PATH:jaas}\";");
        assertThat(p).containsEntry("ssl.truststore.password", "${vigilfile:" + truststorePassword + ":value}")
                .containsEntry("config.providers", "vigilenv,vigilfile");
        assertThat(p.toString()).doesNotContain("store-secret").doesNotContain(System.getenv("PATH"));
        // the client's own config parsing resolves them: the file without its line break, the variable
        ProducerConfig resolved = new ProducerConfig(withSerializers(p));
        assertThat(resolved.getPassword("ssl.truststore.password").value()).isEqualTo("store-secret");
        assertThat(resolved.getPassword("sasl.jaas.config").value()).contains("password=\""
                + SecretConfigProvider.jaasQuote(System.getenv("PATH")) + "\"");
    }

    @Test
    void aPasswordFileIsReadForClientsMadeHere(@TempDir Path dir) throws Exception {
        Path pw = Files.writeString(dir.resolve("pw"), "from-file\r\n");
        KafkaSettings s = KafkaSettings.plaintext("k1:9093").withSasl("PLAIN", "vigil", Secret.file(pw.toString()));
        assertThat(s.toProperties(ENV::get).getProperty("sasl.jaas.config")).contains("password=\"from-file\";");
        assertThat(s.toString()).contains("password from file " + pw).doesNotContain("from-file\"");
        Files.writeString(pw, "\n");
        assertThatThrownBy(() -> s.toProperties(ENV::get)).hasMessageContaining("file " + pw + " (the SASL password) is empty");
    }

    @Test
    void warningsNameWhatThisProcessCannotReadAndLoginsInClear() {
        KafkaSettings clear = KafkaSettings.plaintext("k1:9093").withSasl("SCRAM-SHA-256", "vigil", "MISSING_PW");
        assertThat(clear.warnings(ENV::get)).containsExactly(
                "Kafka: environment variable MISSING_PW (the SASL password) is not set here; the JobManager and every "
                        + "TaskManager must have it",
                "Kafka: the SASL SCRAM-SHA-256 login of user 'vigil' travels without TLS (security protocol "
                        + "SASL_PLAINTEXT); use SASL_SSL");
        KafkaSettings plain = KafkaSettings.plaintext("k1:9093").withSasl("PLAIN", "vigil", "TS_PW");
        assertThat(plain.warnings(ENV::get)).singleElement().asString()
                .contains("the password itself is readable on the network");
        assertThat(KafkaSettings.plaintext("k1:9093").warnings(ENV::get)).isEmpty();
    }

    @Test
    void aSecretFileMustBeAnAbsolutePathAKafkaReferenceCanCarry() {
        assertThatThrownBy(() -> KafkaSettings.plaintext("k1:9093").withSasl("PLAIN", "vigil", Secret.file("pw"))
                .validate()).hasMessageContaining("the SASL password: pw is not an absolute path");
        assertThatThrownBy(() -> KafkaSettings.plaintext("k1:9093")
                .withTls("/etc/ts.p12", Secret.file("/run/secrets/a:b}")).validate())
                .hasMessageContaining("the truststore password: file /run/secrets/a:b} has a ':' or '}'");
    }

    /** {@code p} with the serializers a producer config needs. */
    static Properties withSerializers(Properties p) {
        Properties q = new Properties();
        q.putAll(p);
        q.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        q.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        return q;
    }
}
