package io.vigil.cli.triage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cli.VigilCli;
import io.vigil.connectors.elasticsearch.ElasticsearchConnection;
import io.vigil.jobs.stream.StreamingServices;
import io.vigil.jobs.wiring.Connections;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * An incident id is one encoded path segment in every request triage makes: ids holding a slash,
 * a query, a fragment, dot segments, spaces or a plus act on their own incident and nothing else
 * (not on the incident whose id is their prefix, not on another endpoint).
 */
class IncidentIdEncodingTest {

    /** Ids that would reach another document or endpoint if pasted into a path as they are. */
    static final List<String> HOSTILE_IDS = List.of("enc/b", "enc?refresh=true&if_seq_no=0", "enc#frag", "..",
            "../../_all", "enc with space", "enc+plus", "enc%2Fx", "vigil-incidents/_doc/enc-bystander");

    /** Incidents a mis-built path would hit instead: the prefixes of the ids above. */
    static final List<String> BYSTANDERS = List.of("enc", "enc-bystander");

    private static RestClient rest;
    private static String url;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void services() throws Exception {
        rest = StreamingServices.REST;
        url = StreamingServices.ES.url();
        Connections.installTemplates(ElasticsearchConnection.of(url));
        for (String id : HOSTILE_IDS) {
            TestIncidents.write(rest, TestIncidents.open(id));
        }
        for (String id : BYSTANDERS) {
            TestIncidents.write(rest, TestIncidents.open(id));
        }
    }

    private int vigil(String... args) {
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void eachIdReachesItsOwnIncidentOnly() throws Exception {
        for (String id : HOSTILE_IDS) {
            out.getBuffer().setLength(0);
            assertThat(vigil("incidents", "show", "--es", url, id)).as(id + ": " + err).isZero();
            assertThat(out.toString()).contains("SSH brute force from 198.51.100.61");
            assertThat(vigil("incidents", "close", "--es", url, "--as", "bob", "--reason", "test of " + id, id))
                    .as(id + ": " + err).isZero();
            assertThat(TestIncidents.stored(rest, id).path("close_reason").asText()).isEqualTo("test of " + id);
            assertThat(TestIncidents.actions(rest, id)).as(id).containsExactly("close bob");
            assertThat(TestIncidents.audit(rest, id)).as(id).hasSize(2);
        }
        for (String id : BYSTANDERS) {
            assertThat(TestIncidents.stored(rest, id).path("status").asText()).as(id).isEqualTo("open");
            assertThat(TestIncidents.actions(rest, id)).as(id).isEmpty();
        }
    }
}
