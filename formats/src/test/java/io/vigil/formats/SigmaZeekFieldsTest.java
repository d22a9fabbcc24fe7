package io.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vigil.model.EcsJson;
import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every field SigmaHQ's Zeek rules read reaches the decoded event: for each (log, field) a rule
 * names, a Zeek TSV entry of that log with a recognisable value in that column is decoded, and the
 * value must be somewhere in the event (an ECS field or {@code zeek.<log>.<column>}), the raw
 * record aside.
 */
class SigmaZeekFieldsTest {

    static final String ZEEK_RULES = "sigmahq-rules/rules/network/zeek";

    /**
     * Names a Zeek rule uses that are no Zeek column: the W3C names of web server logs, which the
     * Sigma field mapping of the zeek http log must point at the Zeek ones.
     */
    static final Map<String, String> NOT_ZEEK_COLUMNS = Map.of(
            "http/c-uri", "uri: url.original",
            "http/c-useragent", "user_agent: user_agent.original");

    /** (log/field) → how many detections name it. */
    static Map<String, Integer> fieldsByLog() throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        Map<String, Integer> out = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(Datasets.root().resolve(ZEEK_RULES))) {
            files = s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
        for (Path file : files) {
            JsonNode rule = yaml.readTree(file.toFile());
            String log = rule.path("logsource").path("service").asText();
            rule.path("detection").properties().forEach(item -> {
                if (!item.getKey().equals("condition") && !item.getKey().equals("timeframe")) {
                    collect(log, item.getValue(), out);
                }
            });
        }
        return out;
    }

    private static void collect(String log, JsonNode search, Map<String, Integer> out) {
        if (search.isArray()) {
            search.forEach(element -> collect(log, element, out));
        } else if (search.isObject()) {
            for (String key : (Iterable<String>) search::fieldNames) {
                int bar = key.indexOf('|');
                String field = bar < 0 ? key : key.substring(0, bar);
                if (!field.isEmpty()) {
                    out.merge(log + "/" + field, 1, Integer::sum);
                }
            }
        }
    }

    /** A value of the column's kind that no other column of the entry has. */
    private static String valueFor(String column) {
        if (column.endsWith("_h")) {
            return "10.7.7.7";
        }
        if (column.endsWith("_p")) {
            return "4444";
        }
        return "sigma-" + column.replace('.', '-');
    }

    private static SecurityEvent decode(String log, String column, String value) {
        List<String> fields = new ArrayList<>(List.of("ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p"));
        List<String> types = new ArrayList<>(List.of("time", "string", "addr", "port", "addr", "port"));
        List<String> values = new ArrayList<>(List.of("1692161622.5", "Cz1", "10.0.0.1", "1", "10.0.0.2", "2"));
        int at = fields.indexOf(column);
        if (at >= 0) {
            values.set(at, value);
        } else {
            fields.add(column);
            types.add("string");
            values.add(value);
        }
        String header = String.join("\n", "#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)",
                "#unset_field\t-", "#path\t" + log, "#fields\t" + String.join("\t", fields),
                "#types\t" + String.join("\t", types));
        DecodeResult r = new ZeekDecoder(DecoderOptions.defaults()).decode(new RawRecord(
                String.join("\t", values).getBytes(StandardCharsets.UTF_8), Origin.file(log + ".log", 1), Formats.ZEEK,
                header, null, -1));
        assertThat(r.ok()).as("%s/%s: %s", log, column, r.error()).isTrue();
        return r.events().get(0);
    }

    @Test
    void everyFieldTheZeekRulesReadReachesTheEvent() throws IOException {
        Map<String, Integer> used = fieldsByLog();
        assertThat(used).as("fields named by SigmaHQ's Zeek rules").hasSizeGreaterThan(20)
                .containsKeys("dns/query", "smb_files/name", "http/resp_mime_types");

        Set<String> lost = new TreeSet<>();
        for (String logField : used.keySet()) {
            if (NOT_ZEEK_COLUMNS.containsKey(logField)) {
                continue;
            }
            String log = logField.substring(0, logField.indexOf('/'));
            String column = logField.substring(log.length() + 1);
            String value = valueFor(column);
            SecurityEvent e = decode(log, column, value);
            String json = EcsJson.write(e.toBuilder().eventOriginal(null).build());
            if (!json.contains("\"" + value + "\"") && !json.contains(":" + value)) {
                lost.add(logField + " (" + used.get(logField) + " uses)");
            }
        }
        assertThat(lost).as("Sigma Zeek fields the decoder drops").isEmpty();
    }
}
