package io.vigil.jobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code docker-compose.yml} against the Compose Specification's JSON schema, the one Docker Compose
 * itself validates a file with: read from {@code ../shared/specs/compose/compose-spec.json} beside
 * the checkout (never copied into the repository). {@link ComposeFileTest} checks what the schema
 * cannot (the service graph, versions, files).
 */
class ComposeSchemaTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static Schema schema;
    static JsonNode compose;

    @BeforeAll
    static void read() throws Exception {
        Path root = ComposeFileTest.repositoryRoot();
        Path spec = root.resolveSibling("shared").resolve("specs/compose/compose-spec.json");
        assertThat(spec).as("the Compose Specification's schema beside the checkout (../shared/specs/compose)")
                .isRegularFile();
        // the schema is draft 7 ("$schema"); its relative $id (compose_spec.json) resolves against the file's location
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                .getSchema(SchemaLocation.of(spec.toUri().toString()), Files.readString(spec), InputFormat.JSON);
        try (Reader in = Files.newBufferedReader(root.resolve("docker-compose.yml"))) {
            // anchors and aliases resolved first, as Docker Compose does before it validates
            compose = JSON.valueToTree(new Yaml().load(in));
        }
    }

    @Test
    void dockerComposeYmlIsValidForTheComposeSpecification() {
        List<Error> errors = schema.validate(compose);
        assertThat(errors).extracting(e -> e.getInstanceLocation() + ": " + e.getMessage()).isEmpty();
        // the file the schema passed is the real one: every service, resolved aliases included
        assertThat(compose.path("services").path("taskmanager").path("build").path("dockerfile").asText())
                .isEqualTo("deploy/docker/Dockerfile");
    }

    @Test
    void theSchemaRefusesAServiceKeyComposeDoesNotKnow() {
        ObjectNode bad = compose.deepCopy();
        ((ObjectNode) bad.path("services").path("jobmanager")).put("restart_policy", "always");
        List<Error> errors = schema.validate(bad);
        assertThat(errors).extracting(e -> e.getInstanceLocation() + ": " + e.getMessage())
                .anySatisfy(m -> assertThat(m).contains("jobmanager").contains("restart_policy"));
    }

    @Test
    void theSchemaRefusesAWrongTypeAndAnUnknownDependencyCondition() {
        ObjectNode bad = compose.deepCopy();
        ((ObjectNode) bad.path("services").path("kafka")).put("ports", 9094);
        ((ObjectNode) bad.path("services").path("vigil-setup").path("depends_on").path("kafka"))
                .put("condition", "service_ready");
        List<String> errors = schema.validate(bad).stream()
                .map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
        assertThat(errors).anySatisfy(m -> assertThat(m).contains("/services/kafka/ports"))
                .anySatisfy(m -> assertThat(m).contains("condition"));
    }
}
