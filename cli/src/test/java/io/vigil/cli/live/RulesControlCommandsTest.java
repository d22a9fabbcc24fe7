package io.vigil.cli.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cli.VigilCli;
import io.vigil.connectors.kafka.KafkaSettings;
import io.vigil.jobs.live.ControlRecord;
import io.vigil.jobs.live.ControlTopic;
import io.vigil.jobs.stream.StreamingServices;
import io.vigil.rules.bundle.BundleKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil rules push / promote / rollback} against a real Kafka broker: what each writes to
 * the control topic (read back with {@link ControlTopic}), and what each refuses.
 */
class RulesControlCommandsTest {

    private static final KeyPair KEY = BundleKeys.generate();

    @TempDir
    Path dir;

    private Path config;
    private ControlTopic topic;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void config(TestInfo test) throws Exception {
        // a topic per test: each starts with an empty history
        String name = "vigil.rules." + test.getTestMethod().orElseThrow().getName();
        config = dir.resolve("vigil.yaml");
        Files.writeString(config, String.join("\n",
                "kafka:",
                "  bootstrap-servers: " + StreamingServices.KAFKA.bootstrapServers(),
                "rules:",
                "  public-key: " + TestBundles.publicKey(dir, KEY),
                "  control-topic: " + name,
                "  activation-delay: 45s",
                ""));
        topic = new ControlTopic(KafkaSettings.plaintext(StreamingServices.KAFKA.bootstrapServers()), name, v -> null);
    }

