package io.vigil.jobs.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.jobs.config.VigilConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where the one connection factory takes the cluster, the credentials and the CA from: a
 * configuration names them; without one, the command's URL and CA, then the environment.
 */
class ElasticsearchAccessTest {

    private static ElasticsearchAccess of(VigilConfig config, String url, String ca, Map<String, String> env) {
        return ElasticsearchAccess.of(config, url, ca, env::get);
    }

    @Test
    void withoutAConfigurationTheEnvironmentNamesTheClusterAndTheCredentials() {
        ElasticsearchAccess none = of(null, null, null, Map.of());
        assertThat(none.connection().urls()).containsExactly("http://localhost:9200");
        assertThat(none.connection().credentialsSource()).isNull();

        ElasticsearchAccess key = of(null, null, null, Map.of("VIGIL_ES_URL", "https://es.example:9200",
                "VIGIL_ES_API_KEY", "secret", "VIGIL_ES_CA_CERT", "certs/vigil-ca.pem"));
        assertThat(key.connection().urls()).containsExactly("https://es.example:9200");
        assertThat(key.connection().credentialsSource()).isEqualTo("the API key in $VIGIL_ES_API_KEY");
        assertThat(key.connection().caCertPath()).isEqualTo("certs/vigil-ca.pem");
        assertThat(key.connection().toString()).doesNotContain("secret");

        ElasticsearchAccess user = of(null, "http://10.0.0.5:9200", "ca.pem", Map.of("VIGIL_ES_URL",
                "https://es.example:9200", "VIGIL_ES_USERNAME", "analyst", "VIGIL_ES_PASSWORD", "pw",
                "VIGIL_ES_CA_CERT", "certs/vigil-ca.pem"));
        assertThat(user.connection().urls()).as("the command's URL first").containsExactly("http://10.0.0.5:9200");
        assertThat(user.connection().caCertPath()).as("the command's CA first").isEqualTo("ca.pem");
        assertThat(user.connection().credentialsSource())
                .isEqualTo("the user and password in $VIGIL_ES_USERNAME and $VIGIL_ES_PASSWORD");
    }

    @Test
    void anApiKeyAndAUserTogetherAreRefused() {
        assertThatThrownBy(() -> of(null, null, null, Map.of("VIGIL_ES_API_KEY", "k", "VIGIL_ES_USERNAME", "u")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both $VIGIL_ES_API_KEY and $VIGIL_ES_USERNAME are set");
    }

    @Test
    void aConfigurationNamesItsOwnVariablesAndTheDefaultOnesAreNotRead() {
        VigilConfig config = VigilConfig.of(Map.of("elasticsearch.urls", "https://es-a:9200;https://es-b:9200",
                "elasticsearch.api-key-env", "SOC_ES_KEY", "elasticsearch.ca-cert", "certs/soc-ca.pem"), "test");
        ElasticsearchAccess access = of(config, null, null, Map.of("VIGIL_ES_USERNAME", "someone-else",
                "VIGIL_ES_URL", "http://elsewhere:9200", "VIGIL_ES_CA_CERT", "certs/other.pem"));
        assertThat(access.connection().urls()).containsExactly("https://es-a:9200", "https://es-b:9200");
        assertThat(access.connection().credentialsSource()).isEqualTo("the API key in $SOC_ES_KEY");
        assertThat(access.connection().caCertPath()).isEqualTo("certs/soc-ca.pem");
        // the streaming job's connection is the same
        assertThat(Connections.elasticsearch(config).toString()).isEqualTo(access.connection().toString());

        ElasticsearchAccess overridden = of(config, "https://es-c:9200", "ca.pem", Map.of());
        assertThat(overridden.connection().urls()).containsExactly("https://es-c:9200");
        assertThat(overridden.connection().caCertPath()).isEqualTo("ca.pem");
    }
}
