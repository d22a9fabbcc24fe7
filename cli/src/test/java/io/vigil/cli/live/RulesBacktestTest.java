package io.vigil.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.cli.VigilCli;
import io.vigil.formats.Datasets;
import io.vigil.jobs.stream.StreamingServices;
import io.vigil.model.EcsJson;
import io.vigil.rules.bundle.BundleKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil rules backtest} on loghub's OpenSSH_2k.log: the packaged SSH rules against a bundle
 * whose ssh-brute-force needs 15 failures in 60 s instead of 5.
 */
class RulesBacktestTest {

    /** loghub/GROUND_TRUTH.md, addendum: the 11 source IPs with at least 5 failed passwords within 60 s. */
    private static final Set<String> FIVE_IN_60S = Set.of("183.62.140.253", "112.95.230.3", "103.99.0.122",
            "5.188.10.180", "187.141.143.180", "106.5.5.195", "119.4.203.64", "5.36.59.76", "123.235.32.19",
            "185.190.58.151", "60.2.12.12");
    /** The same table: those with at least 15 (31, 26 and 22). */
    private static final Set<String> FIFTEEN_IN_60S = Set.of("183.62.140.253", "112.95.230.3", "103.99.0.122");

    private static final KeyPair KEY = BundleKeys.generate();

    @TempDir
    Path dir;