    private int vigil(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void pushWritesTheWholeBundleForLiveOrShadowWithItsEffectiveTime() throws Exception {
        Path v1 = TestBundles.ssh(dir, "1.0.0", KEY);
        Instant before = Instant.now();
        assertThat(vigil("rules", "push", v1.toString(), "--config", config.toString())).as(err.toString()).isZero();
        Path v2 = TestBundles.ssh(dir, "1.1.0", KEY);
        assertThat(vigil("rules", "push", v2.toString(), "-c", config.toString(), "--shadow",
                "--effective-at", "2026-03-01T10:00:00Z")).as(err.toString()).isZero();

        List<ControlRecord> records = topic.readAll();
        assertThat(records).hasSize(2);
        ControlRecord live = records.get(0);
        assertThat(live.kind()).isEqualTo("push");
        assertThat(live.slot()).isEqualTo("live");
        assertThat(live.version()).isEqualTo("1.0.0");
        assertThat(live.bundle()).isEqualTo(Files.readAllBytes(v1));
        assertThat(live.actor()).isEqualTo(System.getProperty("user.name"));
        assertThat(live.at()).isBetween(before, Instant.now());
        // rules.activation-delay of the configuration
        assertThat(Duration.between(live.at(), live.effectiveAt())).isEqualTo(Duration.ofSeconds(45));
        ControlRecord shadow = records.get(1);
        assertThat(shadow.slot()).isEqualTo("shadow");
        assertThat(shadow.effectiveAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(out.toString()).contains("Pushed bundle 1.1.0 to shadow")
                .contains("record        " + shadow.id())
                .contains("offset        1 (topic ")
                .contains("effective at  2026-03-01T10:00:00Z")
                .containsPattern("digest        \\S+")
                .contains("checked       2 rule(s), 0 exception(s)");
    }

    @Test
    void aBundleTheJobWouldRefuseIsNotPushedUnlessForced() throws Exception {
        Path foreign = TestBundles.ssh(dir, "6.6.6", BundleKeys.generate());
        assertThat(vigil("rules", "push", foreign.toString(), "--config", config.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("the job would refuse bundle 6.6.6 at step signature").contains("not pushed");
        assertThat(topic.readAll()).isEmpty();

        assertThat(vigil("rules", "push", foreign.toString(), "--config", config.toString(), "--force")).isZero();
        assertThat(err.toString()).contains("--force: pushing it anyway");
        assertThat(topic.readAll()).singleElement().satisfies(r -> assertThat(r.version()).isEqualTo("6.6.6"));
    }

    @Test
    void promoteMakesTheShadowBundleLiveAndClearsTheShadow() throws Exception {
        assertThat(vigil("rules", "promote", "--config", config.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("there is no shadow bundle to promote");
        assertThat(topic.readAll()).isEmpty();

        assertThat(vigil("rules", "push", TestBundles.ssh(dir, "1.0.0", KEY).toString(), "-c", config.toString()))
                .isZero();
        Path shadowFile = TestBundles.ssh(dir, "2.0.0", KEY);
        assertThat(vigil("rules", "push", shadowFile.toString(), "-c", config.toString(), "--shadow")).isZero();
        assertThat(vigil("rules", "promote", "-c", config.toString())).as(err.toString()).isZero();

        List<ControlRecord> records = topic.readAll();
        assertThat(records).extracting(ControlRecord::kind).containsExactly("push", "push", "promote", "clear");
        ControlRecord promote = records.get(2);
        assertThat(promote.slot()).isEqualTo("live");
        assertThat(promote.version()).isEqualTo("2.0.0");
        assertThat(promote.bundle()).isEqualTo(Files.readAllBytes(shadowFile));
        ControlRecord clear = records.get(3);
        assertThat(clear.slot()).isEqualTo("shadow");
        assertThat(clear.version()).isEqualTo("2.0.0");
        assertThat(clear.effectiveAt()).isEqualTo(promote.effectiveAt());
        assertThat(out.toString()).contains("Promoted bundle 2.0.0 from shadow to live");

        // the shadow is empty now
        assertThat(vigil("rules", "promote", "-c", config.toString())).isEqualTo(1);
        assertThat(topic.readAll()).hasSize(4);
    }

    @Test
    void rollbackWritesTheEarlierBundleReadBackFromTheTopic() throws Exception {
        Path v1 = TestBundles.ssh(dir, "1.0.0", KEY);
        assertThat(vigil("rules", "push", v1.toString(), "-c", config.toString())).isZero();
        assertThat(vigil("rules", "push", TestBundles.ssh(dir, "1.1.0", KEY).toString(), "-c", config.toString()))
                .isZero();
        // the file is gone: the topic holds the bundle
        Files.delete(v1);

        assertThat(vigil("rules", "rollback", "0.9.0", "-c", config.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("version 0.9.0 was never pushed").contains("versions it holds: 1.0.0, 1.1.0");
        assertThat(vigil("rules", "rollback", "1.1.0", "-c", config.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("version 1.1.0 is already live");
        assertThat(topic.readAll()).hasSize(2);

        assertThat(vigil("rules", "rollback", "1.0.0", "-c", config.toString())).as(err.toString()).isZero();
        List<ControlRecord> records = topic.readAll();
        assertThat(records).hasSize(3);
        ControlRecord back = records.get(2);
        assertThat(back.kind()).isEqualTo("rollback");
        assertThat(back.slot()).isEqualTo("live");
        assertThat(back.version()).isEqualTo("1.0.0");
        assertThat(back.bundle()).isEqualTo(records.get(0).bundle());
        assertThat(out.toString()).contains("Rolled live back to bundle 1.0.0 (from 1.1.0)");
        assertThat(vigil("rules", "rollback", "1.0.0", "-c", config.toString())).isEqualTo(1);
    }

    @Test
    void aConfigurationWithoutAPublicKeyIsRefusedBeforeAnythingIsWritten() throws Exception {
        Files.writeString(config, "kafka:\n  bootstrap-servers: " + StreamingServices.KAFKA.bootstrapServers() + "\n");
        assertThat(vigil("rules", "push", TestBundles.ssh(dir, "1.0.0", KEY).toString(), "-c", config.toString()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("sets no rules.public-key");
    }
}
