package io.vigil.rules.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.rules.RuleMeta;
import io.vigil.rules.RuleSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rule without {@code license:} is under DRL-1.1 when a LICENSE.Detection.Rules.md sits in its
 * directory, a directory above it up to the one given, or above that; else it has no licence.
 */
class SigmaLicenseTest {

    private static String rule(String id, String license) {
        return """
                title: rule %s
                id: %s
                %s
                logsource: {product: windows, service: security}
                detection:
                    sel:
                        EventID: 4625
                    condition: sel
                """.formatted(id, id, license == null ? "" : "license: " + license);
    }

    @Test
    void theDetectionRuleLicenseFileLicensesTheRulesBelowIt(@TempDir Path tmp) throws Exception {
        Path given = tmp.resolve("sigma/rules");
        Files.createDirectories(given.resolve("licensed"));
        Files.createDirectories(given.resolve("plain"));
        Files.writeString(given.resolve("licensed/" + RuleSource.DRL_LICENSE_FILE), "Detection Rule License 1.1");
        Files.writeString(given.resolve("licensed/a.yml"), rule("a", null));
        Files.writeString(given.resolve("licensed/b.yml"), rule("b", "MIT"));
        Files.writeString(given.resolve("plain/c.yml"), rule("c", null));
        List<RuleSource> sources = RuleSource.loadSigma(given, "user");
        var set = new SigmaRuleCompiler().compile(sources);
        assertThat(set.rules().get("a").license()).isEqualTo("DRL-1.1");
        assertThat(set.rules().get("b").license()).isEqualTo("MIT");
        assertThat(set.rules().get("c").license()).isNull();

        // a licence file above the directory given (a SigmaHQ checkout) covers every rule
        Files.writeString(tmp.resolve("sigma/" + RuleSource.DRL_LICENSE_FILE), "Detection Rule License 1.1");
        var all = new SigmaRuleCompiler().compile(RuleSource.loadSigma(given, "user"));
        assertThat(all.rules().values()).extracting(RuleMeta::license)
                .containsExactlyInAnyOrder("DRL-1.1", "MIT", "DRL-1.1");
        assertThat(all.statuses()).hasSize(3);
    }
}
