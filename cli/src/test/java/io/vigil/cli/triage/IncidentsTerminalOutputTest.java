package io.vigil.cli.triage;

import io.vigil.jobs.wiring.Documents;
import io.vigil.jobs.stream.StreamingServices;

import io.vigil.jobs.wiring.Connections;
import static io.vigil.cli.TerminalAssert.HOSTILE;
import static io.vigil.cli.TerminalAssert.assertTerminalSafe;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.connectors.elasticsearch.DocumentMapper;
import io.vigil.cli.VigilCli;
import io.vigil.model.Incident;
import io.vigil.model.TimelineEntry;
import io.vigil.model.text.SafeText;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.elasticsearch.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code vigil incidents} against the real Elasticsearch node, over an incident whose title,
 * entities and timeline quote hostile log content: printed escaped, one line per row.
 */
class IncidentsTerminalOutputTest {

    static final String ID = "0000hostile0000output0000safety0";
    /** A rule of its own: the other tests sharing this node count incidents by rule. */
    static final String RULE = "output-safety-test";
    static final Instant FIRST = Instant.parse("2024-03-01T10:00:00Z");

    static final TimelineEntry TIMELINE_ALERT = new TimelineEntry("hostile-alert", ID, FIRST.plusSeconds(60),
            TimelineEntry.ALERT, "5 failed logins for " + HOSTILE, RULE, "SSH brute force", "critical",
            List.of("TA0006"), Map.of("user.name", HOSTILE, "source.ip", "203.0.113.7"), "vigil-alerts-2024.03.01",
            "a1", null, null, null, null);

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void hostileIncident() throws Exception {
        Connections.installTemplates(io.vigil.connectors.elasticsearch.ElasticsearchConnection.builder()
                .urls(List.of(StreamingServices.ES.url())).build());
        Incident incident = new Incident(ID, "brute force by " + HOSTILE, Incident.OPEN, null, null, FIRST,
                FIRST.plusSeconds(60), List.of(HOSTILE), List.of(), List.of("host-" + HOSTILE), List.of("203.0.113.7"),
                1, List.of(RULE), "critical", 100, List.of("TA0006"), null, 1);
        index(new Documents.Incidents(), incident, new Documents.Incidents().upsert(incident));
        index(new Documents.Timeline(), TIMELINE_ALERT, new Documents.Timeline().source(TIMELINE_ALERT));
        StreamingServices.REST.performRequest(new Request("POST", "/vigil-incidents,vigil-timeline-*/_refresh"));
    }

    @AfterAll
    static void removeIt() throws Exception {
        StreamingServices.REST.performRequest(new Request("DELETE", "/vigil-incidents/_doc/" + ID));
        StreamingServices.REST.performRequest(new Request("DELETE",
                "/" + new Documents.Timeline().index(TIMELINE_ALERT) + "/_doc/" + TIMELINE_ALERT.id()));
    }

    private static <T> void index(DocumentMapper<T> mapper, T element, byte[] source) throws Exception {
        Request put = new Request("PUT", "/" + mapper.index(element) + "/_doc/" + mapper.id(element));
        put.setJsonEntity(new String(source, StandardCharsets.UTF_8));
        StreamingServices.REST.performRequest(put);
    }

    private int vigil(String... args) {
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void listShowAndActionsPrintTheDataEscaped() {
        String url = StreamingServices.ES.url();
        assertThat(vigil("incidents", "list", "--es", url, "--severity", "critical")).as(err.toString()).isZero();
        assertThat(vigil("incidents", "show", "--es", url, ID)).as(err.toString()).isZero();
        assertThat(vigil("incidents", "ack", "--es", url, "--as", "bob", "--reason", "seen " + HOSTILE, ID))
                .as(err.toString()).isZero();

        assertTerminalSafe(out + "" + err);
        String escaped = SafeText.escape(HOSTILE);
        assertThat(out.toString())
                .contains(ID + "  open          critical   100       1  2024-03-01T10:01:00Z  -             brute force by "
                        + escaped + "\n")
                .contains("Incident " + ID + ": brute force by " + escaped + "\n")
                .contains("user.name=" + escaped)
                .contains("host.name=host-" + escaped)
                .contains("5 failed logins for " + escaped + "\n")
                .contains("seen " + escaped);
    }
}
