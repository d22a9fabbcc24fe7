package io.vigil.jobs.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.rules.bundle.BundleKeys;
import io.vigil.rules.bundle.RuleBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the job checks before it activates a bundle, step by step: each refusal names the step and
 * what to fix, and only a bundle passing every step carries rules.
 */
class BundleCheckTest {

    private static final KeyPair KEYS = BundleKeys.generate();

    static final String MANIFEST = """
            version: 2026.12.07-1
            author: alice
            created: 2026-12-07T14:00:00Z
            description: sudo bursts and whoami
            """;

    static final String DRL = """
            package mine.rules;
            import io.vigil.model.SecurityEvent;
            import io.vigil.rules.Signal;
            rule "too-many-sudo"
                @name("Sudo burst") @description("3 sudo in 1 min") @severity("low") @riskScore(20)
                @tactics("TA0004") @techniques("T1548.003") @shape("threshold") @groupBy("user.name")
                @window("1m") @threshold(3)
            when
                $e : SecurityEvent(eventAction == "sudo")
            then
                insert(new Signal($e));
            end
            """;

    static String fixtures(int expectedForThree) {
        return """
                {"rule": "too-many-sudo", "fixtures": [
                  {"name": "three sudo in 20 s", "alerts": %d,
                   "events": [{"repeat": 3, "every": "10s", "event": {"@timestamp": "2024-01-01T00:00:00Z",
                     "event": {"action": "sudo"}, "user": {"name": "alice"}}}]},
                  {"name": "two sudo", "alerts": 0,
                   "events": [{"repeat": 2, "every": "10s", "event": {"@timestamp": "2024-01-01T00:00:00Z",
                     "event": {"action": "sudo"}, "user": {"name": "alice"}}}]}]}
                """.formatted(expectedForThree);
    }

    static final String SIGMA_ID = "5f8b7c0e-3d1a-4b2c-9e4f-0a1b2c3d4e5f";

    static final String SIGMA = """
            title: Whoami Run
            id: %s
            status: test
            logsource: {product: windows, category: process_creation}
            detection: {selection: {Image|endswith: '\\\\whoami.exe'}, condition: selection}
            level: low
            """.formatted(SIGMA_ID);

    /** A Sysmon process creation of {@code image}, as evtx_dump writes it. */
    static String sample(String image) {
        return """
                {"Event": {"#attributes": {"xmlns": "http://schemas.microsoft.com/win/2004/08/events/event"},
                  "System": {"Provider": {"#attributes": {"Name": "Microsoft-Windows-Sysmon",
                      "Guid": "5770385F-C22A-43E0-BF4C-06F5698FFBD9"}},
                    "EventID": 1, "Version": 5, "Level": 4, "Task": 1, "Opcode": 0,
                    "TimeCreated": {"#attributes": {"SystemTime": "2025-10-26T18:29:32.286061Z"}},
                    "EventRecordID": 1001, "Channel": "Microsoft-Windows-Sysmon/Operational",
                    "Computer": "ws1.example.test", "Security": {"#attributes": {"UserID": "S-1-5-18"}}},
                  "EventData": {"RuleName": "-", "UtcTime": "2025-10-26 18:29:32.271",
                    "ProcessGuid": "5AA13A44-688C-68FE-D556-000000004002", "ProcessId": 2712,
                    "Image": "%s", "CommandLine": "whoami /all", "User": "EXAMPLE\\\\alice",
                    "ParentImage": "C:\\\\Windows\\\\System32\\\\cmd.exe"}}}
                """.formatted(image.replace("\\", "\\\\"));
    }

    static String info(Integer matchCount) {
        return """
                id: 0e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b
                rule_metadata:
                    - id: %s
                      title: Whoami Run
                regression_tests_info:
                    - name: Positive Detection Test
                      type: evtx
                      provider: Microsoft-Windows-Sysmon
                %s      path: regression_data/whoami/sample.evtx
                """.formatted(SIGMA_ID, matchCount == null ? "" : "      match_count: " + matchCount + "\n");
    }

    @TempDir
    Path dir;

