package io.vigil.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.connectors.secret.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretConfigProviderTest {

    /** A password with every character JAAS quoting must escape. */
    private static final String NASTY = "a\"b\\c\nd\re";

    @Test
    void aPasswordFileWithQuotesAndBackslashesReachesTheLoginModuleIntact(@TempDir Path dir) throws Exception {
        // a file holds one line: quotes and backslashes, no line break inside
        String password = "a\"b\\c\"";
        Path pw = Files.writeString(dir.resolve("pw"), password + "\n");
        KafkaSettings s = KafkaSettings.plaintext("k1:9093").withSasl("SCRAM-SHA-512", "vigil", Secret.file(pw.toString()));
        Properties p = s.toProperties();
        assertThat(p.getProperty("sasl.jaas.config")).contains("password=\"${vigilfile:" + pw + ":jaas}\"");
        // the client's own config parsing resolves the reference, its JAAS parser reads the result
        assertThat(loginPassword(new ProducerConfig(KafkaSettingsTest.withSerializers(p)))).isEqualTo(password);
    }

    @Test
    void aVariableReachesTheLoginModuleThroughTheReference() throws Exception {
        // the job's properties name the variable; the provider reads the process environment: PATH is there
        String path = System.getenv("PATH");
        KafkaSettings s = KafkaSettings.plaintext("k1:9093").withSasl("PLAIN", "vigil", "PATH");
        assertThat(loginPassword(new ProducerConfig(KafkaSettingsTest.withSerializers(s.toProperties())))).isEqualTo(path);
    }

    @Test
    void aClientMadeHereGetsTheSameQuoting() {
        KafkaSettings s = KafkaSettings.plaintext("k1:9093").withSasl("PLAIN", "vigil", "PW");
        assertThat(loginPassword(new ProducerConfig(KafkaSettingsTest.withSerializers(s.toProperties(name -> NASTY))))).isEqualTo(NASTY);
    }

    @Test
    void theEnvironmentProviderQuotesForJaasAndNamesAMissingVariable() {
        SecretEnvConfigProvider env = new SecretEnvConfigProvider();
        String path = System.getenv("PATH");
        assertThat(env.get("PATH", Set.of("value")).data()).containsEntry("value", path);
        assertThat(env.get("PATH", Set.of("jaas")).data().get("jaas"))
                .isEqualTo(path.replace("\\", "\\\\").replace("\"", "\\\""));
        assertThatThrownBy(() -> env.get("VIGIL_NO_SUCH_VARIABLE_I19", Set.of("jaas")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("environment variable VIGIL_NO_SUCH_VARIABLE_I19 (a Kafka secret) is not set on this process");
        assertThatThrownBy(() -> env.get("PATH", Set.of("other"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("the keys of a secret are value and jaas").hasMessageNotContaining(path);
    }

    @Test
    void aJobsClientFailsOnAMissingVariableInsteadOfLoggingInWithTheReference() {
        KafkaSettings s = KafkaSettings.plaintext("k1:9093")
                .withSasl("PLAIN", "vigil", "VIGIL_NO_SUCH_VARIABLE_I19");
        assertThatThrownBy(() -> new ProducerConfig(KafkaSettingsTest.withSerializers(s.toProperties())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("environment variable VIGIL_NO_SUCH_VARIABLE_I19 (a Kafka secret) is not set on this process");
    }

    @Test
    void jaasQuotingEscapesWhatTheParserWouldTakeAsSyntax() {
        assertThat(SecretConfigProvider.jaasQuote(NASTY)).isEqualTo("a\\\"b\\\\c\\nd\\re");
        assertThat(SecretConfigProvider.jaasQuote("plain")).isEqualTo("plain");
    }

    private static String loginPassword(ProducerConfig config) {
        Password jaas = config.getPassword("sasl.jaas.config");
        AppConfigurationEntry entry = JaasContext.loadClientContext(config.values()).configurationEntries().get(0);
        assertThat(jaas.value()).doesNotContain("${");
        return (String) entry.getOptions().get("password");
    }
}
