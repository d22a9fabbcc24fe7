package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.connectors.elasticsearch.SecuredElasticsearch;
import io.vigil.cli.triage.TestIncidents;
import io.vigil.jobs.stream.StreamingServices;
import io.vigil.jobs.wiring.Connections;
import io.vigil.connectors.elasticsearch.ElasticsearchConnection;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil incidents} on a secured cluster: the real test node behind {@link SecuredElasticsearch}
 * (the node itself has no security plugin), which checks the {@code Authorization} header, answers
 * {@code /_security/_authenticate} and lets the audit indices take only create requests. Credentials
 * come from the environment only; the actor is the identity the cluster authenticated; on the node
 * without security, the name given is used and marked unverified.
 */
class IncidentsSecurityTest {

    static final String KEY = "dHJpYWdlLWtleTpjYXJvbC1zZWNyZXQ=";
    static final String NO_AUDIT_KEY = "bm8tYXVkaXQ6ZnJhbmstc2VjcmV0";
    static final String DAVE_PASSWORD = "dave-Secret-9";

    private static RestClient rest;
    private static SecuredElasticsearch secured;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void services() throws Exception {
        rest = StreamingServices.REST;
        Connections.installTemplates(ElasticsearchConnection.of(StreamingServices.ES.url()));
        secured = SecuredElasticsearch.http(StreamingServices.ES.url())
                .apiKey(KEY, "carol", "triage-cli")
                .user("dave", DAVE_PASSWORD)
                .apiKeyWithoutAudit(NO_AUDIT_KEY, "frank");
    }

    @AfterAll
    static void stop() {
        secured.close();
    }

    @BeforeEach
    void clean() {
        secured.forget();
    }

    /** Runs {@code vigil} with {@code env} as the commands' environment. */
    private int vigil(Map<String, String> env, String... args) {
        CommandLine cl = VigilCli.commandLine();
        ((IncidentsCommand) cl.getSubcommands().get("incidents").getCommand()).getenv = env::get;
        ((ReplayCommand) cl.getSubcommands().get("replay").getCommand()).getenv = env::get;
        ((SetupCommand) cl.getSubcommands().get("setup").getCommand()).getenv = env::get;
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private static String incident(String id) throws Exception {
        TestIncidents.write(rest, TestIncidents.open(id));
        return id;
    }

    @Test
    void theApiKeyFromTheEnvironmentIsSentAndTheActorIsItsOwner() throws Exception {
        String id = incident("sec-api-key");
        assertThat(vigil(Map.of("VIGIL_ES_API_KEY", KEY), "incidents", "ack", "--es", secured.url(), id))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("carol acknowledged the incident");

        assertThat(secured.seen()).isNotEmpty().allSatisfy(r -> assertThat(r.authorization()).isEqualTo("ApiKey " + KEY));
        assertThat(secured.seen()).extracting(SecuredElasticsearch.Seen::method, r -> r.rawUri().replaceAll("\\?.*", ""))
                .contains(org.assertj.core.groups.Tuple.tuple("GET", "/_security/_authenticate"));
        assertThat(secured.seen()).anySatisfy(r -> assertThat(r.method() + " " + r.rawUri())
                .matches("PUT /vigil-audit-\\d{4}\\.\\d{2}\\.\\d{2}/_create/[0-9a-f]{32}"));

        assertThat(TestIncidents.stored(rest, id).path("status").asText()).isEqualTo("acknowledged");
        List<JsonNode> audit = TestIncidents.audit(rest, id);
        assertThat(audit).hasSize(2);
        JsonNode intent = audit.get(0).at("/vigil/audit");
        assertThat(intent.path("entry").asText()).isEqualTo("intent");
        assertThat(intent.path("actor").asText()).isEqualTo("carol");
        assertThat(intent.path("unverified").asBoolean(true)).isFalse();
        assertThat(intent.path("authentication").asText()).isEqualTo("api_key:triage-cli");
        assertThat(intent.path("status_before").asText()).isEqualTo("open");
        assertThat(intent.path("status_after").asText()).isEqualTo("acknowledged");
        assertThat(audit.get(0).at("/event/outcome").asText()).isEqualTo("unknown");
        JsonNode outcome = audit.get(1).at("/vigil/audit");
        assertThat(outcome.path("entry").asText()).isEqualTo("outcome");
        assertThat(outcome.path("outcome").asText()).isEqualTo("applied");
        assertThat(outcome.path("intent_id").asText()).isEqualTo(intent.path("id").asText());
        assertThat(outcome.path("seq_no").asLong()).isPositive();
        assertThat(audit.get(1).at("/event/outcome").asText()).isEqualTo("success");
        assertThat(TestIncidents.actions(rest, id)).containsExactly("ack carol");
    }

    @Test
    void aUserAndPasswordFromTheEnvironmentAreSentAsBasicAuthentication() throws Exception {
        String id = incident("sec-basic");
        assertThat(vigil(Map.of("VIGIL_ES_USERNAME", "dave", "VIGIL_ES_PASSWORD", DAVE_PASSWORD),
                "incidents", "assign", "--es", secured.url(), "--to", "alice", id)).as(err.toString()).isZero();
        assertThat(secured.seen()).isNotEmpty()
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo(SecuredElasticsearch.basic("dave", DAVE_PASSWORD)));
        JsonNode intent = TestIncidents.audit(rest, id).get(0).at("/vigil/audit");
        assertThat(intent.path("actor").asText()).isEqualTo("dave");
        assertThat(intent.path("authentication").asText()).isEqualTo("realm:native");
        assertThat(TestIncidents.stored(rest, id).path("assignee").asText()).isEqualTo("alice");
    }

