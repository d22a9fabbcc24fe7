package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cli.kibana.RecordingKibana;
import io.vigil.cli.kibana.VigilSavedObjects;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code vigil setup kibana} against a Kibana stand-in on loopback. */
class KibanaSetupCommandTest {

    private static final String SHIPPED = new String(VigilSavedObjects.ndjson(), StandardCharsets.UTF_8);
    private static final int OBJECTS = VigilSavedObjects.count(VigilSavedObjects.ndjson());

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private RecordingKibana kibana;

    @BeforeEach
    void startKibana() throws IOException {
        kibana = new RecordingKibana();
    }

    @AfterEach
    void stopKibana() {
        kibana.close();
    }

    private int run(Map<String, String> environment, String... args) {
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        KibanaSetupCommand command = cl.getSubcommands().get("setup").getSubcommands().get("kibana").getCommand();
        command.environment = environment::get;
        return cl.execute(args);
    }

    private RecordingKibana.Request onlyRequest() {
        assertThat(kibana.requests()).hasSize(1);
        return kibana.requests().get(0);
    }

    @Test
    void importsTheSavedObjectsIntoTheDefaultSpace() {
        kibana.answer(200, "{\"success\":true,\"successCount\":" + OBJECTS + ",\"successResults\":[]}");

        assertThat(run(Map.of(), "setup", "kibana", "--url", kibana.url())).isZero();

        RecordingKibana.Request request = onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/saved_objects/_import");
        assertThat(request.query()).isEqualTo("overwrite=true");
        assertThat(request.header("kbn-xsrf")).isEqualTo("true");
        assertThat(request.header("Authorization")).isNull();
        assertThat(request.header("Content-Type")).startsWith("multipart/form-data; boundary=");
        assertThat(request.bodyText())
                .contains("Content-Disposition: form-data; name=\"file\"; filename=\"vigil-saved-objects.ndjson\"")
                .contains("\r\n\r\n" + SHIPPED + "\r\n--");
        assertThat(out.toString())
                .contains("imported " + OBJECTS + " of " + OBJECTS + " saved objects into Kibana at " + kibana.url())
                .contains("dashboard: " + kibana.url() + "/app/dashboards#/view/vigil-soc");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aSpaceAndAnApiKeyFromTheEnvironment() {
        kibana.answer(200, "{\"success\":true,\"successCount\":" + OBJECTS + "}");

        assertThat(run(Map.of("KIBANA_API_KEY", "a2V5OnNlY3JldA=="),
                "setup", "kibana", "--url", kibana.url() + "/", "--space", "soc", "--api-key-env", "KIBANA_API_KEY"))
                .isZero();

        RecordingKibana.Request request = onlyRequest();
        assertThat(request.path()).isEqualTo("/s/soc/api/saved_objects/_import");
        assertThat(request.header("Authorization")).isEqualTo("ApiKey a2V5OnNlY3JldA==");
        assertThat(out.toString()).contains("(space soc)")
                .contains(kibana.url() + "/s/soc/app/dashboards#/view/vigil-soc")
                .doesNotContain("a2V5OnNlY3JldA==");
    }

    @Test
    void aUserAndPasswordFromTheEnvironment() {
        kibana.answer(200, "{\"success\":true,\"successCount\":" + OBJECTS + "}");

        assertThat(run(Map.of("KIBANA_USER", "elastic", "KIBANA_PASSWORD", "changeme"),
                "setup", "kibana", "--url", kibana.url(), "--username-env", "KIBANA_USER", "--password-env", "KIBANA_PASSWORD"))
                .isZero();

        assertThat(onlyRequest().header("Authorization")).isEqualTo(
                "Basic " + Base64.getEncoder().encodeToString("elastic:changeme".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void objectsKibanaRefusesAreListedAndExitWithOne() {
        kibana.answer(200, """
                {"success":false,"successCount":%d,"errors":[{"id":"vigil-top-rules","type":"lens",
                 "meta":{"title":"Top rules"},"error":{"type":"missing_references",
                 "references":[{"type":"index-pattern","id":"vigil-alerts"}]}}]}
                """.formatted(OBJECTS - 1));

        assertThat(run(Map.of(), "setup", "kibana", "--url", kibana.url())).isEqualTo(VigilCli.FAILURE);

        assertThat(err.toString())
                .contains("Kibana at " + kibana.url() + " imported " + (OBJECTS - 1) + " of " + OBJECTS)
                .contains("lens vigil-top-rules (Top rules): missing_references index-pattern vigil-alerts");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anErrorStatusExitsWithOneAndSaysWhy() {
        kibana.answer(401, "{\"statusCode\":401,\"error\":\"Unauthorized\","
                + "\"message\":\"[security_exception] missing authentication credentials\"}");

        assertThat(run(Map.of(), "setup", "kibana", "--url", kibana.url())).isEqualTo(VigilCli.FAILURE);

        assertThat(err.toString()).contains("Kibana at " + kibana.url() + " refused the import: HTTP 401 Unauthorized: "
                + "[security_exception] missing authentication credentials").contains("--api-key-env");
    }

    @Test
    void anUnreachableKibanaIsNamed() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;

        assertThat(run(Map.of(), "setup", "kibana", "--url", url)).isEqualTo(VigilCli.FAILURE);

        assertThat(err.toString()).contains("cannot reach Kibana at " + url + ": connection refused")
                .doesNotContain("Exception");
    }

    @Test
    void aMissingSecretVariableIsNamedAndNothingIsSent() {
        assertThat(run(Map.of(), "setup", "kibana", "--url", kibana.url(), "--api-key-env", "KIBANA_API_KEY"))
                .isEqualTo(VigilCli.FAILURE);

        assertThat(err.toString()).contains("environment variable KIBANA_API_KEY is not set");
        assertThat(kibana.requests()).isEmpty();
    }

    @Test
    void badUsageExitsWithTwo() {
        assertThat(run(Map.of(), "setup", "kibana")).isEqualTo(VigilCli.USAGE);
        assertThat(err.toString()).contains("Missing required option: '--url=URL'");
        assertThat(run(Map.of(), "setup", "kibana", "--url", "localhost:5601")).isEqualTo(VigilCli.USAGE);
        assertThat(err.toString()).contains("not a Kibana URL: 'localhost:5601'");
        assertThat(run(Map.of(), "setup", "kibana", "--url", kibana.url(), "--space", "My Space")).isEqualTo(VigilCli.USAGE);
        assertThat(err.toString()).contains("not a Kibana space id: 'My Space'");
        assertThat(run(Map.of(), "setup", "kibana", "--url", kibana.url(), "--username-env", "U")).isEqualTo(VigilCli.USAGE);
        assertThat(err.toString()).contains("a user name and a password go together");
        assertThat(run(Map.of(), "setup", "kibana", "--url", kibana.url(), "--api-key", "secret")).isEqualTo(VigilCli.USAGE);
        assertThat(err.toString()).contains("Unknown options: '--api-key', 'secret'");
        assertThat(kibana.requests()).isEmpty();
    }

    @Test
    void setupWithoutASubcommandStillNeedsItsConfiguration() {
        assertThat(run(Map.of(), "setup")).isEqualTo(VigilCli.USAGE);
        assertThat(err.toString()).contains("Missing required option: '--config=FILE'");
        assertThat(run(Map.of(), "setup", "--help")).isZero();
        assertThat(out.toString()).contains("--config=FILE").contains("kibana");
    }
}
