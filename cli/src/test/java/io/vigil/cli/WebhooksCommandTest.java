package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.connectors.webhook.WebhookReceiver;
import io.vigil.connectors.webhook.WebhookReceiver.Received;
import io.vigil.connectors.webhook.WebhookReceiver.Reply;
import io.vigil.model.EcsJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil webhooks list} and {@code vigil webhooks test} against a real HTTP server on loopback. */
class WebhooksCommandTest {

    /** The value the build gives VIGIL_TEST_WEBHOOK_SECRET (jobs/pom.xml, surefire). */
    static final String SECRET = "test-webhook-secret";
    /** Variables no environment sets. */
    static final String UNSET_SECRET = "VIGIL_TEST_UNSET_WEBHOOK_SECRET_7F3A";
    static final String UNSET_URL = "VIGIL_TEST_UNSET_WEBHOOK_URL_7F3A";

    @TempDir
    Path dir;

    private WebhookReceiver receiver;
    private Path config;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        assertThat(System.getenv("VIGIL_TEST_WEBHOOK_SECRET")).as("set by the build").isEqualTo(SECRET);
        assertThat(System.getenv(UNSET_SECRET)).isNull();
        assertThat(System.getenv(UNSET_URL)).isNull();
        receiver = WebhookReceiver.start(SECRET);
        config = dir.resolve("vigil.yaml");
        Files.writeString(config, String.join("\n",
                "webhooks:",
                "  endpoints:",
                "    soar:",
                "      url: " + receiver.url("/hooks/vigil"),
                "      secret-env: VIGIL_TEST_WEBHOOK_SECRET",
                "      key-id: k2026",
                "      min-severity: high",
                "      rules: [ssh-brute-force, brute-force-then-success]",
                "      max-attempts: 3",
                "      initial-backoff: 10ms",
                "      max-backoff: 50ms",
                "    chat:",
                "      url: " + receiver.url("/chat"),
                "      secret-env: VIGIL_TEST_WEBHOOK_SECRET",
                "      format: slack",
                "      send: [alerts, incidents]",
                "      tags: [ssh]",
                "    pager:",
                "      url-env: " + UNSET_URL,
                "      secret-env: " + UNSET_SECRET,
                ""), StandardCharsets.UTF_8);
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private int vigil(String... args) {
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void testSendsASignedSampleAlertThatTheReceiverVerifies() throws Exception {
        assertThat(vigil("webhooks", "test", "soar", "-c", config.toString())).isZero();

        Received r = receiver.received().get(0);
        assertThat(receiver.received()).hasSize(1);
        assertThat(r.signatureProblem()).isNull();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/hooks/vigil");
        assertThat(r.header("X-Vigil-Key-Id")).isEqualTo("k2026");
        assertThat(r.header("X-Vigil-Attempt")).isEqualTo("1");
        assertThat(r.idempotencyKey()).startsWith("vigil-webhook-test-");
        JsonNode body = EcsJson.MAPPER.readTree(r.body());
        assertThat(body.get("type").asText()).isEqualTo("vigil.alert");
        assertThat(body.get("id").asText()).isEqualTo(r.idempotencyKey());
        assertThat(body.at("/rule/id").asText()).isEqualTo("brute-force-then-success");
        assertThat(body.get("tags")).extracting(JsonNode::asText).contains("test");
        assertThat(body.at("/entities/source.ip").asText()).isEqualTo("203.0.113.45");
        assertThat(out.toString()).contains("Sending test alert " + r.idempotencyKey())
                .contains("one attempt")
                .containsPattern("attempt 1: HTTP 200, \\d+ ms, delivered")
                .contains("Delivered: soar accepted the test alert (HTTP 200) after 1 attempt");
        assertThat(err.toString()).isEmpty();

        // the sample is fixed: a second test sends the very same alert
        assertThat(vigil("webhooks", "test", "soar", "-c", config.toString())).isZero();
        assertThat(receiver.received()).hasSize(2);
        assertThat(receiver.received().get(1).body()).isEqualTo(r.body());
        assertThat(receiver.received().get(1).signatureProblem()).isNull();
    }

    @Test
    void testRendersTheEndpointsFormat() throws Exception {
        assertThat(vigil("webhooks", "test", "chat", "--config", config.toString())).isZero();
        Received r = receiver.received().get(0);
        assertThat(r.path()).isEqualTo("/chat");
        assertThat(r.signatureProblem()).isNull();
        assertThat(r.header("X-Vigil-Key-Id")).isEqualTo("primary");
        JsonNode body = EcsJson.MAPPER.readTree(r.body());
        assertThat(body.get("text").asText()).startsWith("[HIGH] Successful logon after brute force (TEST)");
        assertThat(body.has("type")).isFalse();
    }

    @Test
    void aServerErrorFailsWithOneAttemptUnlessRetriesIsGiven() throws Exception {
        receiver.then(Reply.status(500), Reply.status(500));

        assertThat(vigil("webhooks", "test", "soar", "-c", config.toString())).isEqualTo(VigilCli.FAILURE);
        assertThat(receiver.received()).extracting(Received::replied).containsExactly(500);
        assertThat(out.toString()).containsPattern("attempt 1: HTTP 500, \\d+ ms, exhausted");
        assertThat(err.toString()).contains("NOT delivered to soar after 1 attempt: HTTP 500")
                .contains("--retries tries 3 times");

        // the next reply is 500 again, then 200: the configured budget (3) gets it through
        assertThat(vigil("webhooks", "test", "soar", "-c", config.toString(), "--retries")).isZero();
        assertThat(receiver.received()).extracting(Received::replied).containsExactly(500, 500, 200);
        assertThat(receiver.received()).extracting(Received::idempotencyKey).containsOnly(
                receiver.received().get(0).idempotencyKey());
        assertThat(receiver.received()).extracting(Received::signatureProblem).containsOnlyNulls();
        assertThat(out.toString()).contains("up to 3 attempts")
                .containsPattern("attempt 1: HTTP 500, \\d+ ms, retrying \\(next in \\d+\\.\\d s\\)")
                .containsPattern("attempt 2: HTTP 200, \\d+ ms, delivered")
                .contains("after 2 attempts");
    }

    @Test
    void anUnknownEndpointIsAUsageErrorListingTheConfiguredOnes() {
        assertThat(vigil("webhooks", "test", "nope", "-c", config.toString())).isEqualTo(VigilCli.USAGE);
        assertThat(err.toString()).contains("no webhook endpoint 'nope'").contains("endpoints: chat, pager, soar");
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void aMissingSecretFailsNamingTheVariable() {
        assertThat(vigil("webhooks", "test", "pager", "-c", config.toString())).isEqualTo(VigilCli.FAILURE);
        assertThat(err.toString()).contains("vigil webhooks test: ").contains(UNSET_SECRET).contains("not set");
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void listShowsEachEndpointAndWhetherItsSecretIsSetButNeverASecret() {
        assertThat(vigil("webhooks", "list", "-c", config.toString())).isZero();
        String[] lines = out.toString().split("\\R");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("chat ").contains(receiver.url("/chat")).contains("format slack")
                .contains("sends alerts+incidents").contains("min-severity low").contains("rules all")
                .contains("tags ssh").contains("key-id primary").endsWith("secret: $VIGIL_TEST_WEBHOOK_SECRET set");
        assertThat(lines[1]).startsWith("pager ").contains("$" + UNSET_URL + " (NOT SET)").contains("format generic")
                .contains("sends alerts").endsWith("secret: $" + UNSET_SECRET + " NOT SET");
        assertThat(lines[2]).startsWith("soar ").contains(receiver.url("/hooks/vigil")).contains("min-severity high")
                .contains("rules brute-force-then-success,ssh-brute-force").contains("tags all")
                .contains("key-id k2026").endsWith("secret: $VIGIL_TEST_WEBHOOK_SECRET set");
        assertThat(out.toString()).doesNotContain(SECRET);
        assertThat(err.toString()).isEmpty();
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void listWithoutEndpointsSaysSoAndABadConfigurationFails() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "parallelism: 2\n");
        assertThat(vigil("webhooks", "list", "-c", empty.toString())).isZero();
        assertThat(out.toString()).contains("no webhook endpoints in");
        Path bad = Files.writeString(dir.resolve("bad.yaml"),
                "webhooks:\n  endpoints:\n    soar:\n      url: ftp://soar.example/\n      secret-env: S\n");
        assertThat(vigil("webhooks", "list", "-c", bad.toString())).isEqualTo(VigilCli.FAILURE);
        assertThat(err.toString()).contains("http:// or https://");
        assertThat(vigil("webhooks")).isEqualTo(VigilCli.USAGE);
        assertThat(vigil("webhooks", "list")).isEqualTo(VigilCli.USAGE);
    }
}
