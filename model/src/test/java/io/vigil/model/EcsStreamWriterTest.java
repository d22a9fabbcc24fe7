package io.vigil.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The streamed documents of {@link EcsJson#write} against the document as Vigil built it before
 * streaming: a tree with each value put at its dotted path in write order ({@link #reference}).
 */
class EcsStreamWriterTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Origin FILE = Origin.file("logs/auth.log", 42);
    private static final Origin KAFKA = Origin.kafka("raw-auth", 3, 1L << 33);

    // ------------------------------------------------------------ the reference document

    /** The tree-built document, as {@code EcsJson.toTree} built it before writing streamed. */
    private static ObjectNode reference(SecurityEvent event) {
        ObjectNode root = NODES.objectNode();
        root.put(EcsJson.TIMESTAMP, event.timestamp().toString());
        for (EcsJson.Field f : EcsJson.FIELDS) {
            Object value = f.get().apply(event);
            if (value == null) {
                continue;
            }
            switch (f.kind()) {
                case STRING -> put(root, f.name(), NODES.textNode((String) value));
                case INT -> put(root, f.name(), NODES.numberNode((Integer) value));
                case LONG -> put(root, f.name(), NODES.numberNode((Long) value));
                case LIST -> {
                    @SuppressWarnings("unchecked")
                    List<String> values = (List<String>) value;
                    if (!values.isEmpty()) {
                        ArrayNode array = NODES.arrayNode();
                        values.forEach(array::add);
                        put(root, f.name(), array);
                    }
                }
            }
        }
        for (Map.Entry<String, String> e : event.fields().entrySet()) {
            put(root, e.getKey(), NODES.textNode(e.getValue()));
        }
        putOrigin(root, event.origin());
        return root;
    }

    private static ObjectNode reference(DeadLetter letter) {
        ObjectNode root = NODES.objectNode();
        ObjectNode raw = root.putObject("raw");
        raw.put("value", letter.raw());
        raw.put("encoding", letter.rawEncoding());
        raw.put("bytes", letter.rawBytes());
        root.put("decoder", letter.decoder());
        root.put("reason", letter.reason());
        root.putObject("vigil").putObject("dead_letter").put("kind", letter.kind());
        if (letter.ruleId() != null) {
            root.putObject("rule").put("id", letter.ruleId());
        }
        putOrigin(root, letter.origin());
        return root;
    }

    private static void putOrigin(ObjectNode root, Origin origin) {
        ObjectNode o = NODES.objectNode();
        o.put("kind", origin.kind());
        o.put("source", origin.source());
        if (origin.partition() != null) {
            o.put("partition", origin.partition());
        }
        o.put("offset", origin.offset());
        put(root, EcsJson.ORIGIN, o);
        if (Origin.FILE.equals(origin.kind())) {
            put(root, "log.file.path", NODES.textNode(origin.source()));
        }
    }

    private static void put(ObjectNode root, String dotted, JsonNode value) {
        ObjectNode node = root;
        int start = 0;
        int dot;
        while ((dot = dotted.indexOf('.', start)) >= 0) {
            String key = dotted.substring(start, dot);
            JsonNode child = node.get(key);
            if (!(child instanceof ObjectNode)) {
                child = node.putObject(key);
            }
            node = (ObjectNode) child;
            start = dot + 1;
        }
        node.set(dotted.substring(start), value);
    }

    /** Both documents as a reader sees them: parsed from their text, so numbers compare alike. */
    private static void assertSameDocument(String streamed, JsonNode reference) throws Exception {
        JsonNode expected = EcsJson.MAPPER.readTree(EcsJson.toJson(reference));
        assertThat(EcsJson.MAPPER.readTree(streamed)).isEqualTo(expected);
    }

    // ------------------------------------------------------------ events

    /**
     * An event with every component set, through the canonical constructor so that a component
     * added later is covered without touching this test (or fails it, for a new type).
     */
    private static SecurityEvent everyField(Map<String, String> fields, Origin origin, boolean emptyLists)
            throws Exception {
        RecordComponent[] components = SecurityEvent.class.getRecordComponents();
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            Class<?> t = c.getType();
            if (t == Instant.class) {
                args[i] = Instant.parse("2024-12-10T06:55:48.123456Z");
            } else if (c.getName().equals("sourceIp") || c.getName().equals("destinationIp")) {
                args[i] = "203.0.113." + i; // fields mapped as ip hold IP literals (IpFields)
            } else if (c.getName().equals("relatedIp")) {
                args[i] = emptyLists ? List.of() : List.of("198.51.100.7", "2001:db8::7");
            } else if (t == String.class) {
                args[i] = c.getName() + " \"quoted\" ünïcode\n" + i;
            } else if (t == Integer.class) {
                args[i] = 1000 + i;
            } else if (t == Long.class) {
                args[i] = (1L << 40) + i;
            } else if (t == List.class) {
                args[i] = emptyLists ? List.of() : List.of(c.getName() + "-a", c.getName() + "-b");
            } else if (t == Map.class) {
                args[i] = fields;
            } else if (t == Origin.class) {
                args[i] = origin;
            } else {
                throw new AssertionError("no test value for component " + c.getName() + " of type " + t);
            }
        }
        Constructor<SecurityEvent> ctor = SecurityEvent.class.getDeclaredConstructor(
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        return ctor.newInstance(args);
    }

    /** Catalog extras sharing objects with modelled fields, the origin's {@code log.file} and {@code vigil.origin}. */
    private static Map<String, String> sharingExtras() {
        Map<String, String> m = new TreeMap<>();
        m.put("process.parent.pid", "4242");
        m.put("process.parent.name", "sshd");
        m.put("log.syslog.appname", "sshd");
        m.put("log.syslog.facility.code", "4");
        m.put("source.bytes", "77");
        m.put("event.duration", "12");
        m.put("http.request.body.bytes", "512");
        m.put("winlog.event_data.Status", "0xc000006d");
        m.put("zeek.conn.service", "ssh");
        m.put(IpFields.INVALID_DESTINATION_IP, "gateway.example");
        return m;
    }

    @Test
    void everyFieldKindAndSharedObjectsMatchTheTreeDocument() throws Exception {
        for (Origin origin : List.of(FILE, KAFKA)) {
            for (boolean emptyLists : new boolean[] {false, true}) {
                SecurityEvent e = everyField(sharingExtras(), origin, emptyLists);
                String json = EcsJson.write(e);
                assertSameDocument(json, reference(e));
                assertThat(EcsJson.toTree(e)).isEqualTo(EcsJson.MAPPER.readTree(json));
            }
        }
        JsonNode doc = EcsJson.MAPPER.readTree(EcsJson.write(everyField(sharingExtras(), FILE, false)));
        assertThat(doc.at("/process/parent/executable").isTextual()).isTrue();
        assertThat(doc.at("/process/parent/pid").asText()).isEqualTo("4242");
        assertThat(doc.at("/log/file/path").asText()).isEqualTo("logs/auth.log");
        assertThat(doc.at("/log/syslog/appname").asText()).isEqualTo("sshd");
        assertThat(doc.at("/source/bytes").asText()).isEqualTo("77");
        assertThat(doc.at("/source/ip").isTextual()).isTrue();
        assertThat(doc.at("/user/target/name").isTextual()).isTrue();
        assertThat(doc.at("/source/port").isInt()).isTrue();
        assertThat(doc.at("/http/response/body/bytes").isIntegralNumber()).isTrue();
        assertThat(doc.at("/tags").isArray()).isTrue();
        assertThat(doc.at("/vigil/origin/offset").asLong()).isEqualTo(42);
        assertThat(doc.at("/vigil/invalid/destination/ip").asText()).isEqualTo("gateway.example");
        JsonNode empty = EcsJson.MAPPER.readTree(EcsJson.write(everyField(Map.of(), KAFKA, true)));
        assertThat(empty.has("tags")).isFalse();
        assertThat(empty.has("related")).isFalse();
        assertThat(empty.at("/vigil/origin/partition").asInt()).isEqualTo(3);
        assertThat(empty.has("log")).isFalse();
    }

    /**
     * Names that would clash with a modelled field, with the origin or with each other never reach
     * the writer: they are not in the catalog of extra fields, so the event refuses them (the
     * catalog itself is free of clashes, ExtraFieldsCatalogTest).
     */
    @Test
    void clashingNamesAreRefusedWhenTheEventIsBuilt() {
        for (String name : List.of("source.ip", "process.parent", "process.pid.value", "log.syslog",
                "log.file.path", "vigil.origin.kind", "event.category")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> everyField(Map.of(name, "x"), FILE, false))
                    .as(name).hasRootCauseInstanceOf(IllegalArgumentException.class)
                    .rootCause().hasMessageContaining(name);
        }
    }

    /** Random events over names chosen to share prefixes and clash, seeded so a failure repeats. */
    @Test
    void randomEventsMatchTheTreeDocument() throws Exception {
        List<String> names = new ArrayList<>();
        for (EcsJson.Field f : EcsJson.FIELDS) {
            if (f.name().contains(".")) {
                names.add(f.name());
                names.add(f.name() + ".x");
                names.add(f.name().substring(0, f.name().lastIndexOf('.')));
                names.add(f.name().substring(0, f.name().lastIndexOf('.')) + ".z_extra");
            }
        }
        names.addAll(List.of("log.file.path", "log.file", "log.syslog.appname", "log.syslog.priority",
                "vigil.origin", "vigil.origin.kind", "vigil.other", "winlog.event_data.Status", "zeek.uid"));
        // catalog names that share objects with modelled fields, the origin and each other
        names.addAll(List.of("log.syslog.facility.code", "log.syslog.facility.name", "process.parent.pid",
                "process.parent.name", "process.parent.command_line", "source.bytes", "destination.packets",
                "http.request.body.bytes", "event.duration", "file.hash.md5", "file.hash.sha1", "file.name",
                "dns.question.name", "dns.question.type", IpFields.INVALID_SOURCE_IP, IpFields.INVALID_RELATED_IP,
                "zeek.conn.service", "zeek.x509.certificate.subject", "zeek.x509.san.dns"));
        names.removeIf(name -> !ExtraFields.isAllowed(name));
        SecurityEvent full = everyField(Map.of(), KAFKA, false);
        RecordComponent[] components = SecurityEvent.class.getRecordComponents();
        Random random = new Random(20241210L);
        for (int n = 0; n < 2_000; n++) {
            Map<String, String> extras = new TreeMap<>();
            int count = random.nextInt(12);
            for (int i = 0; i < count; i++) {
                extras.put(names.get(random.nextInt(names.size())), "v" + i);
            }
            Object[] args = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                Object v = components[i].getAccessor().invoke(full);
                String name = components[i].getName();
                boolean required = name.equals("timestamp") || name.equals("origin");
                args[i] = required || random.nextBoolean() ? v : null;
                if (name.equals("fields")) {
                    args[i] = extras;
                } else if (name.equals("origin")) {
                    args[i] = random.nextBoolean() ? FILE : KAFKA;
                }
            }
            SecurityEvent e = SecurityEvent.class.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new))
                    .newInstance(args);
            assertSameDocument(EcsJson.write(e), reference(e));
        }
    }

    @Test
    void writingIsDeterministicWhateverTheOrderFieldsWereSetIn() throws Exception {
        SecurityEvent a = SecurityEvent.builder().timestamp(Instant.EPOCH).origin(FILE)
                .field("log.syslog.appname", "sshd").field("process.parent.pid", "1").userName("root")
                .processParentExecutable("/sbin/init").build();
        SecurityEvent b = SecurityEvent.builder().timestamp(Instant.EPOCH).origin(FILE)
                .processParentExecutable("/sbin/init").userName("root")
                .field("process.parent.pid", "1").field("log.syslog.appname", "sshd").build();
        assertThat(EcsJson.write(a)).isEqualTo(EcsJson.write(b)).isEqualTo(EcsJson.write(a));
        // the text of the time follows the event, however many before it shared one
        SecurityEvent later = a.toBuilder().timestamp(Instant.ofEpochSecond(1, 5)).build();
        assertThat(EcsJson.MAPPER.readTree(EcsJson.write(later)).get("@timestamp").asText())
                .isEqualTo("1970-01-01T00:00:01.000000005Z");
        // keys in name order in every object, modelled and extra fields sharing objects
        assertThat(EcsJson.write(a)).isEqualTo("{\"@timestamp\":\"1970-01-01T00:00:00Z\",\"event\":{\"kind\":\"event\"},"
                + "\"log\":{\"file\":{\"path\":\"logs/auth.log\"},\"syslog\":{\"appname\":\"sshd\"}},"
                + "\"process\":{\"parent\":{\"executable\":\"/sbin/init\",\"pid\":\"1\"}},"
                + "\"related\":{\"user\":[\"root\"]},\"user\":{\"name\":\"root\"},"
                + "\"vigil\":{\"origin\":{\"kind\":\"file\",\"source\":\"logs/auth.log\",\"offset\":42}}}");
    }

    @Test
    void roundTripsEveryField() throws Exception {
        for (Origin origin : List.of(FILE, KAFKA)) {
            for (boolean emptyLists : new boolean[] {false, true}) {
                // through the builder, which adds the entity fields to related.*, as reading does
                SecurityEvent e = everyField(sharingExtras(), origin, emptyLists).toBuilder().build();
                assertThat(EcsJson.read(EcsJson.MAPPER.readTree(EcsJson.write(e)), origin)).isEqualTo(e);
            }
        }
    }

    @Test
    void deadLettersMatchTheTreeDocument() throws Exception {
        RawRecord binary = RawRecord.of(new byte[] {'a', (byte) 0xff, 'b', 0, '"'}, KAFKA, "windows");
        RawRecord text = RawRecord.of("Dec 10 \"quoted\" \\ ünïcode".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                FILE, "syslog");
        for (DeadLetter letter : List.of(DeadLetter.of(binary, "not JSON: byte 2"), DeadLetter.of(text, "no host"),
                DeadLetter.of(text, "StackOverflowError", DeadLetter.RULE_ERROR).as(DeadLetter.RULE_ERROR, "web-attack-pattern"))) {
            String json = EcsJson.write(letter);
            assertSameDocument(json, reference(letter));
            assertThat(EcsJson.toTree(letter)).isEqualTo(EcsJson.MAPPER.readTree(json));
        }
        JsonNode doc = EcsJson.MAPPER.readTree(EcsJson.write(DeadLetter.of(binary, "x")));
        assertThat(doc.at("/raw/encoding").asText()).isEqualTo(DeadLetter.BASE64);
        assertThat(doc.at("/raw/value").asText()).isEqualTo("Yf9iACI=");
        assertThat(doc.at("/raw/bytes").asLong()).isEqualTo(5);
        assertThat(doc.has("log")).isFalse();
        assertThat(doc.at("/vigil/dead_letter/kind").asText()).isEqualTo(DeadLetter.DECODE);
        assertThat(doc.has("rule")).isFalse();
    }

    @Test
    void aHugeDocumentDoesNotDisturbTheNextOnTheSameThread() throws Exception {
        SecurityEvent huge = SecurityEvent.builder().timestamp(Instant.EPOCH).origin(FILE)
                .eventOriginal("x".repeat(1_000_000)).build();
        SecurityEvent small = SecurityEvent.builder().timestamp(Instant.EPOCH).origin(KAFKA).userName("u").build();
        assertThat(EcsJson.write(huge)).hasSizeGreaterThan(1_000_000);
        assertSameDocument(EcsJson.write(small), reference(small));
        assertSameDocument(EcsJson.write(huge), reference(huge));
    }
}
