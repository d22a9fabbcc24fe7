package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.jobs.stream.StreamingServices;
import io.vigil.model.EcsJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.elasticsearch.client.Request;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code vigil setup} on the minimal node, which has no index lifecycle management: policies skipped, templates working. */
class SetupRetentionTest {

    @Test
    void withoutIlmThePoliciesAreReportedSkippedAndTheTemplatesStillMakeIndices() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute("setup", "--es", StreamingServices.ES.url())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("installed index templates")
                .contains("lifecycle policies skipped: the cluster has no index lifecycle management (GET _ilm/status "
                        + "answered HTTP");

        JsonNode template = EcsJson.MAPPER.readTree(StreamingServices.REST.performRequest(
                new Request("GET", "/_index_template/vigil-events")).getEntity().getContent());
        assertThat(template.at("/index_templates/0/index_template/composed_of/0").asText())
                .isEqualTo("vigil-events-lifecycle");
        Request doc = new Request("PUT", "/vigil-events-2001.01.01/_doc/retention-test");
        doc.setEntity(new StringEntity("{\"@timestamp\":\"2001-01-01T00:00:00Z\",\"source\":{\"ip\":\"192.0.2.1\"}}",
                ContentType.APPLICATION_JSON));
        assertThat(StreamingServices.REST.performRequest(doc).getStatusLine().getStatusCode()).isEqualTo(201);
        JsonNode mapping = EcsJson.MAPPER.readTree(StreamingServices.REST.performRequest(
                new Request("GET", "/vigil-events-2001.01.01/_mapping")).getEntity().getContent());
        assertThat(mapping.at("/vigil-events-2001.01.01/mappings/properties/source/properties/ip/type").asText())
                .as("the index template applied").isEqualTo("ip");
    }
}
