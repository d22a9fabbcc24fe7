package io.vigil.rules.sigma;

import static io.vigil.rules.sigma.Sigma.compile;
import static io.vigil.rules.sigma.Sigma.hits;
import static io.vigil.rules.sigma.Sigma.processRule;
import static io.vigil.rules.sigma.Sigma.sysmon;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.SecurityEvent;
import io.vigil.rules.Comparison;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.Shape;
import io.vigil.rules.SigmaStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Filters exclude events from the rules they name; correlations get hits; metadata maps onto RuleMeta. */
class SigmaCorrelationFilterMetadataTest {

    private static final String LOGON_FAIL = """
            title: Failed logon
            id: 11111111-0000-0000-0000-000000000001
            name: failed_logon
            logsource: {product: windows, service: security}
            detection:
                sel:
                    EventID: 4625
                condition: sel
            """;
    private static final String PROC = """
            title: Remote shell
            id: 11111111-0000-0000-0000-000000000002
            name: remote_shell
            logsource: {product: windows, category: process_creation}
            detection:
                sel:
                    Image|endswith: '\\cmd.exe'
                condition: sel
            """;

    private static SecurityEvent failedLogon(String user, String ip) {
        return Sigma.windows("Security", 4625).field("winlog.event_data.TargetUserName", user)
                .field("winlog.event_data.IpAddress", ip).build();
    }

    @Test
    void aFilterExcludesTheEventsItsConditionMatchesFromTheRulesItNames() {
        String filter = """
                title: Admins are fine
                logsource: {product: windows, category: process_creation}
                filter:
                    rules:
                        - remote_shell
                    selection:
                        User|startswith: 'CORP\\adm_'
                    condition: selection
                """;
        CompiledSigma set = compile(PROC, filter);
        assertThat(hits(set, sysmon(1, "Image", "C:\\cmd.exe", "User", "CORP\\adm_bob"))).isEmpty();
        assertThat(hits(set, sysmon(1, "Image", "C:\\cmd.exe", "User", "CORP\\alice"))).hasSize(1);
        CompiledSigma unfiltered = compile(PROC);
        assertThat(hits(unfiltered, sysmon(1, "Image", "C:\\cmd.exe", "User", "CORP\\adm_bob"))).hasSize(1);
    }

    @Test
    void anEventCountCorrelationGetsHitsKeyedByAllGroupByFieldsWithAliases() {
        String correlation = """
                title: Failures then shell
                id: 22222222-0000-0000-0000-000000000001
                level: critical
                correlation:
                    type: temporal_ordered
                    rules:
                        - failed_logon
                        - remote_shell
                    group-by:
                        - host
                        - account
                    aliases:
                        account:
                            failed_logon: TargetUserName
                            remote_shell: User
                        host:
                            failed_logon: Computer
                            remote_shell: Computer
                    timespan: 10m
                """;
        CompiledSigma set = compile(LOGON_FAIL, PROC, correlation);
        RuleMeta meta = set.rules().get("22222222-0000-0000-0000-000000000001");
        assertThat(meta.shape()).isEqualTo(Shape.TEMPORAL_ORDERED);
        assertThat(meta.steps()).containsExactly("failed_logon", "remote_shell");
        assertThat(meta.groupBy()).containsExactly("host", "account");
        assertThat(meta.windowMs()).isEqualTo(600_000);
        assertThat(meta.condition()).containsExactly(Comparison.atLeast(2));
        assertThat(meta.severity()).isEqualTo("critical");
        // the correlated rules raise no alerts of their own (no generate: true)
        assertThat(set.rules()).containsOnlyKeys("22222222-0000-0000-0000-000000000001");

        List<RuleHit> first = hits(set, failedLogon("alice", "10.0.0.9"));
        assertThat(first).singleElement().satisfies(h -> {
            assertThat(h.ruleId()).isEqualTo("22222222-0000-0000-0000-000000000001");
            assertThat(h.groupKey()).isEqualTo("ws1|alice");
            assertThat(h.step()).isEqualTo("failed_logon");
        });
        List<RuleHit> second = hits(set, sysmon(1, "Image", "C:\\cmd.exe", "User", "alice"));
        assertThat(second).singleElement().satisfies(h -> {
            assertThat(h.groupKey()).isEqualTo("ws1|alice");
            assertThat(h.step()).isEqualTo("remote_shell");
        });
        // a missing group-by value: no hit
        assertThat(hits(set, sysmon(1, "Image", "C:\\cmd.exe"))).isEmpty();
        // a value holding the separator cannot pose as two values
        assertThat(hits(set, failedLogon("a|b", "10.0.0.9"))).singleElement()
                .satisfies(h -> assertThat(h.groupKey()).isEqualTo("ws1|a\\|b"));

        CompiledSigma generated = compile(LOGON_FAIL, PROC, correlation.replace("timespan: 10m",
                "timespan: 10m\n    generate: true"));
        assertThat(generated.rules()).hasSize(3);
        assertThat(hits(generated, failedLogon("alice", "10.0.0.9"))).extracting(RuleHit::ruleId)
                .containsExactlyInAnyOrder("11111111-0000-0000-0000-000000000001", "22222222-0000-0000-0000-000000000001");
    }

