package io.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vigil.model.EcsJson;
import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * Every field SigmaHQ's CloudTrail rules read reaches the decoded event: a CloudTrail record with a
 * recognisable value at that field's path is decoded, and the value must be on the event (an ECS
 * field, an {@code aws.cloudtrail.*} field, or inside the JSON text of {@code requestParameters},
 * {@code responseElements} or {@code additionalEventData}, which are kept whole), the raw record
 * aside.
 */
class SigmaCloudTrailFieldsTest {

    static final String AWS_RULES = "sigmahq-rules/rules/cloud/aws";

    /** Names a CloudTrail rule uses that are no CloudTrail member, and what Vigil has instead. */
    static final Map<String, String> NOT_CLOUDTRAIL_MEMBERS = Map.of(
            "status", "event.outcome (success unless errorCode, or a failed ConsoleLogin)");

    static Set<String> fields() throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        Set<String> out = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(Datasets.root().resolve(AWS_RULES))) {
            files = s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
        for (Path file : files) {
            yaml.readTree(file.toFile()).path("detection").properties().forEach(item -> {
                if (!item.getKey().equals("condition") && !item.getKey().equals("timeframe")) {
                    collect(item.getValue(), out);
                }
            });
        }
        return out;
    }

    private static void collect(JsonNode search, Set<String> out) {
        if (search.isArray()) {
            search.forEach(element -> collect(element, out));
        } else if (search.isObject()) {
            for (String key : (Iterable<String>) search::fieldNames) {
                int bar = key.indexOf('|');
                String field = bar < 0 ? key : key.substring(0, bar);
                if (!field.isEmpty()) {
                    out.add(field);
                }
            }
        }
    }

    /** A record whose member at the dotted {@code path} is {@code value}. */
    private static String record(String path, String value) {
        ObjectNode doc = EcsJson.MAPPER.createObjectNode();
        doc.put("eventVersion", "1.08").put("eventTime", "2024-05-01T10:00:00Z").put("eventSource", "iam.amazonaws.com")
                .put("eventName", "CreateUser").put("awsRegion", "us-east-1").put("sourceIPAddress", "198.51.100.7");
        ObjectNode at = doc;
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = at.get(parts[i]);
            at = child instanceof ObjectNode o ? o : at.putObject(parts[i]);
        }
        at.put(parts[parts.length - 1], value);
        return EcsJson.toJson(doc);
    }

    @Test
    void everyFieldTheCloudTrailRulesReadReachesTheEvent() throws IOException {
        Set<String> used = fields();
        assertThat(used).as("fields named by SigmaHQ's CloudTrail rules").hasSizeGreaterThan(15)
                .contains("eventName", "eventSource", "userIdentity.arn", "requestParameters.attribute");

        CloudTrailDecoder decoder = new CloudTrailDecoder(DecoderOptions.defaults());
        Map<String, String> lost = new TreeMap<>();
        for (String field : used) {
            if (NOT_CLOUDTRAIL_MEMBERS.containsKey(field)) {
                continue;
            }
            String value = field.equals("sourceIPAddress") ? "203.0.113.9" : "sigma-" + field.replace('.', '-');
            DecodeResult r = decoder.decode(RawRecord.of(record(field, value).getBytes(StandardCharsets.UTF_8),
                    Origin.file("ct.json", 1), Formats.CLOUDTRAIL));
            assertThat(r.ok()).as("%s: %s", field, r.error()).isTrue();
            SecurityEvent e = r.events().get(0);
            String json = EcsJson.write(e.toBuilder().eventOriginal(null).build());
            if (!json.contains(value)) {
                lost.put(field, json);
            }
        }
        assertThat(lost.keySet()).as("Sigma CloudTrail fields the decoder drops").isEmpty();
    }
}