    @Test
    void aRefusedKeyIsAClearErrorNamingTheVariableNeverTheKey() throws Exception {
        String id = incident("sec-refused");
        String wrong = "d3Jvbmc6bm90LXRoZS1rZXk=";
        assertThat(vigil(Map.of("VIGIL_ES_API_KEY", wrong), "incidents", "ack", "--es", secured.url(), id))
                .isEqualTo(VigilCli.FAILURE);
        assertThat(err.toString()).contains("refused the credentials (401 Unauthorized)")
                .contains("the API key in $VIGIL_ES_API_KEY").doesNotContain(wrong);
        assertThat(TestIncidents.stored(rest, id).path("status").asText()).isEqualTo("open");
        assertThat(TestIncidents.audit(rest, id)).isEmpty();

        // reading commands say it the same way
        err.getBuffer().setLength(0);
        assertThat(vigil(Map.of("VIGIL_ES_API_KEY", wrong), "incidents", "list", "--es", secured.url()))
                .isEqualTo(VigilCli.FAILURE);
        assertThat(err.toString()).contains("refused the credentials").doesNotContain(wrong);
    }

    @Test
    void withoutCredentialsTheErrorSaysWhichVariablesToSet() throws Exception {
        String id = incident("sec-none");
        assertThat(vigil(Map.of(), "incidents", "show", "--es", secured.url(), id)).isEqualTo(VigilCli.FAILURE);
        assertThat(err.toString()).contains("requires credentials (401 Unauthorized)")
                .contains("$VIGIL_ES_API_KEY").contains("$VIGIL_ES_USERNAME and $VIGIL_ES_PASSWORD");
    }

    @Test
    void asIsRefusedUnlessItNamesTheAuthenticatedIdentity() throws Exception {
        String id = incident("sec-as");
        assertThat(vigil(Map.of("VIGIL_ES_API_KEY", KEY), "incidents", "ack", "--es", secured.url(), "--as", "mallory",
                id)).isEqualTo(VigilCli.FAILURE);
        assertThat(err.toString()).contains("--as mallory is refused").contains("authenticates these credentials as carol");
        assertThat(TestIncidents.stored(rest, id).path("status").asText()).isEqualTo("open");
        assertThat(TestIncidents.audit(rest, id)).isEmpty();

        // $VIGIL_ANALYST is only a default for clusters without security: the identity wins
        assertThat(vigil(Map.of("VIGIL_ES_API_KEY", KEY, "VIGIL_ANALYST", "mallory"), "incidents", "ack", "--es",
                secured.url(), id)).as(err.toString()).isZero();
        assertThat(vigil(Map.of("VIGIL_ES_API_KEY", KEY), "incidents", "close", "--es", secured.url(), "--as", "carol",
                "--reason", "contained", id)).as(err.toString()).isZero();
        assertThat(TestIncidents.actions(rest, id)).containsExactly("ack carol", "close carol");
    }

    @Test
    void withoutSecurityTheNameGivenIsUsedAndMarkedUnverified() throws Exception {
        String id = incident("sec-off");
        String node = StreamingServices.ES.url();
        assertThat(vigil(Map.of(), "incidents", "ack", "--es", node, "--as", "bob", id)).as(err.toString()).isZero();
        assertThat(vigil(Map.of("VIGIL_ANALYST", "erin"), "incidents", "assign", "--es", node, "--to", "erin", id))
                .as(err.toString()).isZero();
        List<JsonNode> audit = TestIncidents.audit(rest, id);
        assertThat(audit).extracting(a -> a.at("/vigil/audit/entry").asText() + " " + a.at("/vigil/audit/action").asText()
                        + " " + a.at("/vigil/audit/actor").asText() + " unverified=" + a.at("/vigil/audit/unverified"))
                .containsExactly("intent ack bob unverified=true", "outcome ack bob unverified=true",
                        "intent assign erin unverified=true", "outcome assign erin unverified=true");
        assertThat(audit).allSatisfy(a -> assertThat(a.at("/vigil/audit/authentication").isMissingNode()).isTrue());
    }

