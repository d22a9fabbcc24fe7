package io.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vigil.formats.windows.EventDataNames;
import io.vigil.model.ExtraFields;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every field SigmaHQ's Windows rules read in their detections is carried by the Windows decoder:
 * as {@code winlog.event_data.<Name>} (on {@link EventDataNames#ALLOWED} and in the catalog), or,
 * for the few System fields, as the field named in {@link #SYSTEM_FIELDS}. Computed from the rule
 * tree, so the list stays complete as the tree grows.
 */
class SigmaWindowsFieldsTest {

    static final String WINDOWS_RULES = "sigmahq-rules/rules/windows";

    /**
     * Sigma field names of the event's System part (or its rendering), which the decoder maps to
     * header fields rather than EventData, and where each one is.
     */
    static final Map<String, String> SYSTEM_FIELDS = Map.of(
            "EventID", "winlog.event_id (and event.code)",
            "Provider_Name", "winlog.provider_name (and event.provider)",
            "Channel", "winlog.channel",
            "Computer", "winlog.computer_name (and host.name)",
            "Keywords", "winlog.keywords, as the record writes them",
            "Level", "winlog.level",
            "Message", "message: the rendered text, when the shipper renders it (evtx_dump does not)");

    /** Field name → how many detections of the Windows rules name it. */
    static Map<String, Integer> detectionFields(Path rules) throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        Map<String, Integer> fields = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(rules)) {
            files = s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
        }
        for (Path file : files) {
            JsonNode detection = yaml.readTree(file.toFile()).path("detection");
            for (Map.Entry<String, JsonNode> item : detection.properties()) {
                if (!item.getKey().equals("condition") && !item.getKey().equals("timeframe")) {
                    collect(item.getValue(), fields);
                }
            }
        }
        return fields;
    }

    /** The fields of a search identifier: keys of a map, or of each map of a list (a keyword list has none). */
    private static void collect(JsonNode search, Map<String, Integer> fields) {
        if (search.isArray()) {
            search.forEach(element -> collect(element, fields));
        } else if (search.isObject()) {
            for (String key : (Iterable<String>) search::fieldNames) {
                int bar = key.indexOf('|');
                String field = bar < 0 ? key : key.substring(0, bar);
                if (!field.isEmpty()) {
                    fields.merge(field, 1, Integer::sum);
                }
            }
        }
    }

    @Test
    void everyFieldTheWindowsRulesReadIsCarried() throws IOException {
        Map<String, Integer> used = detectionFields(Datasets.root().resolve(WINDOWS_RULES));
        assertThat(used).as("fields named by SigmaHQ's Windows rules").hasSizeGreaterThan(150)
                .containsKeys("CommandLine", "Image", "TargetObject", "ScriptBlockText", "EventID");

        Set<String> missing = new TreeSet<>();
        for (String field : used.keySet()) {
            if (SYSTEM_FIELDS.containsKey(field)) {
                continue;
            }
            if (!EventDataNames.ALLOWED.contains(field)
                    || !ExtraFields.CATALOG.contains("winlog.event_data." + field)) {
                missing.add(field + " (" + used.get(field) + " uses)");
            }
        }
        assertThat(missing).as("Sigma fields neither allow-listed EventData nor a mapped System field").isEmpty();
    }

    @Test
    void theSystemFieldsAreReallyUsedAndNeverEventData() throws IOException {
        Map<String, Integer> used = detectionFields(Datasets.root().resolve(WINDOWS_RULES));
        Set<String> read = new TreeSet<>(SYSTEM_FIELDS.keySet());
        read.remove("Computer"); // listed for completeness: no rule of this snapshot reads it
        assertThat(used.keySet()).containsAll(read);
        assertThat(EventDataNames.ALLOWED).doesNotContainAnyElementsOf(SYSTEM_FIELDS.keySet());
    }

    @Test
    void spacedEventDataNamesStandForTheirAllowListedForm() {
        assertThat(EventDataNames.canonical("Source Name")).isEqualTo("SourceName");
        assertThat(EventDataNames.canonical("New Value")).isEqualTo("NewValue");
        assertThat(EventDataNames.canonical("Feature Name")).isEqualTo("Feature_Name");
        assertThat(EventDataNames.canonical("CommandLine")).isEqualTo("CommandLine");
        assertThat(EventDataNames.canonical("Not A Field")).isNull();
        assertThat(EventDataNames.canonical("Invented")).isNull();
    }
}
