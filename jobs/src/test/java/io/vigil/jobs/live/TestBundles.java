package io.vigil.jobs.live;

import io.vigil.rules.bundle.BundleKeys;
import io.vigil.rules.bundle.RuleBundle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;

/**
 * Signed rule bundles for the live-rule tests: a {@code five-failures} threshold rule (of a chosen
 * version and threshold) and optionally a {@code any-success} single-event rule, each with the
 * fixtures a bundle needs (one that must fire, one that must not).
 */
final class TestBundles {

    static final KeyPair KEYS = BundleKeys.generate();
    static final KeyPair OTHER_KEYS = BundleKeys.generate();

    private TestBundles() {}

    /** The DRL of {@code five-failures} at {@code version} with {@code threshold} failures in 60 s. */
    static String fiveFailures(int version, int threshold) {
        return """
                rule "five-failures"
                    @version(%d) @name("Failures") @description("failures in 60 s") @severity("medium") @riskScore(40)
                    @tactics("TA0006") @techniques("T1110") @shape("threshold") @groupBy("source.ip")
                    @window("60s") @threshold(%d)
                when
                    $e : SecurityEvent(eventOutcome == "failure")
                then
                    insert(new Signal($e));
                end
                """.formatted(version, threshold);
    }

    static final String ANY_SUCCESS = """
            rule "any-success"
                @version(1) @name("Any success") @description("a successful login") @severity("low") @riskScore(10)
                @tactics("TA0001") @techniques("T1078") @shape("single") @groupBy("source.ip")
            when
                $e : SecurityEvent(eventOutcome == "success")
            then
                insert(new Signal($e));
            end
            """;

    static final String HEADER = """
            package test.live;
            import io.vigil.model.SecurityEvent;
            import io.vigil.rules.Signal;
            """;

    /** Fixtures of {@code five-failures} at {@code threshold}: that many failures fire, one fewer does not. */
    static String failureFixtures(int threshold) {
        return """
                {"rule": "five-failures", "fixtures": [
                  {"name": "%d failures fire", "alerts": 1, "events": [{"repeat": %d, "every": "1s", "event":
                    {"@timestamp": "2024-05-01T10:00:00Z", "event": {"action": "login", "outcome": "failure"},
                     "source": {"ip": "203.0.113.9"}}}]},
                  {"name": "%d failures do not", "alerts": 0, "events": [{"repeat": %d, "every": "1s", "event":
                    {"@timestamp": "2024-05-01T10:00:00Z", "event": {"action": "login", "outcome": "failure"},
                     "source": {"ip": "203.0.113.9"}}}]}]}
                """.formatted(threshold, threshold, threshold - 1, threshold - 1);
    }

    static final String SUCCESS_FIXTURES = """
            {"rule": "any-success", "fixtures": [
              {"name": "a success fires", "alerts": 1, "events": [{"@timestamp": "2024-05-01T10:00:00Z",
                "event": {"action": "login", "outcome": "success"}, "source": {"ip": "203.0.113.9"}}]},
              {"name": "a failure does not", "alerts": 0, "events": [{"@timestamp": "2024-05-01T10:00:00Z",
                "event": {"action": "login", "outcome": "failure"}, "source": {"ip": "203.0.113.9"}}]}]}
            """;

    /** A directory holding a bundle's files: the manifest and {@code rules/test.drl} with the fixtures. */
    static Path directory(Path dir, String version, String drl, boolean withSuccess, int threshold) throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve(RuleBundle.MANIFEST), """
                version: "%s"
                author: "test"
                created: "2024-05-01T00:00:00Z"
                description: "bundle %s"
                """.formatted(version, version));
        Files.writeString(dir.resolve("rules/test.drl"), HEADER + drl + (withSuccess ? ANY_SUCCESS : ""));
        if (drl.contains("five-failures")) {
            Files.writeString(dir.resolve("rules/five-failures.fixtures.json"), failureFixtures(threshold));
        }
        if (withSuccess) {
            Files.writeString(dir.resolve("rules/any-success.fixtures.json"), SUCCESS_FIXTURES);
        }
        return dir;
    }

    /** A signed bundle of {@code five-failures} (version, threshold) and maybe {@code any-success}. */
    static byte[] bundle(Path dir, String version, int ruleVersion, int threshold, boolean withSuccess)
            throws Exception {
        String drl = threshold == 0 ? "" : fiveFailures(ruleVersion, threshold);
        return RuleBundle.fromDirectory(directory(dir, version, drl, withSuccess, threshold))
                .signed(KEYS.getPrivate()).toBytes();
    }

    static ControlRecord push(String slot, String version, byte[] bundle, Instant at, Instant effectiveAt) {
        return ControlRecord.of("push", slot, version, "tester", at, effectiveAt, bundle);
    }

    static String text(Path file) throws Exception {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