    /** A bundle directory holding one DRL rule with passing fixtures and one Sigma rule with its regression sample. */
    private Path goodDirectory() throws Exception {
        Files.writeString(dir.resolve("manifest.yml"), MANIFEST);
        Files.createDirectories(dir.resolve("auth"));
        Files.writeString(dir.resolve("auth/sudo.drl"), DRL);
        Files.writeString(dir.resolve("auth/too-many-sudo.fixtures.json"), fixtures(1));
        Files.createDirectories(dir.resolve("sigma"));
        Files.writeString(dir.resolve("sigma/whoami.yml"), SIGMA);
        Files.createDirectories(dir.resolve("regression/whoami"));
        Files.writeString(dir.resolve("regression/whoami/info.yml"), info(1));
        Files.writeString(dir.resolve("regression/whoami/sample.json"), sample("C:\\Windows\\System32\\whoami.exe"));
        return dir;
    }

    private BundleCheck.Outcome check(Path bundleDir, KeyPair signer) throws Exception {
        return BundleCheck.check(RuleBundle.fromDirectory(bundleDir).signed(signer.getPrivate()).toBytes(),
                KEYS.getPublic());
    }

    @Test
    void aBundlePassingEveryStepIsAcceptedWithItsRules() throws Exception {
        BundleCheck.Outcome outcome = check(goodDirectory(), KEYS);
        assertThat(outcome.accepted()).as(outcome.reason()).isTrue();
        assertThat(outcome.step()).isNull();
        assertThat(outcome.manifest().version()).isEqualTo("2026.12.07-1");
        assertThat(outcome.digest()).isEqualTo(RuleBundle.fromDirectory(dir).digest());
        assertThat(outcome.rules().active()).containsOnlyKeys("too-many-sudo", SIGMA_ID);
        assertThat(outcome.exceptions().isEmpty()).isTrue();
    }

    @Test
    void aBundleSignedWithAnotherKeyIsRefusedAtTheSignature() throws Exception {
        BundleCheck.Outcome outcome = check(goodDirectory(), BundleKeys.generate());
        assertThat(outcome.accepted()).isFalse();
        assertThat(outcome.step()).isEqualTo("signature");
        assertThat(outcome.reason()).contains("does not verify with the configured public key");
        assertThat(outcome.manifest().version()).isEqualTo("2026.12.07-1");
        assertThat(outcome.rules()).isNull();
    }

    @Test
    void anUnsignedBundleIsRefusedAtTheSignature() throws Exception {
        BundleCheck.Outcome outcome = BundleCheck.check(RuleBundle.fromDirectory(goodDirectory()).toBytes(),
                KEYS.getPublic());
        assertThat(outcome.step()).isEqualTo("signature");
        assertThat(outcome.reason()).contains("is not signed");
    }

    @Test
    void somethingThatIsNotABundleIsRefusedAtTheArchive() {
        BundleCheck.Outcome outcome = BundleCheck.check(new byte[] {1, 2, 3}, KEYS.getPublic());
        assertThat(outcome.step()).isEqualTo("archive");
        assertThat(outcome.manifest()).isNull();
    }

    @Test
    void aRuleThatDoesNotCompileIsRefusedAtCompile() throws Exception {
        goodDirectory();
        Files.writeString(dir.resolve("auth/sudo.drl"), DRL.replace("insert(new Signal($e));", "insert(new Sgnal($e));"));
        BundleCheck.Outcome outcome = check(dir, KEYS);
        assertThat(outcome.step()).isEqualTo("compile");
        assertThat(outcome.reason()).contains("bundle:2026.12.07-1/auth/sudo.drl").contains("fix the rule");
    }

    @Test
    void aFailingFixtureIsRefusedNamingTheRuleTheFixtureAndWhy() throws Exception {
        goodDirectory();
        Files.writeString(dir.resolve("auth/too-many-sudo.fixtures.json"), fixtures(2));
        BundleCheck.Outcome outcome = check(dir, KEYS);
        assertThat(outcome.accepted()).isFalse();
        assertThat(outcome.step()).isEqualTo("fixtures");
        assertThat(outcome.reason()).contains("[too-many-sudo]").contains("'three sudo in 20 s'")
                .contains("expected 2 alert(s), got 1");
        assertThat(outcome.rules()).isNull();
    }