    @Test
    void valueCountAndValueSumCarryTheConditionFieldValue() {
        String count = """
                title: Spray
                id: 33333333-0000-0000-0000-000000000001
                correlation:
                    type: value_count
                    rules: [11111111-0000-0000-0000-000000000001]
                    group-by: [IpAddress]
                    timespan: 5m
                    condition:
                        field: TargetUserName
                        gte: 10
                """;
        CompiledSigma set = compile(LOGON_FAIL, count);
        RuleMeta meta = set.rules().get("33333333-0000-0000-0000-000000000001");
        assertThat(meta.shape()).isEqualTo(Shape.DISTINCT);
        assertThat(meta.distinct()).isEqualTo("TargetUserName");
        assertThat(meta.fires(10)).isTrue();
        assertThat(meta.fires(9)).isFalse();
        assertThat(hits(set, failedLogon("bob", "10.0.0.9"))).singleElement().satisfies(h -> {
            assertThat(h.groupKey()).isEqualTo("10.0.0.9");
            assertThat(h.value()).isEqualTo("bob");
            assertThat(h.step()).isEqualTo("11111111-0000-0000-0000-000000000001");
        });
        CompiledSigma sum = compile(LOGON_FAIL, count.replace("value_count", "value_sum")
                .replace("gte: 10", "gt: 100\n        lte: 200"));
        RuleMeta s = sum.rules().get("33333333-0000-0000-0000-000000000001");
        assertThat(s.shape()).isEqualTo(Shape.VALUE_SUM);
        assertThat(s.condition()).containsExactly(new Comparison("gt", 100), new Comparison("lte", 200));

        CompiledSigma percentile = compile(LOGON_FAIL, count.replace("value_count", "value_percentile"));
        assertThat(percentile.statuses()).filteredOn(st -> st.kind().equals("correlation")).singleElement()
                .satisfies(st -> assertThat(st.state()).isEqualTo(SigmaStatus.State.UNSUPPORTED));
    }

    @Test
    void metadataMapsLevelTagsAndProvenance() {
        String rule = """
                title: Meta
                id: 44444444-0000-0000-0000-000000000001
                status: test
                description: what it finds
                date: 2021/05/04
                modified: 2023-10-12
                author: Someone, Other
                license: MIT
                references: ['https://example.org/a']
                tags:
                    - attack.credential-access
                    - attack.command-and-control
                    - attack.t1003.001
                    - attack.g0007
                    - cve.2021-1675
                falsepositives: ['admins', 'backup tools']
                logsource: {product: windows, service: security}
                detection:
                    sel:
                        EventID: 4625
                    condition: sel
                level: informational
                """;
        RuleMeta m = compile(rule).rules().get("44444444-0000-0000-0000-000000000001");
        assertThat(m.ruleset()).isEqualTo(RuleMeta.SIGMA);
        assertThat(m.name()).isEqualTo("Meta");
        // the day of its last change: a changed rule is a new version (live packs start its state afresh)
        assertThat(m.version()).isEqualTo(20231012);
        assertThat(m.description()).isEqualTo("what it finds");
        assertThat(m.author()).isEqualTo("Someone, Other");
        assertThat(m.license()).isEqualTo("MIT");
        assertThat(m.status()).isEqualTo("test");
        assertThat(m.tactics()).containsExactly("TA0006", "TA0011");
        assertThat(m.techniques()).containsExactly("T1003.001");
        assertThat(m.tags()).containsExactly("attack.g0007", "cve.2021-1675");
        assertThat(m.falsePositives()).isEqualTo("admins; backup tools");
        assertThat(m.references()).containsExactly("https://example.org/a");
        assertThat(m.severity()).isEqualTo("low");
        assertThat(m.riskScore()).isEqualTo(10);
        assertThat(m.shape()).isEqualTo(Shape.SINGLE);
        assertThat(m.suppressMs()).isZero();
        assertThat(m.groupBy()).containsExactly("host.name");
        assertThat(compile(rule.replace("informational", "critical")).rules().values().iterator().next().riskScore())
                .isEqualTo(99);
    }

