package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.jobs.live.BundleCheck;
import io.vigil.rules.bundle.BundleKeys;
import io.vigil.rules.bundle.RuleBundle;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil rules keygen} and {@code vigil rules bundle}, end to end through the command line. */
class RulesBundleCommandTest {

    private static final Instant NOW = Instant.parse("2026-12-07T14:30:00Z");

    private static final String DRL = """
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

    private static String fixtures(int expectedForThree) {
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

    private static final String SIGMA = """
            title: Whoami Run
            id: 5f8b7c0e-3d1a-4b2c-9e4f-0a1b2c3d4e5f
            status: test
            logsource: {product: windows, category: process_creation}
            detection: {selection: {Image|endswith: '\\\\whoami.exe'}, condition: selection}
            level: low
            """;

    @TempDir
    Path tmp;

    private Path rules;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void ruleDirectory() throws Exception {
        rules = Files.createDirectories(tmp.resolve("rules"));
        Files.createDirectories(rules.resolve("auth"));
        Files.writeString(rules.resolve("auth/sudo.drl"), DRL);
        Files.writeString(rules.resolve("auth/too-many-sudo.fixtures.json"), fixtures(1));
        Files.createDirectories(rules.resolve("sigma"));
        Files.writeString(rules.resolve("sigma/whoami.yml"), SIGMA);
    }

    private int vigil(Map<String, String> env, String... args) {
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        RulesBundleCommand bundle = cl.getSubcommands().get("rules").getSubcommands().get("bundle").getCommand();
        bundle.environment = env::get;
        bundle.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        return cl.execute(args);
    }

    /** A key pair made by keygen: the private key's text and the public key. */
    private record Keys(String privatePem, PublicKey publicKey) {}

    private Keys keygen() throws Exception {
        Path pub = tmp.resolve("bundles.pub");
        Path key = tmp.resolve("bundles.key");
        assertThat(vigil(Map.of(), "rules", "keygen", "--public-out", pub.toString(), "--private-out", key.toString()))
                .as(err.toString()).isZero();
        return new Keys(Files.readString(key), BundleKeys.publicKey(pub));
    }

    @Test
    void keygenWritesThePrivateKeyOwnerOnlyAndAMatchingPublicKey() throws Exception {
        Keys keys = keygen();
        Path key = tmp.resolve("bundles.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(keys.privatePem()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(BundleKeys.publicKey(BundleKeys.privateKey(keys.privatePem(), "key")).getEncoded())
                .isEqualTo(keys.publicKey().getEncoded());
        assertThat(out.toString()).contains("key " + BundleKeys.keyId(keys.publicKey()))
                .contains("export VIGIL_RULES_SIGNING_KEY=").doesNotContain("BEGIN PRIVATE KEY");
    }

    @Test
    void keygenWithoutAPrivateFilePrintsTheKeyOnceWithWhereItGoes() throws Exception {
        Path pub = tmp.resolve("only.pub");
        assertThat(vigil(Map.of(), "rules", "keygen", "--public-out", pub.toString(), "--key-env", "SIGNER"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("environment variable SIGNER").contains("never in the configuration");
        Matcher pem = Pattern.compile("-----BEGIN PRIVATE KEY-----[^-]+-----END PRIVATE KEY-----")
                .matcher(out.toString());
        assertThat(pem.find()).isTrue();
        assertThat(BundleKeys.publicKey(BundleKeys.privateKey(pem.group(), "printed")).getEncoded())
                .isEqualTo(BundleKeys.publicKey(pub).getEncoded());
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("rules", "only.pub");
        }
    }

    @Test
    void keygenNeverOverwritesAKeyFile() throws Exception {
        Path pub = Files.writeString(tmp.resolve("taken.pub"), "mine");
        assertThat(vigil(Map.of(), "rules", "keygen", "--public-out", pub.toString())).isEqualTo(VigilCli.USAGE);
        assertThat(err.toString()).contains("exists: a key file is never overwritten");
        assertThat(Files.readString(pub)).isEqualTo("mine");
    }

    @Test
    void bundleSignsChecksAndWritesWhatTheJobAccepts() throws Exception {
        Keys keys = keygen();
        Files.writeString(rules.resolve("manifest.yml"), """
                version: 2026.12.07-2
                author: alice
                created: 2026-12-07T14:00:00Z
                description: sudo bursts
                """);
        Path bundle = tmp.resolve("out.zip");
        assertThat(vigil(Map.of("VIGIL_RULES_SIGNING_KEY", keys.privatePem()), "rules", "bundle", rules.toString(),
                "--out", bundle.toString())).as(err.toString()).isZero();

        BundleCheck.Outcome outcome = BundleCheck.check(Files.readAllBytes(bundle), keys.publicKey());
        assertThat(outcome.accepted()).as(outcome.reason()).isTrue();
        assertThat(outcome.rules().active()).containsOnlyKeys("too-many-sudo", "5f8b7c0e-3d1a-4b2c-9e4f-0a1b2c3d4e5f");
        assertThat(out.toString()).contains("bundle 2026.12.07-2 written to " + bundle)
                .contains("digest       " + outcome.digest())
                .contains("signed with  key " + BundleKeys.keyId(keys.publicKey()))
                .contains("1 DRL (2 fixtures), 1 Sigma (0 regression tests)")
                .contains("exceptions   0");
    }

    @Test
    void bundleMakesTheManifestFromItsOptionsWithoutTouchingTheDirectory() throws Exception {
        Keys keys = keygen();
        Path bundle = tmp.resolve("out.zip");
        assertThat(vigil(Map.of("SIGNER", keys.privatePem()), "rules", "bundle", rules.toString(), "--out",
                bundle.toString(), "--key-env", "SIGNER", "--version", "7", "--author", "bob", "--description",
                "first")).as(err.toString()).isZero();
        RuleBundle read = RuleBundle.read(Files.readAllBytes(bundle));
        read.verify(keys.publicKey());
        assertThat(read.manifest().version()).isEqualTo("7");
        assertThat(read.manifest().author()).isEqualTo("bob");
        assertThat(read.manifest().created()).isEqualTo(NOW);
        assertThat(read.manifest().description()).isEqualTo("first");
        assertThat(rules.resolve("manifest.yml")).doesNotExist();
    }

    @Test
    void bundleWithoutManifestOrVersionIsBadUsage() throws Exception {
        Keys keys = keygen();
        assertThat(vigil(Map.of("VIGIL_RULES_SIGNING_KEY", keys.privatePem()), "rules", "bundle", rules.toString(),
                "--out", tmp.resolve("out.zip").toString())).isEqualTo(VigilCli.USAGE);
        assertThat(err.toString()).contains("has no manifest.yml").contains("--version");
    }

    @Test
    void aBundleTheJobWouldRefuseIsNotWritten() throws Exception {
        Keys keys = keygen();
        Files.writeString(rules.resolve("auth/too-many-sudo.fixtures.json"), fixtures(2));
        Path bundle = tmp.resolve("out.zip");
        assertThat(vigil(Map.of("VIGIL_RULES_SIGNING_KEY", keys.privatePem()), "rules", "bundle", rules.toString(),
                "--out", bundle.toString(), "--version", "8")).isEqualTo(VigilCli.FAILURE);
        assertThat(err.toString()).contains("refused at step fixtures").contains("'three sudo in 20 s'")
                .contains("expected 2 alert(s), got 1").contains("nothing written");
        assertThat(bundle).doesNotExist();
    }

    @Test
    void bundleWithoutTheSigningKeyNamesTheVariable() throws Exception {
        Path bundle = tmp.resolve("out.zip");
        assertThat(vigil(Map.of(), "rules", "bundle", rules.toString(), "--out", bundle.toString(), "--version", "9"))
                .isEqualTo(VigilCli.FAILURE);
        assertThat(err.toString()).contains("refused at step signature")
                .contains("environment variable VIGIL_RULES_SIGNING_KEY holds no signing key");
        assertThat(bundle).doesNotExist();
    }
}
