package io.vigil.cli.kibana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged Kibana saved objects: consistent references, and only fields the Vigil index
 * templates map, with types the visualizations can aggregate. The mutation tests show the check
 * catches what it claims to.
 */
class VigilSavedObjectsTest {

    private static final List<IndexMapping> TEMPLATES = IndexMapping.all();

    private static String shipped() {
        return new String(VigilSavedObjects.ndjson(), StandardCharsets.UTF_8);
    }

    private static List<String> problems(String ndjson) {
        return SavedObjectsCheck.problems(ndjson, TEMPLATES);
    }

    @Test
    void theShippedObjectsMatchTheIndexTemplates() {
        assertThat(problems(shipped())).isEmpty();
    }

    @Test
    void theClasspathCopyIsTheFileInDeploy() throws Exception {
        Path deploy = Path.of("..", "deploy", "kibana", VigilSavedObjects.FILE_NAME);
        assertThat(VigilSavedObjects.ndjson()).isEqualTo(Files.readAllBytes(deploy));
    }

    @Test
    void everyLineIsOneObjectAndTheDataViewsHaveStableIds() {
        List<JsonNode> objects = SavedObjectsCheck.parse(shipped());
        assertThat(objects).hasSize(VigilSavedObjects.count(VigilSavedObjects.ndjson()));
        Map<String, String> dataViews = new HashMap<>();
        objects.stream().filter(o -> o.path("type").asText().equals("index-pattern"))
                .forEach(o -> dataViews.put(o.path("id").asText(), o.path("attributes").path("title").asText()));
        assertThat(dataViews).containsExactlyInAnyOrderEntriesOf(Map.of(
                "vigil-alerts", "vigil-alerts-*", "vigil-incidents", "vigil-incidents*", "vigil-timeline", "vigil-timeline-*",
                "vigil-deliveries", "vigil-deliveries-*"));
        assertThat(objects).anySatisfy(o -> {
            assertThat(o.path("type").asText()).isEqualTo("dashboard");
            assertThat(o.path("id").asText()).isEqualTo(VigilSavedObjects.DASHBOARD_ID);
        });
    }

    @Test
    void theDashboardShowsWhatTheSocWatches() {
        List<String> shown = dashboardColumns();
        assertThat(shown).contains(
                "vigil-alerts date_histogram @timestamp",
                "vigil-alerts terms vigil.alert.severity",
                "vigil-alerts terms rule.name",
                "vigil-alerts terms source.ip",
                "vigil-alerts terms user.name",
                "vigil-alerts terms host.name",
                "vigil-alerts terms threat.tactic.name",
                "vigil-incidents terms vigil.incident.severity [vigil.incident.status : \"open\"]",
                "vigil-incidents terms vigil.incident.tactics [vigil.incident.status : \"open\"]",
                "vigil-deliveries count ___records___ "
                        + "[vigil.delivery.outcome : (\"failed\" or \"exhausted\" or \"refused\")]");
    }

    @Test
    void theWebhookDeliveriesSearchShowsEachAttempt() {
        JsonNode search = SavedObjectsCheck.parse(shipped()).stream()
                .filter(o -> o.path("type").asText().equals("search")).findFirst().orElseThrow();
        assertThat(search.path("id").asText()).isEqualTo("vigil-webhook-deliveries");
        JsonNode attributes = search.path("attributes");
        assertThat(attributes.path("title").asText()).isEqualTo("Vigil webhook deliveries");
        assertThat(attributes.path("columns")).extracting(JsonNode::asText).containsExactly("vigil.delivery.endpoint",
                "vigil.delivery.outcome", "vigil.delivery.attempt", "http.response.status_code",
                "vigil.delivery.subject.id", "error.message");
        assertThat(attributes.path("sort").toString()).isEqualTo("[[\"@timestamp\",\"desc\"]]");
        assertThat(search.path("references").toString()).isEqualTo("[{\"type\":\"index-pattern\","
                + "\"id\":\"vigil-deliveries\",\"name\":\"kibanaSavedObjectMeta.searchSourceJSON.index\"}]");
    }

    /** "dataView operation field [query]" for each Lens column of the dashboard's panels. */
    private static List<String> dashboardColumns() {
        List<JsonNode> objects = SavedObjectsCheck.parse(shipped());
        Map<String, JsonNode> lensById = new HashMap<>();
        objects.stream().filter(o -> o.path("type").asText().equals("lens"))
                .forEach(o -> lensById.put(o.path("id").asText(), o));
        JsonNode dashboard = objects.stream().filter(o -> o.path("type").asText().equals("dashboard")).findFirst()
                .orElseThrow();
        List<String> columns = new ArrayList<>();
        for (JsonNode reference : dashboard.path("references")) {
            JsonNode lens = lensById.get(reference.path("id").asText());
            String dataView = lens.path("references").get(0).path("id").asText();
            JsonNode state = lens.path("attributes").path("state");
            String query = state.path("query").path("query").asText();
            state.path("datasourceStates").path("formBased").path("layers").forEach(layer ->
                    layer.path("columns").forEach(column -> columns.add(dataView + " "
                            + column.path("operationType").asText() + " " + column.path("sourceField").asText()
                            + (query.isEmpty() ? "" : " [" + query + "]"))));
        }
        return columns;
    }

    @Test
    void aFieldNoTemplateMapsIsReported() {
        String broken = replaceIn("vigil-top-rules", "\"sourceField\":\"rule.name\"", "\"sourceField\":\"rule.nam\"");
        assertThat(problems(broken)).singleElement().asString()
                .contains("lens vigil-top-rules").contains("rule.nam").contains("does not map");
    }

