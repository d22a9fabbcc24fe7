package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.connectors.webhook.WebhookReceiver;
import io.vigil.connectors.webhook.WebhookReceiver.Received;
import io.vigil.connectors.webhook.WebhookReceiver.Reply;
import io.vigil.model.EcsJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil replay --webhook URL}: the run's new alerts delivered to a real HTTP server on loopback. */
class ReplayWebhookTest {

    /** The value the build gives VIGIL_WEBHOOK_SECRET (jobs/pom.xml, surefire). */
    static final String SECRET = "test-webhook-secret";

    @TempDir
    Path dir;

    private WebhookReceiver receiver;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        assertThat(System.getenv("VIGIL_WEBHOOK_SECRET")).as("set by the build").isEqualTo(SECRET);
        receiver = WebhookReceiver.start(SECRET);
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private int vigil(Map<String, String> env, String... args) {
        CommandLine cl = VigilCli.commandLine();
        if (env != null) {
            ((ReplayCommand) cl.getSubcommands().get("replay").getCommand()).getenv = env::get;
        }
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    /**
     * An auth log with four alerts: 8 failures then a success for deploy from 203.0.113.45 (a
     * brute force whose last 3 failures are suppressed, reported by a later copy of the alert when
     * a failure after the suppression period comes; and a brute force then success), 6 failures for
     * root from 192.0.2.77, and 5 invalid users from 198.51.100.23; and some noise.
     */
    private Path authLog() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("Nov 20 08:58:01 bastion CRON[4101]: pam_unix(cron:session): session opened for user root by (uid=0)");
        lines.add("Nov 20 09:00:12 bastion sshd[4120]: Accepted publickey for alice from 192.0.2.10 port 50122 ssh2");
        String[] users = {"admin", "oracle", "test", "postgres", "ubuntu"};
        for (int i = 0; i < users.length; i++) {
            lines.add(String.format("Nov 20 09:02:%02d bastion sshd[%d]: Invalid user %s from 198.51.100.23 port %d",
                    40 + 3 * i, 4133 + i, users[i], 41002 + i));
        }
        for (int i = 0; i < 8; i++) {
            lines.add(String.format("Nov 20 09:10:%02d bastion sshd[4150]: Failed password for deploy from 203.0.113.45 "
                    + "port 52210 ssh2", 7 + 4 * i));
        }
        lines.add("Nov 20 09:10:45 bastion sshd[4152]: Accepted password for deploy from 203.0.113.45 port 52216 ssh2");
        lines.add("Nov 20 09:12:00 bastion sshd[4160]: Failed password for deploy from 203.0.113.45 port 52230 ssh2");
        for (int i = 0; i < 6; i++) {
            lines.add(String.format("Nov 20 09:20:%02d bastion sshd[4200]: Failed password for root from 192.0.2.77 "
                    + "port 40100 ssh2", 5 * i));
        }
        Path log = dir.resolve("auth.log");
        Files.write(log, lines, StandardCharsets.UTF_8);
        return log;
    }