    private Path activeRules;
    private Path bundle;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void rules() throws Exception {
        // the packaged SSH rules as the active --rules directory (owner-only: a trusted rule directory)
        activeRules = Files.createDirectory(dir.resolve("active-rules"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(activeRules.resolve("ssh.drl"), TestBundles.packaged("ssh.drl"));
        Files.writeString(activeRules.resolve("ssh-brute-force.fixtures.json"),
                TestBundles.packaged("ssh-brute-force.fixtures.json"));
        Files.writeString(activeRules.resolve("ssh-user-enumeration.fixtures.json"),
                TestBundles.packaged("ssh-user-enumeration.fixtures.json"));
        // the bundle: ssh-brute-force (the first @threshold of ssh.drl) at 15, with fixtures to match
        String drl = TestBundles.packaged("ssh.drl").replaceFirst("@threshold\\(5\\)", "@threshold(15)")
                .replaceFirst("@version\\(1\\)", "@version(2)");
        String event = "{\"@timestamp\": \"2024-05-01T10:00:00Z\", \"event\": {\"action\": \"ssh_login\", "
                + "\"outcome\": \"failure\"}, \"source\": {\"ip\": \"203.0.113.9\"}}";
        String fixtures = "{\"rule\": \"ssh-brute-force\", \"fixtures\": ["
                + "{\"name\": \"fifteen failures within 60 s fire once\", \"alerts\": 1, \"groupKeys\": [\"203.0.113.9\"],"
                + " \"events\": [{\"repeat\": 15, \"every\": \"4s\", \"event\": " + event + "}]},"
                + "{\"name\": \"fourteen do not fire\", \"alerts\": 0,"
                + " \"events\": [{\"repeat\": 14, \"every\": \"4s\", \"event\": " + event + "}]}]}";
        bundle = TestBundles.write(dir, "2.0.0", Map.of("ssh/ssh.drl", drl,
                "ssh/ssh-brute-force.fixtures.json", fixtures,
                "ssh/ssh-user-enumeration.fixtures.json", TestBundles.packaged("ssh-user-enumeration.fixtures.json")),
                KEY);
    }

    private int vigil(String... args) {
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void aHigherBruteForceThresholdLosesTheSlowAttackersAlerts() throws Exception {
        Path log = Datasets.file("loghub/OpenSSH_2k.log");
        Path runs = dir.resolve("runs");
        assertThat(vigil("rules", "backtest", bundle.toString(), log.toString(), "--rules", activeRules.toString(),
                "--public-key", TestBundles.publicKey(dir, KEY).toString(), "--year", "2024", "--out", runs.toString()))
                .as(err.toString()).isZero();

        List<JsonNode> active = read(runs.resolve("active/alerts.ndjson"));
        List<JsonNode> bundled = read(runs.resolve("bundle/alerts.ndjson"));
        // each run detects the source addresses the ground truth gives for its threshold
        assertThat(groupKeys(active, "ssh-brute-force")).containsExactlyInAnyOrderElementsOf(FIVE_IN_60S);
        assertThat(groupKeys(bundled, "ssh-brute-force")).containsExactlyInAnyOrderElementsOf(FIFTEEN_IN_60S);

        // new and gone by alert id, counted here from the two runs' own alert files
        Set<String> activeIds = ids(active, "ssh-brute-force");
        Set<String> bundleIds = ids(bundled, "ssh-brute-force");
        Set<String> gone = new TreeSet<>(activeIds);
        gone.removeAll(bundleIds);
        Set<String> added = new TreeSet<>(bundleIds);
        added.removeAll(activeIds);
        // every alert of the eight addresses below 15 is gone
        long belowFifteen = active.stream().filter(a -> "ssh-brute-force".equals(a.at("/rule/id").asText())
                && !FIFTEEN_IN_60S.contains(a.at("/vigil/alert/group_key").asText())).count();
        assertThat(belowFifteen).isPositive();
        assertThat(gone.size()).isGreaterThanOrEqualTo((int) belowFifteen);

        String text = out.toString();
        assertThat(text).contains("Backtest of bundle 2.0.0 against the rules of " + activeRules)
                .contains("over 1 file(s): 2,000 records");
        assertThat(row(text, "ssh-brute-force")).containsExactly((long) activeIds.size(), (long) bundleIds.size(),
                (long) added.size(), (long) gone.size());
        long enumeration = ids(active, "ssh-user-enumeration").size();
        assertThat(enumeration).isPositive();
        // the unchanged rule raises the very same alerts
        assertThat(ids(bundled, "ssh-user-enumeration")).isEqualTo(ids(active, "ssh-user-enumeration"));
        assertThat(row(text, "ssh-user-enumeration")).containsExactly(enumeration, enumeration, 0L, 0L);
        assertThat(row(text, "total")).containsExactly(activeIds.size() + enumeration,
                bundleIds.size() + enumeration, (long) added.size(), (long) gone.size());
    }

    @Test
    void withAConfigurationTheActiveRulesAreTheNewestLiveBundleThatPassesTheCheck() throws Exception {
        Path config = dir.resolve("vigil.yaml");
        Files.writeString(config, String.join("\n",
                "kafka:",
                "  bootstrap-servers: " + StreamingServices.KAFKA.bootstrapServers(),
                "rules:",
                "  public-key: " + TestBundles.publicKey(dir, KEY),
                "  control-topic: vigil.rules.backtest",
                ""));
        assertThat(vigil("rules", "push", TestBundles.ssh(dir, "1.0.0", KEY).toString(), "-c", config.toString()))
                .as(err.toString()).isZero();
        // newer, but signed with a key the job does not trust: the job refused it, so it is not the active pack
        Path foreign = TestBundles.write(dir, "1.9.0", Map.of("ssh/ssh.drl", TestBundles.packaged("ssh.drl")
                .replaceFirst("@threshold\\(5\\)", "@threshold(15)")), BundleKeys.generate());
        assertThat(vigil("rules", "push", foreign.toString(), "-c", config.toString(), "--force")).isZero();

        Path runs = dir.resolve("runs");
        assertThat(vigil("rules", "backtest", bundle.toString(), Datasets.file("loghub/OpenSSH_2k.log").toString(),
                "--config", config.toString(), "--year", "2024", "--out", runs.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Backtest of bundle 2.0.0 against live bundle 1.0.0 (push at ");
        List<JsonNode> active = read(runs.resolve("active/alerts.ndjson"));
        assertThat(groupKeys(active, "ssh-brute-force")).containsExactlyInAnyOrderElementsOf(FIVE_IN_60S);
        assertThat(groupKeys(read(runs.resolve("bundle/alerts.ndjson")), "ssh-brute-force"))
                .containsExactlyInAnyOrderElementsOf(FIFTEEN_IN_60S);
        assertThat(row(out.toString(), "ssh-brute-force")[0]).isEqualTo(ids(active, "ssh-brute-force").size());
    }

    @Test
    void aBundleRefusedByItsSignatureIsNotBacktested() throws Exception {
        Path log = Datasets.file("loghub/OpenSSH_2k.log");
        KeyPair other = BundleKeys.generate();
        assertThat(vigil("rules", "backtest", bundle.toString(), log.toString(), "--rules", activeRules.toString(),
                "--public-key", TestBundles.publicKey(dir, other).toString())).isEqualTo(1);
        assertThat(err.toString()).contains("the job would refuse").contains("at step signature");
    }

    private static long[] row(String text, String rule) {
        Matcher m = Pattern.compile("(?m)^  " + Pattern.quote(rule) + " +([\\d,]+) +([\\d,]+) +([\\d,]+) +([\\d,]+)")
                .matcher(text);
        assertThat(m.find()).as("a row for " + rule + " in:\n" + text).isTrue();
        long[] row = new long[4];
        for (int i = 0; i < 4; i++) {
            row[i] = Long.parseLong(m.group(i + 1).replace(",", ""));
        }
        return row;
    }

    private static List<JsonNode> read(Path file) throws Exception {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(l -> {
            try {
                return EcsJson.MAPPER.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static Set<String> groupKeys(List<JsonNode> alerts, String rule) {
        Set<String> keys = new HashSet<>();
        alerts.stream().filter(a -> rule.equals(a.at("/rule/id").asText()))
                .forEach(a -> keys.add(a.at("/vigil/alert/group_key").asText()));
        return keys;
    }

    private static Set<String> ids(List<JsonNode> alerts, String rule) {
        Set<String> ids = new HashSet<>();
        alerts.stream().filter(a -> rule.equals(a.at("/rule/id").asText()))
                .forEach(a -> ids.add(a.at("/event/id").asText()));
        return ids;
    }
}
