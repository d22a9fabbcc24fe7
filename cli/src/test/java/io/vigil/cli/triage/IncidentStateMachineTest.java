package io.vigil.cli.triage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cli.VigilCli;
import io.vigil.connectors.elasticsearch.ElasticsearchConnection;
import io.vigil.jobs.stream.StreamingServices;
import io.vigil.jobs.wiring.Connections;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Analysts' transitions on the real node, through the command line: open → acknowledged →
 * closed; assign while open or acknowledged; nothing after close. Each refusal is a clear error
 * (exit 1) that writes nothing, not even an audit entry.
 */
class IncidentStateMachineTest {

    private static RestClient rest;
    private static String url;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void services() throws Exception {
        rest = StreamingServices.REST;
        url = StreamingServices.ES.url();
        Connections.installTemplates(ElasticsearchConnection.of(url));
    }

    private int vigil(String... args) {
        err.getBuffer().setLength(0);
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    /** Runs {@code vigil incidents ARGS… --es URL --as bob ID}, which must be refused, and checks it changed nothing. */
    private void refused(String id, String message, String... args) throws Exception {
        String before = TestIncidents.stored(rest, id).toString();
        int audited = TestIncidents.audit(rest, id).size();
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("incidents"));
        command.addAll(java.util.List.of(args));
        command.addAll(java.util.List.of("--es", url, "--as", "bob", id));
        assertThat(vigil(command.toArray(String[]::new))).as(String.join(" ", command)).isEqualTo(VigilCli.FAILURE);
        assertThat(err.toString()).contains(message);
        assertThat(TestIncidents.stored(rest, id).toString()).isEqualTo(before);
        assertThat(TestIncidents.audit(rest, id)).hasSize(audited);
    }

    @Test
    void openThenAcknowledgedThenClosedAndNothingAfter() throws Exception {
        String id = "fsm-path";
        TestIncidents.write(rest, TestIncidents.open(id));

        assertThat(vigil("incidents", "ack", "--es", url, "--as", "bob", id)).as(err.toString()).isZero();
        refused(id, "incident fsm-path is already acknowledged", "ack");
        assertThat(vigil("incidents", "assign", "--es", url, "--as", "bob", "--to", "alice", id)).as(err.toString())
                .isZero();
        assertThat(vigil("incidents", "close", "--es", url, "--as", "alice", "--reason", "contained", id))
                .as(err.toString()).isZero();

        refused(id, "incident fsm-path is already closed", "close", "--reason", "again");
        refused(id, "incident fsm-path is closed: it cannot be acknowledged", "ack");
        refused(id, "incident fsm-path is closed: it cannot be assigned", "assign", "--to", "carol");
        assertThat(err.toString()).contains("a closed incident stays closed");

        assertThat(TestIncidents.stored(rest, id).path("status").asText()).isEqualTo("closed");
        assertThat(TestIncidents.stored(rest, id).path("assignee").asText()).isEqualTo("alice");
        assertThat(TestIncidents.actions(rest, id)).containsExactly("ack bob", "assign bob", "close alice");
    }

    @Test
    void anOpenIncidentCanBeAssignedAndClosedWithoutAnAcknowledgement() throws Exception {
        String id = "fsm-direct";
        TestIncidents.write(rest, TestIncidents.open(id));
        assertThat(vigil("incidents", "assign", "--es", url, "--as", "bob", "--to", "bob", id)).as(err.toString())
                .isZero();
        assertThat(TestIncidents.stored(rest, id).path("status").asText()).isEqualTo("open");
        assertThat(vigil("incidents", "close", "--es", url, "--as", "bob", "--reason", "false positive", id))
                .as(err.toString()).isZero();
        assertThat(TestIncidents.stored(rest, id).path("status").asText()).isEqualTo("closed");
    }
}