    private static List<JsonNode> read(Path ndjson) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        for (String line : Files.readAllLines(ndjson, StandardCharsets.UTF_8)) {
            docs.add(EcsJson.MAPPER.readTree(line));
        }
        return docs;
    }

    @Test
    void eachNewAlertIsDeliveredOnceSignedWithItsIdAsIdempotencyKey() throws Exception {
        Path outDir = dir.resolve("out");
        assertThat(vigil(null, "replay", "--quiet", "--year", "2024", "--out", outDir.toString(),
                "--webhook", receiver.url("/hooks/replay"), authLog().toString())).isZero();

        List<JsonNode> alerts = read(outDir.resolve("alerts.ndjson"));
        assertThat(alerts).extracting(a -> a.at("/rule/id").asText()).containsExactlyInAnyOrder(
                "ssh-user-enumeration", "ssh-brute-force", "brute-force-then-success", "ssh-brute-force");
        List<String> ids = alerts.stream().map(a -> a.at("/event/id").asText()).toList();
        // the later copy of an alert (3 suppressed events) is in alerts.ndjson but is not sent again
        JsonNode suppressed = alerts.stream().filter(a -> a.at("/vigil/alert/suppressed_count").asLong() == 3)
                .findFirst().orElseThrow();
        assertThat(suppressed.at("/event/end").asText()).isEqualTo("2024-11-20T09:10:35Z");

        List<Received> received = receiver.received();
        assertThat(received).extracting(Received::idempotencyKey).containsExactlyInAnyOrderElementsOf(ids);
        for (Received r : received) {
            assertThat(r.signatureProblem()).isNull();
            assertThat(r.path()).isEqualTo("/hooks/replay");
            assertThat(r.header("X-Vigil-Key-Id")).isEqualTo("replay");
            assertThat(r.header("X-Vigil-Attempt")).isEqualTo("1");
            JsonNode body = EcsJson.MAPPER.readTree(r.body());
            assertThat(body.get("type").asText()).isEqualTo("vigil.alert");
            assertThat(body.get("id").asText()).isEqualTo(r.idempotencyKey());
        }
        JsonNode first = EcsJson.MAPPER.readTree(received.stream()
                .filter(r -> r.idempotencyKey().equals(suppressed.at("/event/id").asText())).findFirst().orElseThrow()
                .body());
        assertThat(first.get("last_event_time").asText()).isEqualTo("2024-11-20T09:10:23Z");

        List<JsonNode> deliveries = read(outDir.resolve("deliveries.ndjson"));
        assertThat(deliveries).extracting(d -> d.at("/vigil/delivery/idempotency_key").asText())
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(deliveries).allSatisfy(d -> {
            assertThat(d.at("/vigil/delivery/endpoint").asText()).isEqualTo("replay");
            assertThat(d.at("/vigil/delivery/outcome").asText()).isEqualTo("delivered");
            assertThat(d.at("/http/response/status_code").asInt()).isEqualTo(200);
            assertThat(d.at("/vigil/alert/id").asText()).isEqualTo(d.at("/vigil/delivery/idempotency_key").asText());
        });
        assertThat(Files.readString(outDir.resolve("webhook-dead-letters.ndjson"))).isEmpty();
        try (Stream<Path> files = Files.list(outDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).doesNotContain(".webhook-requests.ndjson");
        }

        JsonNode summary = EcsJson.MAPPER.readTree(outDir.resolve("summary.json").toFile());
        assertThat(summary.get("webhook")).isEqualTo(EcsJson.MAPPER.readTree(
                "{\"requests\":4,\"delivered\":4,\"deadLettered\":0,\"attempts\":4}"));
        assertThat(summary.at("/outputs/deliveries").asText()).endsWith("deliveries.ndjson");
        assertThat(out.toString()).contains("webhook deliveries (4 alerts):").containsPattern("delivered +4")
                .containsPattern("dead-lettered +0").containsPattern("attempts +4")
                .contains("deliveries.ndjson").contains("webhook-dead-letters.ndjson");
        assertThat(out.toString()).doesNotContain(SECRET);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aRefusedAlertIsDeadLetteredAndAFailedAttemptRetried() throws Exception {
        // the first request to arrive is refused for good (400), the second fails once (503) and is retried
        receiver.then(Reply.status(400), Reply.status(503));
        Path outDir = dir.resolve("out");
        assertThat(vigil(null, "replay", "--quiet", "--year", "2024", "--out", outDir.toString(),
                "--webhook", receiver.url("/hooks/replay"), authLog().toString())).isZero();

        List<String> ids = read(outDir.resolve("alerts.ndjson")).stream().map(a -> a.at("/event/id").asText()).toList();
        List<Received> received = receiver.received();
        assertThat(received).hasSize(5).extracting(Received::signatureProblem).containsOnlyNulls();
        assertThat(received).extracting(Received::idempotencyKey).containsAll(ids).hasSize(ids.size() + 1);
        String refused = received.get(0).idempotencyKey();
        String retried = received.get(1).idempotencyKey();
        assertThat(received).filteredOn(r -> r.idempotencyKey().equals(retried))
                .extracting(r -> r.header("X-Vigil-Attempt") + ":" + r.replied()).containsExactly("1:503", "2:200");

        List<JsonNode> dead = read(outDir.resolve("webhook-dead-letters.ndjson"));
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.at("/vigil/origin/source").asText()).isEqualTo("replay/" + refused);
            assertThat(d.at("/reason").asText()).contains("HTTP 400");
            assertThat(EcsJson.MAPPER.readTree(d.at("/raw/value").asText()).get("id").asText()).isEqualTo(refused);
        });
        assertThat(read(outDir.resolve("deliveries.ndjson"))).hasSize(5)
                .extracting(d -> d.at("/vigil/delivery/outcome").asText())
                .containsExactlyInAnyOrder("failed", "retrying", "delivered", "delivered", "delivered");
        JsonNode summary = EcsJson.MAPPER.readTree(outDir.resolve("summary.json").toFile());
        assertThat(summary.get("webhook")).isEqualTo(EcsJson.MAPPER.readTree(
                "{\"requests\":4,\"delivered\":3,\"deadLettered\":1,\"attempts\":5}"));
    }

    @Test
    void aMissingSecretOrABadUrlIsAUsageErrorBeforeTheReplayStarts() throws Exception {
        Path log = authLog();
        Path outDir = dir.resolve("out");
        assertThat(vigil(Map.of(), "replay", "--quiet", "--out", outDir.toString(), "--webhook",
                receiver.url("/hooks/replay"), log.toString())).isEqualTo(VigilCli.USAGE);
        assertThat(err.toString()).contains("--webhook: ").contains("VIGIL_WEBHOOK_SECRET is not set");
        assertThat(vigil(null, "replay", "--quiet", "--out", outDir.toString(), "--webhook",
                "ftp://soar.example/hooks", log.toString())).isEqualTo(VigilCli.USAGE);
        assertThat(err.toString()).contains("http:// or https://");
        assertThat(vigil(null, "replay", "--quiet", "--no-detect", "--out", outDir.toString(), "--webhook",
                receiver.url("/hooks/replay"), log.toString())).isEqualTo(VigilCli.USAGE);
        assertThat(err.toString()).contains("cannot go with --no-detect");
        assertThat(outDir).doesNotExist();
        assertThat(receiver.received()).isEmpty();
    }
}