    @Test
    void duplicateIdsMissingAttributesAndBadYamlAreProblemsNotExceptions() {
        CompiledSigma set = compile(LOGON_FAIL, LOGON_FAIL.replace("name: failed_logon", "name: other"),
                "title: x\nid: [unclosed", processRule("no-cond", "sel:\n    Image: x"),
                "title: no id\nlogsource: {product: windows}\ndetection: {sel: {a: b}, condition: sel}");
        java.util.Map<String, SigmaStatus> byFile = new java.util.HashMap<>();
        set.statuses().forEach(s -> byFile.put(s.file(), s));
        assertThat(byFile.get("test/rule0.yml").state()).isEqualTo(SigmaStatus.State.COMPILED);
        assertThat(byFile.get("test/rule1.yml").reason()).contains("duplicate id (also in test/rule0.yml)");
        assertThat(byFile.get("test/rule2.yml").reason()).contains("not valid YAML");
        assertThat(byFile.get("test/rule3.yml").reason()).contains("condition");
        assertThat(byFile.get("test/rule4.yml").reason()).contains("'id' is missing");
        assertThat(set.problems()).hasSize(4).extracting(p -> p.file()).containsExactlyInAnyOrder(
                "test/rule1.yml", "test/rule2.yml", "test/rule3.yml", "test/rule4.yml");
    }

    @Test
    void aLogSourceWithoutMappingIsUnsupportedAndAUserMappingMakesItSupported() {
        String rule = """
                title: Okta thing
                id: 55555555-0000-0000-0000-000000000001
                logsource: {product: okta, service: okta}
                detection:
                    sel:
                        eventType: user.mfa.factor.deactivate
                    condition: sel
                """;
        SigmaStatus status = compile(rule).statuses().get(0);
        assertThat(status.state()).isEqualTo(SigmaStatus.State.UNSUPPORTED);
        assertThat(status.logSource()).isEqualTo("okta//okta");
        assertThat(status.reason()).contains("okta//okta");
        String mapping = """
                vigil-logsources:
                  - product: okta
                    service: okta
                    when: {event.dataset: okta.system}
                    fields:
                      eventType: event.action
                """;
        CompiledSigma set = compile(mapping, rule);
        assertThat(set.statuses()).filteredOn(s -> "rule".equals(s.kind())).singleElement()
                .satisfies(s -> assertThat(s.state()).isEqualTo(SigmaStatus.State.COMPILED));
        SecurityEvent okta = SecurityEvent.builder().timestamp(Sigma.T0)
                .origin(io.vigil.model.Origin.file("okta.json", 1)).eventDataset("okta.system")
                .eventAction("user.mfa.factor.deactivate").build();
        assertThat(hits(set, okta)).hasSize(1);
        assertThat(hits(set, okta.toBuilder().eventDataset("other").build())).isEmpty();
    }

    @Test
    void cloudTrailRequestParametersAreReadAsJson() {
        String rule = """
                title: Public bucket
                id: 66666666-0000-0000-0000-000000000001
                logsource: {product: aws, service: cloudtrail}
                detection:
                    sel:
                        eventSource: s3.amazonaws.com
                        eventName: PutBucketPolicy
                        requestParameters.bucketName|startswith: 'prod-'
                    condition: sel
                """;
        CompiledSigma set = compile(rule);
        SecurityEvent.Builder e = SecurityEvent.builder().timestamp(Sigma.T0)
                .origin(io.vigil.model.Origin.file("ct.json", 1)).eventDataset("aws.cloudtrail")
                .eventProvider("s3.amazonaws.com").eventAction("PutBucketPolicy");
        assertThat(hits(set, e.field("aws.cloudtrail.request_parameters", "{\"bucketName\":\"prod-logs\"}").build()))
                .hasSize(1);
        assertThat(hits(set, e.field("aws.cloudtrail.request_parameters", "{\"bucketName\":\"dev-logs\"}").build()))
                .isEmpty();
        assertThat(hits(set, e.field("aws.cloudtrail.request_parameters", "not json").build())).isEmpty();
    }
}