    @Test
    void anActionTheAuditLogDoesNotTakeIsNotTaken() throws Exception {
        String id = incident("sec-no-audit");
        assertThat(vigil(Map.of("VIGIL_ES_API_KEY", NO_AUDIT_KEY), "incidents", "close", "--es", secured.url(),
                "--reason", "nothing to see", id)).isEqualTo(VigilCli.FAILURE);
        assertThat(err.toString()).contains("does not allow PUT /vigil-audit-").contains("(403 Forbidden)")
                .contains("unauthorized for user [frank]").doesNotContain(NO_AUDIT_KEY);
        JsonNode stored = TestIncidents.stored(rest, id);
        assertThat(stored.path("status").asText()).isEqualTo("open");
        assertThat(stored.has("close_reason")).isFalse();
        assertThat(TestIncidents.actions(rest, id)).isEmpty();
        // the incident was never asked to change
        assertThat(secured.seen()).noneMatch(r -> r.rawUri().contains("/_update/"));
    }

    /** A configuration naming the secured cluster and the variable its API key is in. */
    private static Path securedConfig(Path dir) throws Exception {
        // the build sets VIGIL_TEST_ES_API_KEY in the test JVM's environment (cli/pom.xml): the
        // replay's Flink sinks read it there, as a job's do
        assertThat(System.getenv("VIGIL_TEST_ES_API_KEY")).as("set by the build").isEqualTo(KEY);
        Path config = dir.resolve("vigil.yaml");
        Files.writeString(config, "elasticsearch:\n  urls: " + secured.url() + "\n"
                + "  api-key-env: VIGIL_TEST_ES_API_KEY\n");
        return config;
    }

    /** Six failed root logins from one address on bastion-sec: one SSH brute-force alert. */
    private static Path authLog(Path dir) throws Exception {
        List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            lines.add(String.format("Nov 21 10:20:%02d bastion-sec sshd[4200]: Failed password for root from 192.0.2.78 "
                    + "port 40100 ssh2", 5 * i));
        }
        return Files.write(dir.resolve("auth.log"), lines);
    }

    @Test
    void theConfigurationNamesTheVariablesTheCredentialsAreIn(@TempDir Path dir) throws Exception {
        Path config = securedConfig(dir);
        String id = incident("sec-config");
        assertThat(vigil(System.getenv(), "incidents", "close", "--config", config.toString(), "--reason", "benign", id))
                .as(err.toString()).isZero();
        assertThat(TestIncidents.actions(rest, id)).containsExactly("close carol");
        assertThat(secured.seen()).isNotEmpty().allSatisfy(r -> assertThat(r.authorization()).isEqualTo("ApiKey " + KEY));
    }

    @Test
    void setupAndReplayReachTheSecuredClusterTheSameWay(@TempDir Path dir) throws Exception {
        Path config = securedConfig(dir);
        assertThat(vigil(System.getenv(), "setup", "--config", config.toString())).as(err.toString()).isZero();
        assertThat(secured.seen()).extracting(r -> r.method() + " " + r.rawUri())
                .contains("PUT /_index_template/vigil-audit");

        secured.forget();
        assertThat(vigil(System.getenv(), "replay", "--quiet", "--year", "2024", "--config", config.toString(),
                "--out", dir.resolve("out").toString(), authLog(dir).toString())).as(err.toString()).isZero();
        // the alert went through the door with the key, written by the job's sink
        assertThat(secured.seen()).extracting(SecuredElasticsearch.Seen::method, r -> r.rawUri().replaceAll("\\?.*", ""))
                .contains(org.assertj.core.groups.Tuple.tuple("POST", "/_bulk"));
        assertThat(secured.seen()).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("ApiKey " + KEY));
        assertThat(TestIncidents.search(rest, "vigil-alerts-*",
                "{\"query\":{\"term\":{\"host.name\":\"bastion-sec\"}}}")).isNotEmpty();
    }

    @Test
    void aReplayWhoseKeyIsRefusedStopsBeforeItStarts(@TempDir Path dir) throws Exception {
        String wrong = "d3Jvbmc6cmVwbGF5";
        assertThat(vigil(Map.of("VIGIL_ES_API_KEY", wrong), "replay", "--quiet", "--year", "2024", "--es", secured.url(),
                "--out", dir.resolve("out").toString(), authLog(dir).toString())).isEqualTo(VigilCli.FAILURE);
        assertThat(err.toString()).contains("refused the credentials (401 Unauthorized)")
                .contains("$VIGIL_ES_API_KEY").doesNotContain(wrong);
        assertThat(dir.resolve("out").resolve("summary.json")).doesNotExist();
    }
}
