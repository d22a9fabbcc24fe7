package io.vigil.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.model.mask.MaskingPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code masking.*} keys: read into the policy the job masks with, bad values refused once, naming the key. */
class MaskingOptionsTest {

    private static VigilConfig config(Map<String, String> keys) {
        return VigilConfig.of(keys, "test.yaml");
    }

    @Test
    void defaultsAreThePolicysDefaults() {
        assertThat(config(Map.of()).masking()).isEqualTo(MaskingPolicy.DEFAULTS);
    }

    @Test
    void readsThePolicyAndTheNames() {
        MaskingPolicy p = config(Map.of("masking.failed-sign-in-user-names", "all",
                "masking.secret-parameters", "PIN;session_id;x-api-key")).masking();
        assertThat(p.failedSignInUserNames()).isEqualTo(MaskingPolicy.UserNames.ALL);
        assertThat(p.secretParameters()).containsExactly("pin", "session_id", "x-api-key");
        assertThat(config(Map.of("masking.failed-sign-in-user-names", "off")).masking().failedSignInUserNames())
                .isEqualTo(MaskingPolicy.UserNames.OFF);
    }

    @Test
    void badValuesAreRefusedWhenTheConfigurationIsRead() {
        assertThatThrownBy(() -> config(Map.of("masking.failed-sign-in-user-names", "some")))
                .hasMessageContaining("masking.failed-sign-in-user-names must be password-like, all or off, got 'some'");
        assertThatThrownBy(() -> config(Map.of("masking.secret-parameters", "password;pass word")))
                .hasMessageContaining("masking.secret-parameters: 'pass word' is not a parameter name");
    }
}