    @Test
    void aDrlRuleWithoutFixturesIsRefused() throws Exception {
        goodDirectory();
        Files.delete(dir.resolve("auth/too-many-sudo.fixtures.json"));
        BundleCheck.Outcome outcome = check(dir, KEYS);
        assertThat(outcome.step()).isEqualTo("fixtures");
        assertThat(outcome.reason()).contains("[too-many-sudo]").contains("has no fixtures")
                .contains("add too-many-sudo.fixtures.json beside its file");
    }

    @Test
    void fixturesBesideAnotherFileDoNotCount() throws Exception {
        goodDirectory();
        Files.move(dir.resolve("auth/too-many-sudo.fixtures.json"), dir.resolve("too-many-sudo.fixtures.json"));
        assertThat(check(dir, KEYS).step()).isEqualTo("fixtures");
    }

    @Test
    void fixturesThatMustAllFireAreRefused() throws Exception {
        goodDirectory();
        Files.writeString(dir.resolve("auth/too-many-sudo.fixtures.json"), """
                {"rule": "too-many-sudo", "fixtures": [{"name": "three sudo", "alerts": 1,
                  "events": [{"repeat": 3, "every": "10s", "event": {"@timestamp": "2024-01-01T00:00:00Z",
                    "event": {"action": "sudo"}, "user": {"name": "alice"}}}]}]}
                """);
        BundleCheck.Outcome outcome = check(dir, KEYS);
        assertThat(outcome.step()).isEqualTo("fixtures");
        assertThat(outcome.reason()).contains("at least one fixture that must fire and one that must not");
    }

    @Test
    void unreadableFixturesAreRefusedNamingTheFile() throws Exception {
        goodDirectory();
        Files.writeString(dir.resolve("auth/too-many-sudo.fixtures.json"), "{\"rule\": ");
        BundleCheck.Outcome outcome = check(dir, KEYS);
        assertThat(outcome.step()).isEqualTo("fixtures");
        assertThat(outcome.reason()).contains("too-many-sudo.fixtures.json cannot be read");
    }

    @Test
    void aFailingRegressionSampleIsRefusedNamingTheRuleAndTheTest() throws Exception {
        goodDirectory();
        Files.writeString(dir.resolve("regression/whoami/sample.json"), sample("C:\\Windows\\System32\\hostname.exe"));
        BundleCheck.Outcome outcome = check(dir, KEYS);
        assertThat(outcome.accepted()).isFalse();
        assertThat(outcome.step()).isEqualTo("regression");
        assertThat(outcome.reason()).contains("1 of 1 regression test(s) fail").contains(SIGMA_ID)
                .contains("'Positive Detection Test'").contains("regression/whoami/info.yml")
                .contains("expected 1, matched 0");
    }

    @Test
    void aRegressionTestExpectingMoreMatchesIsRefused() throws Exception {
        goodDirectory();
        Files.writeString(dir.resolve("regression/whoami/info.yml"), info(2));
        BundleCheck.Outcome outcome = check(dir, KEYS);
        assertThat(outcome.step()).isEqualTo("regression");
        assertThat(outcome.reason()).contains("expected 2, matched 1");
    }

    @Test
    void aRegressionTestWithoutItsSampleIsRefused() throws Exception {
        goodDirectory();
        Files.delete(dir.resolve("regression/whoami/sample.json"));
        BundleCheck.Outcome outcome = check(dir, KEYS);
        assertThat(outcome.step()).isEqualTo("regression");
        assertThat(outcome.reason()).contains("no sample sample.json beside info.yml");
    }

    @Test
    void aRegressionFolderWithoutTestsIsRefused() throws Exception {
        goodDirectory();
        Files.delete(dir.resolve("regression/whoami/info.yml"));
        BundleCheck.Outcome outcome = check(dir, KEYS);
        assertThat(outcome.step()).isEqualTo("regression");
        assertThat(outcome.reason()).contains("holds no regression test");
    }
}
