package io.vigil.cli.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks Kibana saved objects (ndjson) against Vigil's index templates: every reference resolves
 * to an object of the file, every data view matches a template's index pattern, every field a
 * Lens column, query or filter names is mapped by that template with a type the operation accepts,
 * and every column a saved search shows is mapped, and every field it sorts on sortable. Returns
 * what is wrong, one line per problem.
 */
final class SavedObjectsCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RECORDS = "___records___";
    private static final String LAYER_REFERENCE = "indexpattern-datasource-layer-";
    private static final int GRID_COLUMNS = 48;

    private static final Set<String> NUMERIC = Set.of("long", "integer", "short", "byte", "float", "double",
            "half_float", "scaled_float");
    private static final Set<String> TERMS = Set.of("keyword", "ip", "long", "integer", "short", "byte", "boolean");
    private static final Set<String> AGGREGATABLE = union(TERMS, NUMERIC, Set.of("date"));
    /** What a saved search can sort on: doc values, so not {@code text}. */
    private static final Set<String> SORTABLE = AGGREGATABLE;
    /** The object types this check knows how to check. */
    private static final Set<String> TYPES = Set.of("index-pattern", "lens", "search", "dashboard");
    /** The reference a saved search's data view goes by. */
    private static final String SEARCH_SOURCE_INDEX = "kibanaSavedObjectMeta.searchSourceJSON.index";

    /** Field types each Lens operation accepts. */
    private static final Map<String, Set<String>> OPERATIONS = Map.ofEntries(
            Map.entry("terms", TERMS),
            Map.entry("date_histogram", Set.of("date")),
            Map.entry("count", AGGREGATABLE),
            Map.entry("unique_count", AGGREGATABLE),
            Map.entry("last_value", AGGREGATABLE),
            Map.entry("sum", NUMERIC),
            Map.entry("average", NUMERIC),
            Map.entry("min", union(NUMERIC, Set.of("date"))),
            Map.entry("max", union(NUMERIC, Set.of("date"))),
            Map.entry("median", NUMERIC),
            Map.entry("percentile", NUMERIC));

    /** Lens column data types and the field types they stand for. */
    private static final Map<String, Set<String>> DATA_TYPES = Map.of(
            "string", Set.of("keyword"),
            "ip", Set.of("ip"),
            "number", NUMERIC,
            "date", Set.of("date"),
            "boolean", Set.of("boolean"));

    /** {@code field :} or {@code field >= ...} in KQL, once quoted values are removed. */
    private static final Pattern KQL_FIELD = Pattern.compile("([A-Za-z_@][\\w.@]*)\\s*(?::|<=|>=|<|>)");
    private static final Pattern KQL_QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

    private final List<IndexMapping> mappings;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, JsonNode> objects = new LinkedHashMap<>();
    private final Map<String, IndexMapping> dataViews = new HashMap<>();

    private SavedObjectsCheck(List<IndexMapping> mappings) {
        this.mappings = mappings;
    }

    /** The problems of {@code ndjson} against {@code mappings}; empty when there are none. */
    static List<String> problems(String ndjson, List<IndexMapping> mappings) {
        SavedObjectsCheck check = new SavedObjectsCheck(mappings);
        check.run(ndjson);
        return check.problems;
    }

    /** The objects of {@code ndjson}, in file order. */
    static List<JsonNode> parse(String ndjson) {
        List<JsonNode> objects = new ArrayList<>();
        for (String line : ndjson.split("\n")) {
            if (!line.isBlank()) {
                try {
                    objects.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new IllegalArgumentException("not a JSON object: " + line, e);
                }
            }
        }
        return objects;
    }

    /** A JSON string attribute ({@code panelsJSON}, {@code searchSourceJSON}) parsed. */
    static JsonNode embedded(JsonNode text) {
        try {
            return JSON.readTree(text.asText());
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + text, e);
        }
    }

    private void run(String ndjson) {
        for (JsonNode object : parse(ndjson)) {
            String key = key(object.path("type").asText(), object.path("id").asText());
            if (object.path("id").asText().isEmpty() || !object.path("attributes").isObject()
                    || !object.path("references").isArray()) {
                problems.add(key + ": needs an id, attributes and references");
            }
            if (objects.put(key, object) != null) {
                problems.add(key + ": appears twice");
            }
            if (!TYPES.contains(type(object))) {
                problems.add(key + ": a type this check does not know (" + TYPES + "): teach it what to check");
            }
        }
        objects.values().forEach(this::checkReferences);
        objects.values().stream().filter(o -> type(o).equals("index-pattern")).forEach(this::checkDataView);
        objects.values().stream().filter(o -> type(o).equals("lens")).forEach(this::checkLens);
        objects.values().stream().filter(o -> type(o).equals("search")).forEach(this::checkSearch);
        objects.values().stream().filter(o -> type(o).equals("dashboard")).forEach(this::checkDashboard);
    }

    private void checkReferences(JsonNode object) {
        Set<String> names = new HashSet<>();
        for (JsonNode reference : object.path("references")) {
            String target = key(reference.path("type").asText(), reference.path("id").asText());
            if (!objects.containsKey(target)) {
                problems.add(key(object) + ": reference " + reference.path("name").asText() + " points to " + target
                        + ", which is not in the file");
            }
            if (!names.add(reference.path("name").asText())) {
                problems.add(key(object) + ": reference name " + reference.path("name").asText() + " used twice");
            }
        }
    }

    private void checkDataView(JsonNode view) {
        String title = view.path("attributes").path("title").asText();
        List<IndexMapping> matching = mappings.stream().filter(m -> m.indexPatterns().contains(title)).toList();
        if (matching.size() != 1) {
            problems.add(key(view) + ": title " + title + " matches " + matching.size()
                    + " Vigil index template(s); expected exactly one index pattern");
            return;
        }
        IndexMapping mapping = matching.get(0);
        dataViews.put(view.path("id").asText(), mapping);
        String timeField = view.path("attributes").path("timeFieldName").asText();
        if (!mapping.type(timeField).map("date"::equals).orElse(false)) {
            problems.add(key(view) + ": time field " + timeField + " is not a date in template " + mapping.template());
        }
    }

    private void checkLens(JsonNode lens) {
        JsonNode state = lens.path("attributes").path("state");
        JsonNode layers = state.path("datasourceStates").path("formBased").path("layers");
        if (!layers.isObject() || layers.isEmpty()) {
            problems.add(key(lens) + ": no formBased layers");
            return;
        }
        Set<String> columnIds = new HashSet<>();
        IndexMapping firstMapping = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = layers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> layer = it.next();
            IndexMapping mapping = layerMapping(lens, layer.getKey());
            firstMapping = firstMapping == null ? mapping : firstMapping;
            JsonNode columns = layer.getValue().path("columns");
            Set<String> ordered = new HashSet<>();
            layer.getValue().path("columnOrder").forEach(id -> ordered.add(id.asText()));
            Set<String> declared = new HashSet<>();
            columns.fieldNames().forEachRemaining(declared::add);
            if (!ordered.equals(declared)) {
                problems.add(key(lens) + ": layer " + layer.getKey() + " columnOrder " + ordered + " differs from its columns "
                        + declared);
            }
            columnIds.addAll(declared);
            if (mapping != null) {
                columns.fields().forEachRemaining(column -> checkColumn(lens, mapping, column.getKey(), column.getValue()));
            }
        }
        checkAccessors(lens, state.path("visualization"), columnIds);
        if (firstMapping != null) {
            checkQuery(lens, firstMapping, state.path("query"));
            for (JsonNode filter : state.path("filters")) {
                checkField(lens, firstMapping, filter.path("meta").path("key").asText(), "filter");
                checkQuery(lens, firstMapping, filter.path("query"));
            }
        }
    }

    /** A saved search (Discover): its data view, the columns it shows, what it sorts on, its query and filters. */
    private void checkSearch(JsonNode search) {
        JsonNode attributes = search.path("attributes");
        JsonNode source = embedded(attributes.path("kibanaSavedObjectMeta").path("searchSourceJSON"));
        String refName = source.path("indexRefName").asText();
        IndexMapping mapping = null;
        JsonNode reference = null;
        for (JsonNode r : search.path("references")) {
            if (r.path("name").asText().equals(refName)) {
                reference = r;
            }
        }
        if (!refName.equals(SEARCH_SOURCE_INDEX) || reference == null) {
            problems.add(key(search) + ": searchSourceJSON.indexRefName should be " + SEARCH_SOURCE_INDEX
                    + ", a reference of the object, not '" + refName + "'");
        } else {
            mapping = dataViews.get(reference.path("id").asText());
            if (mapping == null || !reference.path("type").asText().equals("index-pattern")) {
                problems.add(key(search) + ": searches " + reference.path("id").asText()
                        + ", not a data view of the file matching a Vigil template");
            }
        }
        if (attributes.path("title").asText().isBlank()) {
            problems.add(key(search) + ": has no title");
        }
        if (!attributes.path("columns").isArray() || attributes.path("columns").isEmpty()) {
            problems.add(key(search) + ": shows no column");
        }
        if (mapping == null) {
            return;
        }
        for (JsonNode column : attributes.path("columns")) {
            checkField(search, mapping, column.asText(), "column");
        }
        for (JsonNode sort : attributes.path("sort")) {
            String field = sort.path(0).asText();
            String direction = sort.path(1).asText();
            if (!Set.of("asc", "desc").contains(direction)) {
                problems.add(key(search) + ": sort on " + field + " is neither asc nor desc but '" + direction + "'");
            }
            IndexMapping m = mapping;
            m.type(field).ifPresentOrElse(type -> {
                if (!SORTABLE.contains(type)) {
                    problems.add(key(search) + ": sorts on " + field + ", a " + type + " field in template " + m.template()
                            + "; sorting needs one of " + SORTABLE);
                }
            }, () -> checkField(search, m, field, "sort"));
        }
        checkQuery(search, mapping, source.path("query"));
        for (JsonNode filter : source.path("filter")) {
            checkField(search, mapping, filter.path("meta").path("key").asText(), "filter");
            checkQuery(search, mapping, filter.path("query"));
        }
    }

    private IndexMapping layerMapping(JsonNode lens, String layerId) {
        for (JsonNode reference : lens.path("references")) {
            if (reference.path("name").asText().equals(LAYER_REFERENCE + layerId)) {
                IndexMapping mapping = dataViews.get(reference.path("id").asText());
                if (mapping == null || !reference.path("type").asText().equals("index-pattern")) {
                    problems.add(key(lens) + ": layer " + layerId + " references " + reference.path("id").asText()
                            + ", not a data view of the file matching a Vigil template");
                }
                return mapping;
            }
        }
        problems.add(key(lens) + ": layer " + layerId + " has no reference " + LAYER_REFERENCE + layerId);
        return null;
    }

    private void checkColumn(JsonNode lens, IndexMapping mapping, String id, JsonNode column) {
        String operation = column.path("operationType").asText();
        String field = column.path("sourceField").asText();
        Set<String> accepted = OPERATIONS.get(operation);
        if (accepted == null) {
            problems.add(key(lens) + ": column " + id + " uses operation " + operation
                    + ", which this check does not know: teach it the field types it accepts");
            return;
        }
        if (field.isEmpty() || (operation.equals("count") && field.equals(RECORDS))) {
            return;
        }
        String where = "column " + id + " (" + operation + ")";
        mapping.type(field).ifPresentOrElse(type -> {
            if (!accepted.contains(type)) {
                problems.add(key(lens) + ": " + where + " on " + field + ", a " + type + " field in template "
                        + mapping.template() + "; " + operation + " needs one of " + accepted);
            }
            // a bucket column's values are the field's values; a metric's are numbers
            Set<String> forDataType = DATA_TYPES.get(column.path("dataType").asText());
            if (column.path("isBucketed").asBoolean() && (forDataType == null || !forDataType.contains(type))) {
                problems.add(key(lens) + ": " + where + " declares dataType " + column.path("dataType").asText()
                        + " but " + field + " is a " + type + " field");
            }
        }, () -> problems.add(key(lens) + ": " + where + " names field " + field + ", which template "
                + mapping.template() + " does not map"));
    }

    /** Every column a visualization shows must be a column of the layers. */
    private void checkAccessors(JsonNode lens, JsonNode visualization, Set<String> columnIds) {
        List<String> accessors = new ArrayList<>();
        collectAccessors(visualization, accessors);
        for (String accessor : accessors) {
            if (!columnIds.contains(accessor)) {
                problems.add(key(lens) + ": the visualization shows column " + accessor + ", which no layer defines");
            }
        }
        if (accessors.isEmpty()) {
            problems.add(key(lens) + ": the visualization shows no column");
        }
    }

    private static void collectAccessors(JsonNode node, List<String> accessors) {
        node.fields().forEachRemaining(entry -> {
            String name = entry.getKey();
            JsonNode value = entry.getValue();
            if (name.endsWith("Accessor") && value.isTextual()) {
                accessors.add(value.asText());
            } else if (Set.of("accessors", "metrics", "primaryGroups", "secondaryGroups").contains(name) && value.isArray()) {
                value.forEach(v -> accessors.add(v.asText()));
            } else if (value.isArray()) {
                value.forEach(v -> collectAccessors(v, accessors));
            } else if (value.isObject()) {
                collectAccessors(value, accessors);
            }
        });
    }

    private void checkQuery(JsonNode object, IndexMapping mapping, JsonNode query) {
        String text = query.path("query").asText("");
        if (text.isBlank()) {
            return;
        }
        if (!query.path("language").asText().equals("kuery")) {
            problems.add(key(object) + ": query '" + text + "' is not KQL; this check reads KQL only");
            return;
        }
        for (String field : kqlFields(text)) {
            checkField(object, mapping, field, "query '" + text + "'");
        }
    }

    private void checkField(JsonNode object, IndexMapping mapping, String field, String where) {
        if (!field.isEmpty() && mapping.type(field).isEmpty()) {
            problems.add(key(object) + ": " + where + " names field " + field + ", which template " + mapping.template()
                    + " does not map");
        }
    }

    /** The field names a KQL query compares ({@code a.b : "x" and c >= 1} gives a.b and c). */
    static List<String> kqlFields(String kql) {
        Matcher matcher = KQL_FIELD.matcher(KQL_QUOTED.matcher(kql).replaceAll("\"\""));
        List<String> fields = new ArrayList<>();
        while (matcher.find()) {
            fields.add(matcher.group(1));
        }
        return fields;
    }

    private void checkDashboard(JsonNode dashboard) {
        JsonNode attributes = dashboard.path("attributes");
        Map<String, JsonNode> references = new HashMap<>();
        dashboard.path("references").forEach(r -> references.put(r.path("name").asText(), r));
        Set<String> shown = new HashSet<>();
        for (JsonNode panel : embedded(attributes.path("panelsJSON"))) {
            String index = panel.path("panelIndex").asText();
            String name = index + ":" + panel.path("panelRefName").asText();
            JsonNode reference = references.get(name);
            if (reference == null) {
                problems.add(key(dashboard) + ": panel " + index + " has no reference named " + name);
                continue;
            }
            if (!reference.path("type").asText().equals(panel.path("type").asText())) {
                problems.add(key(dashboard) + ": panel " + index + " is a " + panel.path("type").asText()
                        + " but its reference is a " + reference.path("type").asText());
            }
            if (!panel.path("gridData").path("i").asText().equals(index)) {
                problems.add(key(dashboard) + ": panel " + index + " gridData.i differs from its panelIndex");
            }
            JsonNode grid = panel.path("gridData");
            if (grid.path("x").asInt(-1) < 0 || grid.path("w").asInt(0) <= 0
                    || grid.path("x").asInt() + grid.path("w").asInt() > GRID_COLUMNS) {
                problems.add(key(dashboard) + ": panel " + index + " does not fit the 48-column grid");
            }
            shown.add(key(reference.path("type").asText(), reference.path("id").asText()));
        }
        objects.values().stream().filter(o -> type(o).equals("lens")).map(SavedObjectsCheck::key)
                .filter(lens -> !shown.contains(lens))
                .forEach(lens -> problems.add(key(dashboard) + ": does not show " + lens));
    }

    private static String type(JsonNode object) {
        return object.path("type").asText();
    }

    private static String key(JsonNode object) {
        return key(type(object), object.path("id").asText());
    }

    private static String key(String type, String id) {
        return type + " " + id;
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new HashSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return Set.copyOf(all);
    }
}
