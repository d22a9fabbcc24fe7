package io.vigil.rules.firstseen;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.EcsJson;
import io.vigil.model.ExtraFields;
import io.vigil.rules.Attack;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.RuleSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads first-seen rules: one JSON file per rule, {@code <id>.firstseen.json}, with its fixtures
 * beside it as {@code <id>.fixtures.json}. The packaged ones live in
 * {@value #PACKAGED_DIR}. A file with a problem is refused as a whole, with every problem named.
 *
 * <pre>
 * {"id": "first-country-for-user", "version": 1, "name": "…", "description": "…",
 *  "severity": "medium", "riskScore": 47, "tactics": ["TA0001"], "techniques": ["T1078"],
 *  "tags": ["…"], "falsePositives": "…", "references": ["https://…"],
 *  "when": {"event.category": "authentication", "event.outcome": "success"},
 *  "unless": {"user.name": ["SYSTEM", "*$"]},
 *  "key": ["user.name"], "value": ["source.geo.country_iso_code"],
 *  "ignoreCase": false, "learning": "7d", "retention": "30d", "maxValues": 1000}
 * </pre>
 */
public final class FirstSeenRules {

    /** Where the packaged first-seen rules live on the classpath. */
    public static final String PACKAGED_DIR = RuleSource.PACKAGED_ROOT + "/firstseen";
    /** The ending of a first-seen rule file. */
    public static final String SUFFIX = ".firstseen.json";

    /** Values a {@code when} or {@code unless} condition may list. */
    public static final int MAX_FILTER_VALUES = 64;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KNOWN = Set.of("id", "version", "name", "description", "severity", "riskScore",
            "tactics", "techniques", "tags", "falsePositives", "references", "when", "unless", "key", "value",
            "ignoreCase", "learning", "retention", "maxValues");

    private FirstSeenRules() {}

    /** The packaged rules, sorted by file. */
    public static List<FirstSeenRule> packaged() {
        List<FirstSeenRule> out = new ArrayList<>();
        try {
            for (RuleSource s : RuleSource.packagedFiles(PACKAGED_DIR, SUFFIX)) {
                out.add(parse(s.file(), s.drl()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * The rule declared by {@code text}, read from {@code file}.
     *
     * @throws IllegalArgumentException naming the file and every problem found
     */
    public static FirstSeenRule parse(String file, String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not JSON (line " + e.getLocation().getLineNr() + "): "
                    + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": a first-seen rule is one JSON object");
        }
        List<String> problems = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KNOWN.contains(k)) {
                problems.add("unknown property \"" + k + "\" (known: " + new java.util.TreeSet<>(KNOWN) + ")");
            }
        }
        String id = text(root, "id", true, problems);
        if (id != null && !isKebabCase(id)) {
            problems.add("\"id\" '" + id + "' is not kebab-case (a-z, 0-9, '-')");
        }
        String base = file.substring(file.lastIndexOf('/') + 1);
        if (id != null && base.endsWith(SUFFIX) && !base.equals(id + SUFFIX)) {
            problems.add("the file of rule '" + id + "' is named " + id + SUFFIX + ", not " + base);
        }
        int version = integer(root, "version", 1, problems);
        String name = text(root, "name", true, problems);
        String description = text(root, "description", true, problems);
        String severity = text(root, "severity", true, problems);
        if (severity != null) {
            severity = severity.toLowerCase(Locale.ROOT);
            if (!RuleMeta.SEVERITIES.contains(severity)) {
                problems.add("\"severity\" is one of " + RuleMeta.SEVERITIES + ", not '" + severity + "'");
            }
        }
        int riskScore = integer(root, "riskScore", -1, problems);
        if (riskScore < 0 || riskScore > 100) {
            problems.add("\"riskScore\" is 0 to 100 (required), not " + riskScore);
        }
        List<String> tactics = strings(root, "tactics", problems);
        List<String> techniques = strings(root, "techniques", problems);
        tactics.stream().filter(t -> !Attack.isTacticId(t))
                .forEach(t -> problems.add("\"tactics\": '" + t + "' is not an ATT&CK tactic id (TA0001)"));
        techniques.stream().filter(t -> !Attack.isTechniqueId(t))
                .forEach(t -> problems.add("\"techniques\": '" + t + "' is not an ATT&CK technique id (T1078)"));
        if (tactics.isEmpty() || techniques.isEmpty()) {
            problems.add("\"tactics\" and \"techniques\" name at least one ATT&CK id each");
        }
        boolean ignoreCase = root.path("ignoreCase").asBoolean(false);
        if (root.has("ignoreCase") && !root.get("ignoreCase").isBoolean()) {
            problems.add("\"ignoreCase\" is true or false");
        }
        List<FieldFilter> when = filters(root, "when", ignoreCase, problems);
        List<FieldFilter> unless = filters(root, "unless", ignoreCase, problems);
        if (when.isEmpty()) {
            problems.add("\"when\" names at least one condition (which events the rule looks at)");
        }
        List<String> key = fields(root, "key", problems);
        List<String> value = fields(root, "value", problems);
        for (String f : key) {
            if (value.contains(f)) {
                problems.add("'" + f + "' is in both \"key\" and \"value\"");
            }
        }
        long learning = duration(root, "learning", -1, problems);
        long retention = duration(root, "retention", 0, problems);
        if (retention > 0 && learning > retention) {
            problems.add("\"learning\" (" + text(root, "learning", false, problems) + ") is longer than \"retention\" ("
                    + text(root, "retention", false, problems) + "): values learned first would be forgotten "
                    + "before the learning ends");
        }
        int maxValues = integer(root, "maxValues", FirstSeenRule.DEFAULT_MAX_VALUES, problems);
        if (maxValues < 1 || maxValues > FirstSeenRule.MAX_MAX_VALUES) {
            problems.add("\"maxValues\" is 1 to " + FirstSeenRule.MAX_MAX_VALUES + ", not " + maxValues);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(file + ": " + String.join("; ", problems));
        }
        return new FirstSeenRule(id, version, name, description, severity, riskScore, tactics, techniques,
                strings(root, "tags", problems), text(root, "falsePositives", false, problems),
                strings(root, "references", problems), when, unless, key, value, ignoreCase, learning, retention,
                maxValues, file);
    }

    /** Lower-case letters and digits in words joined by single hyphens. */
    static boolean isKebabCase(String id) {
        boolean wordStart = true;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '-') {
                if (wordStart) {
                    return false;
                }
                wordStart = true;
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                wordStart = false;
            } else {
                return false;
            }
        }
        return !wordStart;
    }

    private static String text(JsonNode root, String key, boolean required, List<String> problems) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                problems.add("\"" + key + "\" is required");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            problems.add("\"" + key + "\" is a non-empty string");
            return null;
        }
        return v.asText().strip();
    }

    private static int integer(JsonNode root, String key, int dflt, List<String> problems) {
        JsonNode v = root.get(key);
        if (v == null) {
            return dflt;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            problems.add("\"" + key + "\" is a whole number, not " + v);
            return dflt;
        }
        return v.asInt();
    }

    private static List<String> strings(JsonNode root, String key, List<String> problems) {
        JsonNode v = root.get(key);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            problems.add("\"" + key + "\" is an array of strings");
            return out;
        }
        for (JsonNode e : v) {
            if (!e.isTextual() || e.asText().isBlank()) {
                problems.add("\"" + key + "\" holds non-empty strings, not " + e);
            } else {
                out.add(e.asText().strip());
            }
        }
        return out;
    }

    /** A key or value list: 1 to 3 distinct field names Vigil events can carry. */
    private static List<String> fields(JsonNode root, String key, List<String> problems) {
        if (!root.has(key)) {
            problems.add("\"" + key + "\" names 1 to " + FirstSeenRule.MAX_FIELDS + " ECS fields");
            return List.of();
        }
        List<String> out = strings(root, key, problems);
        if (out.isEmpty() || out.size() > FirstSeenRule.MAX_FIELDS) {
            problems.add("\"" + key + "\" names 1 to " + FirstSeenRule.MAX_FIELDS + " ECS fields, not " + out.size());
        }
        if (out.stream().distinct().count() < out.size()) {
            problems.add("\"" + key + "\" names a field twice");
        }
        for (String f : out) {
            checkField(key, f, problems);
        }
        return out;
    }

    private static void checkField(String where, String field, List<String> problems) {
        if (!EcsJson.isModelled(field) && !ExtraFields.isAllowed(field)) {
            problems.add("\"" + where + "\": '" + field + "' is not a field Vigil events carry (an ECS field of "
                    + "SecurityEvent or a name of the catalog extra-fields.txt)");
        }
    }

    private static List<FieldFilter> filters(JsonNode root, String key, boolean ignoreCase, List<String> problems) {
        JsonNode v = root.get(key);
        List<FieldFilter> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isObject()) {
            problems.add("\"" + key + "\" is an object: field name to a value or an array of values");
            return out;
        }
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            checkField(key, field, problems);
            JsonNode values = v.get(field);
            List<String> list = new ArrayList<>();
            if (values.isTextual()) {
                list.add(values.asText());
            } else if (values.isArray()) {
                values.forEach(e -> {
                    if (e.isTextual()) {
                        list.add(e.asText());
                    } else {
                        problems.add("\"" + key + "\"." + field + ": values are strings, not " + e);
                    }
                });
            } else {
                problems.add("\"" + key + "\"." + field + " is a string or an array of strings, not " + values);
            }
            if (list.isEmpty() || list.size() > MAX_FILTER_VALUES) {
                problems.add("\"" + key + "\"." + field + " lists 1 to " + MAX_FILTER_VALUES + " values, not "
                        + list.size());
            }
            for (String s : list) {
                if (s.isEmpty() || s.length() > Tuple.MAX_VALUE_CHARS) {
                    problems.add("\"" + key + "\"." + field + ": a value is 1 to " + Tuple.MAX_VALUE_CHARS
                            + " characters");
                }
            }
            out.add(new FieldFilter(field, list, ignoreCase));
        }
        return out;
    }

    private static long duration(JsonNode root, String key, long dflt, List<String> problems) {
        JsonNode v = root.get(key);
        if (v == null) {
            if (dflt < 0) {
                problems.add("\"" + key + "\" is required (a duration: 12h, 7d)");
            }
            return dflt;
        }
        try {
            long ms = RuleMeta.parseDuration(v.asText());
            if (ms < 0) {
                throw new IllegalArgumentException("negative");
            }
            return ms;
        } catch (IllegalArgumentException e) {
            problems.add("\"" + key + "\": " + e.getMessage());
            return dflt;
        }
    }
}