    @Test
    void aTermsColumnOnATextFieldIsReported() {
        String broken = replaceIn("vigil-top-rules", "\"sourceField\":\"rule.name\"",
                "\"sourceField\":\"rule.description\"");
        assertThat(problems(broken)).anySatisfy(p -> assertThat(p)
                .contains("rule.description").contains("a text field").contains("terms needs one of"));
    }

    @Test
    void aDateHistogramOnANonDateFieldIsReported() {
        String broken = replaceIn("vigil-alerts-over-time", "\"sourceField\":\"@timestamp\"",
                "\"sourceField\":\"event.severity\"");
        assertThat(problems(broken)).anySatisfy(p -> assertThat(p)
                .contains("lens vigil-alerts-over-time").contains("event.severity, a long field"));
    }

    @Test
    void aFieldOfAnotherIndexIsReported() {
        // vigil.incident.severity exists, but not in the alerts template this panel reads
        String broken = replaceIn("vigil-alerts-over-time", "\"sourceField\":\"vigil.alert.severity\"",
                "\"sourceField\":\"vigil.incident.severity\"");
        assertThat(problems(broken)).anySatisfy(p -> assertThat(p)
                .contains("vigil.incident.severity").contains("template vigil-alerts does not map"));
    }

    @Test
    void aQueryOnAnUnknownFieldIsReported() {
        String broken = replaceIn("vigil-open-incidents-by-severity", "vigil.incident.status :", "vigil.incident.state :");
        assertThat(problems(broken)).anySatisfy(p -> assertThat(p)
                .contains("vigil.incident.state").contains("query"));
    }

    @Test
    void aDanglingReferenceIsReported() {
        String broken = replaceIn("vigil-soc", "\"id\":\"vigil-top-hosts\"", "\"id\":\"vigil-top-hostz\"");
        assertThat(problems(broken)).anySatisfy(p -> assertThat(p)
                .contains("dashboard vigil-soc").contains("lens vigil-top-hostz, which is not in the file"));
    }

    @Test
    void aDataViewNoTemplateMatchesIsReported() {
        String broken = replaceIn("vigil-alerts", "\"title\":\"vigil-alerts-*\"", "\"title\":\"vigil-alert-*\"");
        assertThat(problems(broken)).anySatisfy(p -> assertThat(p)
                .contains("index-pattern vigil-alerts").contains("matches 0 Vigil index template"));
    }

    @Test
    void aSearchColumnNoTemplateMapsIsReported() {
        String broken = replaceIn("vigil-webhook-deliveries", "\"vigil.delivery.attempt\"", "\"vigil.delivery.attempts\"");
        assertThat(problems(broken)).singleElement().asString().contains("search vigil-webhook-deliveries")
                .contains("column names field vigil.delivery.attempts").contains("template vigil-deliveries does not map");
    }

    @Test
    void aSearchSortedOnATextFieldIsReported() {
        String broken = replaceIn("vigil-webhook-deliveries", "[[\"@timestamp\",\"desc\"]]",
                "[[\"error.message\",\"desc\"]]");
        assertThat(problems(broken)).singleElement().asString().contains("search vigil-webhook-deliveries")
                .contains("sorts on error.message, a text field");
    }

    @Test
    void aSearchOfAnotherDataViewIsCheckedAgainstItsTemplate() {
        // the timeline template maps none of the delivery fields
        String broken = replaceIn("vigil-webhook-deliveries", "\"id\":\"vigil-deliveries\",\"name\"",
                "\"id\":\"vigil-timeline\",\"name\"");
        assertThat(problems(broken)).hasSize(6).allSatisfy(p -> assertThat(p)
                .contains("search vigil-webhook-deliveries").contains("template vigil-timeline does not map"));
    }

    @Test
    void aSearchWithoutItsDataViewReferenceIsReported() {
        String broken = replaceIn("vigil-webhook-deliveries", "\\\"indexRefName\\\":\\\"kibanaSavedObjectMeta",
                "\\\"indexRefName\\\":\\\"kibanaSavedObjectMetadata");
        assertThat(problems(broken)).singleElement().asString().contains("search vigil-webhook-deliveries")
                .contains("indexRefName should be kibanaSavedObjectMeta.searchSourceJSON.index");
    }

    @Test
    void anObjectTypeTheCheckDoesNotKnowIsReported() {
        String broken = replaceIn("vigil-webhook-deliveries", "\"type\":\"search\"", "\"type\":\"visualization\"");
        assertThat(problems(broken)).singleElement().asString().contains("visualization vigil-webhook-deliveries")
                .contains("a type this check does not know");
    }

    @Test
    void kqlFieldsAreReadOutsideQuotedValues() {
        assertThat(SavedObjectsCheck.kqlFields("a.b : \"x: y\" and not @timestamp >= now-1d or c:d"))
                .containsExactly("a.b", "@timestamp", "c");
    }

    /** The shipped file with {@code from} replaced by {@code to} in the object {@code id}, where it occurs once. */
    private static String replaceIn(String id, String from, String to) {
        StringBuilder result = new StringBuilder();
        int replaced = 0;
        for (String line : shipped().split("\n")) {
            if (line.contains("\"id\":\"" + id + "\",\"managed\"")) {
                assertThat(line.split(java.util.regex.Pattern.quote(from), -1)).as("'%s' occurs once in %s", from, id)
                        .hasSize(2);
                line = line.replace(from, to);
                replaced++;
            }
            result.append(line).append('\n');
        }
        assertThat(replaced).as("objects with id %s", id).isEqualTo(1);
        return result.toString();
    }
}
