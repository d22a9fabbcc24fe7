package io.vigil.context.assets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The formula of docs/assets.md: its worked examples, row by row. */
class RiskScoreTest {

    @Test
    void unknownAssetsKeepTheRulesScore() {
        assertThat(RiskScore.adjust(47, Map.of())).isEqualTo(47);
        assertThat(RiskScore.adjust(47, Map.of("source.geo.country_iso_code", "FR"))).isEqualTo(47);
        assertThat(RiskScore.adjust(47, Map.of(AssetFields.HOST_OWNER, "ops"))).isEqualTo(47);
    }

    @Test
    void hostCriticalityScalesTheScore() {
        assertThat(RiskScore.adjust(47, Map.of(AssetFields.HOST_CRITICALITY, "low"))).isEqualTo(38);
        assertThat(RiskScore.adjust(47, Map.of(AssetFields.HOST_CRITICALITY, "medium"))).isEqualTo(47);
        assertThat(RiskScore.adjust(47, Map.of(AssetFields.HOST_CRITICALITY, "high"))).isEqualTo(59);
        assertThat(RiskScore.adjust(47, Map.of(AssetFields.HOST_CRITICALITY, "critical"))).isEqualTo(71);
    }

    @Test
    void theMoreImportantAccountCountsAndComposesWithTheHost() {
        Map<String, String> privileged = Map.of(AssetFields.PRIVILEGED, "true", AssetFields.SERVICE_ACCOUNT, "false");
        assertThat(RiskScore.adjust(47, privileged)).isEqualTo(59);
        assertThat(RiskScore.adjust(47, Map.of(AssetFields.PRIVILEGED, "false", AssetFields.SERVICE_ACCOUNT,
                "true"))).isEqualTo(52);
        // a known, unprivileged account of no criticality changes nothing
        assertThat(RiskScore.adjust(47, Map.of(AssetFields.PRIVILEGED, "false"))).isEqualTo(47);
        // the target account counts when it matters more than the user
        assertThat(RiskScore.adjust(47, Map.of(AssetFields.USER_CRITICALITY, "low",
                AssetFields.TARGET_CRITICALITY, "critical"))).isEqualTo(71);
        assertThat(RiskScore.adjust(47, Map.of(AssetFields.USER_CRITICALITY, "low"))).isEqualTo(38);
        // a privileged account on a critical host: 47 × 1.5 × 1.25 = 88.1
        assertThat(RiskScore.adjust(47, Map.of(AssetFields.HOST_CRITICALITY, "critical",
                AssetFields.PRIVILEGED, "true"))).isEqualTo(88);
    }

    @Test
    void theScoreStaysBetweenZeroAndOneHundred() {
        assertThat(RiskScore.adjust(73, Map.of(AssetFields.HOST_CRITICALITY, "critical",
                AssetFields.PRIVILEGED, "true"))).isEqualTo(100);
        assertThat(RiskScore.adjust(0, Map.of(AssetFields.HOST_CRITICALITY, "critical"))).isZero();
        assertThat(RiskScore.adjust(21, Map.of(AssetFields.HOST_CRITICALITY, "low",
                AssetFields.USER_CRITICALITY, "low"))).isEqualTo(13);
    }
}
