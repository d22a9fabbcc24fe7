package io.vigil.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The JSON codec of Vigil's documents: a {@link SecurityEvent} as a nested ECS document and back,
 * and a {@link DeadLetter} as a document.
 *
 * <p>One table ({@link #FIELDS}) names each ECS field once with its accessor and its builder
 * setter, so writing and reading cannot drift apart.
 */
public final class EcsJson {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    /** ECS name of the event time. */
    public static final String TIMESTAMP = "@timestamp";

    enum Kind { STRING, INT, LONG, LIST }

    record Field(String name, Kind kind, Function<SecurityEvent, Object> get,
                         BiConsumer<SecurityEvent.Builder, Object> set) {}

    private static Field str(String name, Function<SecurityEvent, Object> get, BiConsumer<SecurityEvent.Builder, String> set) {
        return new Field(name, Kind.STRING, get, (b, v) -> set.accept(b, (String) v));
    }

    private static Field integer(String name, Function<SecurityEvent, Object> get, BiConsumer<SecurityEvent.Builder, Integer> set) {
        return new Field(name, Kind.INT, get, (b, v) -> set.accept(b, (Integer) v));
    }

    private static Field lng(String name, Function<SecurityEvent, Object> get, BiConsumer<SecurityEvent.Builder, Long> set) {
        return new Field(name, Kind.LONG, get, (b, v) -> set.accept(b, (Long) v));
    }

    @SuppressWarnings("unchecked")
    private static Field list(String name, Function<SecurityEvent, Object> get, BiConsumer<SecurityEvent.Builder, String> add) {
        return new Field(name, Kind.LIST, get, (b, v) -> ((List<String>) v).forEach(s -> add.accept(b, s)));
    }

    /** Every ECS field with a component of its own, in document order. */
    static final List<Field> FIELDS = List.of(
            str("message", SecurityEvent::message, SecurityEvent.Builder::message),
            list("tags", SecurityEvent::tags, SecurityEvent.Builder::tag),
            str("event.kind", SecurityEvent::eventKind, SecurityEvent.Builder::eventKind),
            list("event.category", SecurityEvent::eventCategory, SecurityEvent.Builder::addEventCategory),
            list("event.type", SecurityEvent::eventType, SecurityEvent.Builder::addEventType),
            str("event.action", SecurityEvent::eventAction, SecurityEvent.Builder::eventAction),
            str("event.outcome", SecurityEvent::eventOutcome, SecurityEvent.Builder::eventOutcome),
            str("event.code", SecurityEvent::eventCode, SecurityEvent.Builder::eventCode),
            str("event.provider", SecurityEvent::eventProvider, SecurityEvent.Builder::eventProvider),
            str("event.dataset", SecurityEvent::eventDataset, SecurityEvent.Builder::eventDataset),
            str("event.module", SecurityEvent::eventModule, SecurityEvent.Builder::eventModule),
            lng("event.sequence", SecurityEvent::eventSequence, SecurityEvent.Builder::eventSequence),
            str("event.original", SecurityEvent::eventOriginal, SecurityEvent.Builder::eventOriginal),
            str("source.ip", SecurityEvent::sourceIp, SecurityEvent.Builder::sourceIp),
            integer("source.port", SecurityEvent::sourcePort, SecurityEvent.Builder::sourcePort),
            str("source.domain", SecurityEvent::sourceDomain, SecurityEvent.Builder::sourceDomain),
            str("destination.ip", SecurityEvent::destinationIp, SecurityEvent.Builder::destinationIp),
            integer("destination.port", SecurityEvent::destinationPort, SecurityEvent.Builder::destinationPort),
            str("destination.domain", SecurityEvent::destinationDomain, SecurityEvent.Builder::destinationDomain),
            str("user.name", SecurityEvent::userName, SecurityEvent.Builder::userName),
            str("user.domain", SecurityEvent::userDomain, SecurityEvent.Builder::userDomain),
            str("user.id", SecurityEvent::userId, SecurityEvent.Builder::userId),
            str("user.target.name", SecurityEvent::userTargetName, SecurityEvent.Builder::userTargetName),
            str("host.name", SecurityEvent::hostName, SecurityEvent.Builder::hostName),
            str("host.hostname", SecurityEvent::hostHostname, SecurityEvent.Builder::hostHostname),
            str("process.name", SecurityEvent::processName, SecurityEvent.Builder::processName),
            lng("process.pid", SecurityEvent::processPid, SecurityEvent.Builder::processPid),
            str("process.command_line", SecurityEvent::processCommandLine, SecurityEvent.Builder::processCommandLine),
            str("process.executable", SecurityEvent::processExecutable, SecurityEvent.Builder::processExecutable),
            str("process.parent.executable", SecurityEvent::processParentExecutable, SecurityEvent.Builder::processParentExecutable),
            str("url.original", SecurityEvent::urlOriginal, SecurityEvent.Builder::urlOriginal),
            str("url.path", SecurityEvent::urlPath, SecurityEvent.Builder::urlPath),
            str("url.query", SecurityEvent::urlQuery, SecurityEvent.Builder::urlQuery),
            str("url.domain", SecurityEvent::urlDomain, SecurityEvent.Builder::urlDomain),
            str("http.request.method", SecurityEvent::httpRequestMethod, SecurityEvent.Builder::httpRequestMethod),
            str("http.request.referrer", SecurityEvent::httpRequestReferrer, SecurityEvent.Builder::httpRequestReferrer),
            integer("http.response.status_code", SecurityEvent::httpResponseStatusCode, SecurityEvent.Builder::httpResponseStatusCode),
            lng("http.response.body.bytes", SecurityEvent::httpResponseBodyBytes, SecurityEvent.Builder::httpResponseBodyBytes),
            str("http.version", SecurityEvent::httpVersion, SecurityEvent.Builder::httpVersion),
            str("user_agent.original", SecurityEvent::userAgentOriginal, SecurityEvent.Builder::userAgentOriginal),
            str("cloud.provider", SecurityEvent::cloudProvider, SecurityEvent.Builder::cloudProvider),
            str("cloud.region", SecurityEvent::cloudRegion, SecurityEvent.Builder::cloudRegion),
            str("cloud.account.id", SecurityEvent::cloudAccountId, SecurityEvent.Builder::cloudAccountId),
            list("related.ip", SecurityEvent::relatedIp, SecurityEvent.Builder::relatedIp),
            list("related.user", SecurityEvent::relatedUser, SecurityEvent.Builder::relatedUser));

    /** Where Vigil keeps the origin of a record in a document. */
    public static final String ORIGIN = "vigil.origin";

    /** Where a record read from a file names the file, next to {@link #ORIGIN}. */
    static final String LOG_FILE_PATH = "log.file.path";

    private static final Set<String> OWN_NAMES = ownNames();

    private EcsJson() {}

    private static Set<String> ownNames() {
        Set<String> names = new java.util.HashSet<>();
        for (Field f : FIELDS) {
            names.add(f.name());
        }
        names.add(TIMESTAMP);
        names.add(LOG_FILE_PATH);
        names.add("log.offset");
        return names;
    }

    private static final Map<String, Field> BY_NAME = byName();

    private static Map<String, Field> byName() {
        Map<String, Field> m = new java.util.HashMap<>();
        for (Field f : FIELDS) {
            m.put(f.name(), f);
        }
        return m;
    }

    /** Whether {@code name} is an ECS field with a component of its own in {@link SecurityEvent}. */
    public static boolean isModelled(String name) {
        return BY_NAME.containsKey(name) || TIMESTAMP.equals(name);
    }

    /**
     * The value of an ECS field of {@code event} as text, by its dotted name ({@code source.ip},
     * {@code winlog.event_data.Status}); the first value of a list field; {@code null} when absent.
     */
    public static String value(SecurityEvent event, String name) {
        Field f = BY_NAME.get(name);
        if (f == null) {
            return TIMESTAMP.equals(name) ? event.timestamp().toString() : event.field(name);
        }
        Object v = f.get().apply(event);
        if (v instanceof List<?> list) {
            return list.isEmpty() ? null : String.valueOf(list.get(0));
        }
        return v == null ? null : v.toString();
    }

    // ---------------------------------------------------------------- writing

    /**
     * The event as one line of ECS JSON: a nested document holding {@code @timestamp}, every
     * modelled field that is set (ints and longs as numbers, non-empty lists as arrays), every
     * entry of {@link SecurityEvent#fields()} as a string at its dotted path (sharing objects with
     * the modelled fields: {@code process.parent.executable} and {@code process.parent.pid} land in
     * one {@code process.parent}), the origin under {@value #ORIGIN} and, for a file, its path under
     * {@code log.file.path}. The keys of every object are in name order.
     *
     * <p>When names clash (an extra equal to a modelled field, or one a prefix of another) the
     * value written later wins, in the order: modelled fields, extras in name order, the origin.
     */
    public static String write(SecurityEvent event) {
        return EcsStreamWriter.write(event);
    }

    /** The document of {@link #write(SecurityEvent)} as a tree. */
    public static ObjectNode toTree(SecurityEvent event) {
        return parseObject(write(event));
    }

    /**
     * A dead letter as one line of JSON: {@code raw.value}, {@code raw.encoding},
     * {@code raw.bytes}, {@code decoder}, {@code reason} and the origin as for an event.
     */
    public static String write(DeadLetter letter) {
        return EcsStreamWriter.write(letter);
    }

    /** The document of {@link #write(DeadLetter)} as a tree. */
    public static ObjectNode toTree(DeadLetter letter) {
        return parseObject(write(letter));
    }

    public static String toJson(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Trees are made from the written text so that there is one writer to keep right. */
    private static ObjectNode parseObject(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads an ECS document (nested, dotted keys, or both) back into an event. Fields Vigil does
     * not model are kept in {@link SecurityEvent#fields()} when their names are in Vigil's catalog
     * ({@link ExtraFields#CATALOG}); others are left out and the event is tagged
     * {@code vigil_fields_dropped}, so a document's names can never add a field to an index mapping.
     * Values of fields mapped as ip that are not IP literals move to {@code vigil.invalid.*}
     * ({@link IpFields}).
     *
     * @throws IllegalArgumentException when {@code @timestamp} is missing or not ISO-8601
     */
    public static SecurityEvent read(JsonNode doc, Origin origin) {
        if (!(doc instanceof ObjectNode)) {
            throw new IllegalArgumentException("an ECS document must be a JSON object");
        }
        Map<String, JsonNode> flat = new java.util.LinkedHashMap<>();
        flatten("", doc, flat);
        JsonNode ts = flat.get(TIMESTAMP);
        if (ts == null || !ts.isTextual()) {
            throw new IllegalArgumentException("ECS document has no @timestamp string");
        }
        SecurityEvent.Builder b = SecurityEvent.builder().origin(origin);
        try {
            b.timestamp(Instant.parse(ts.asText()));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("@timestamp is not ISO-8601: " + ts.asText());
        }
        for (Field f : FIELDS) {
            JsonNode v = flat.get(f.name());
            if (v == null || v.isNull()) {
                continue;
            }
            switch (f.kind()) {
                case STRING -> f.set().accept(b, v.isValueNode() ? v.asText() : toJson(v));
                case INT -> f.set().accept(b, requireNumber(f.name(), v).intValue());
                case LONG -> f.set().accept(b, requireNumber(f.name(), v).longValue());
                case LIST -> {
                    List<String> values = new ArrayList<>();
                    if (v.isArray()) {
                        v.forEach(x -> values.add(x.asText()));
                    } else {
                        values.add(v.asText());
                    }
                    f.set().accept(b, values);
                }
            }
        }
        int kept = 0;
        boolean dropped = false;
        for (Map.Entry<String, JsonNode> e : flat.entrySet()) {
            String name = e.getKey();
            if (OWN_NAMES.contains(name) || name.startsWith(ORIGIN + ".")) {
                continue;
            }
            if (kept < ExtraFields.MAX_FIELDS && ExtraFields.isAllowedFromInput(name)) {
                JsonNode v = e.getValue();
                b.field(name, v.isValueNode() ? v.asText() : toJson(v));
                kept++;
            } else {
                dropped = true;
            }
        }
        if (dropped) {
            b.tag("vigil_fields_dropped");
        }
        return b.build();
    }

    private static Number requireNumber(String name, JsonNode v) {
        if (v.isNumber()) {
            return v.numberValue();
        }
        if (v.isTextual()) {
            try {
                return Long.parseLong(v.asText().trim());
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new IllegalArgumentException(name + " is not a number: " + v);
    }

    /** Flattens objects to dotted names; arrays and scalars are leaves. */
    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> out) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue().isObject()) {
                flatten(name, e.getValue(), out);
            } else {
                out.put(name, e.getValue());
            }
        }
    }
}
