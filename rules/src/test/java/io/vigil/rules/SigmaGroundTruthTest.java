package io.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.SecurityEvent;
import io.vigil.rules.fixtures.LocalCorrelation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SigmaHQ's rules on the shared logs, against {@code sigmahq-rules/GROUND_TRUTH.md}: the rule
 * selection the file inventories (its 293 rules: AWS CloudTrail, Linux, webserver and Windows
 * Security) compiled together, each dataset decoded as a replay decodes it, and the alerts of the
 * rules the table names counted. The counts there were computed with grep/awk/jq, independently of
 * Vigil.
 */
class SigmaGroundTruthTest {

    /**
     * The selection as SOURCE.md lists it: the whole of rules/linux and rules/web/webserver_generic,
     * and the Windows Security and CloudTrail rules it names one by one.
     */
    private static final List<String> WHOLE_FOLDERS = List.of("linux", "web/webserver_generic");

    private static RulePack pack;

    @BeforeAll
    static void compileSelection() throws IOException {
        List<RuleSource> sources = new ArrayList<>();
        Path root = io.vigil.formats.Datasets.root().resolve("sigmahq-rules");
        for (String folder : WHOLE_FOLDERS) {
            sources.addAll(RuleSource.loadSigma(root.resolve("rules").resolve(folder), "sigmahq/" + folder).stream()
                    .filter(s -> !s.file().endsWith(RuleSource.SIGMA_LICENSES_FILE)).toList()); // rule files, not the licence note
        }
        for (String line : Files.readAllLines(root.resolve("SOURCE.md"))) {
            if (line.startsWith("* rules/") && line.endsWith(".yml")) {
                String file = line.substring(2);
                sources.add(new RuleSource("sigmahq/" + file, Files.readString(root.resolve(file))));
            }
        }
        // GROUND_TRUTH.md: 293 rule files in these folders
        assertThat(sources).hasSize(293);
        pack = RulePack.compile(sources);
    }

    @ParameterizedTest(name = "{0} on {1}: {2}")
    @CsvSource({
        "win_security_kerberoasting_activity, purplesharp, 5",
        "win_security_susp_rc4_kerberos, purplesharp, 5",
        "win_security_susp_failed_logon_source, auditpol;cmd_psexec;empire_wmic;purplesharp;rdp_lsass, 0",
        "win_security_susp_failed_logon_reasons, auditpol;cmd_psexec;empire_wmic;purplesharp;rdp_lsass, 0",
        "win_security_user_creation, empire_wmic, 1",
        "win_security_member_added_security_enabled_global_group, empire_wmic, 1",
        "win_security_member_removed_security_enabled_global_group, empire_wmic, 1",
        "win_security_disable_event_auditing, auditpol, 45",
        "win_security_disable_event_auditing_critical, auditpol, 18",
        "win_security_audit_log_cleared, cmd_psexec, 1",
        "win_security_audit_log_cleared, auditpol;empire_wmic;purplesharp;rdp_lsass, 0",
        "aws_enum_buckets, aws_ec2_s3, 0",
        "aws_cloudtrail_imds_malicious_usage, aws_ec2_s3, 0",
        "web_source_code_enumeration, apache_logs, 0",
        "web_susp_useragents, apache_logs, 0",
        "web_path_traversal_exploitation_attempt, apache_logs, 0",
        "web_sql_injection_in_access_logs, apache_logs, 0",
        "web_xss_in_access_logs, apache_logs, 0",
        "lnx_sshd_susp_ssh, loghub/OpenSSH_2k.log;loghub/Linux_2k.log, 0",
    })
    void alertsAsTheGroundTruthCounts(String ruleFile, String datasets, int expected) {
        RuleMeta rule = ruleOfFile(ruleFile);
        long alerts = 0;
        for (String dataset : datasets.split(";")) {
            List<SecurityEvent> events = DatasetEvents.of(dataset);
            assertThat(events).as(dataset).isNotEmpty();
            try (RuleEvaluator evaluator = pack.newEvaluator(Set.of(rule.id()))) {
                alerts += LocalCorrelation.run(pack, evaluator, events).stream()
                        .filter(a -> a.ruleId().equals(rule.id())).count();
            }
        }
        assertThat(alerts).as(ruleFile + " on " + datasets).isEqualTo(expected);
    }

    /** The active rule compiled from {@code <name>.yml}; a rule that did not compile fails the test with why. */
    private static RuleMeta ruleOfFile(String name) {
        return pack.rules().values().stream().filter(r -> r.file().endsWith("/" + name + ".yml")).findFirst()
                .orElseThrow(() -> new AssertionError(name + ".yml is not active: " + pack.problems().stream()
                        .filter(p -> p.file().endsWith("/" + name + ".yml")).map(RuleProblem::message).toList()));
    }
}
