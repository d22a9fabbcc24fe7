package io.vigil.formats.windows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads one JSON object into a {@link WinRecord} with Jackson's streaming parser.
 *
 * <p>Streaming rather than a tree: most of a record (NXLog metadata, {@code tags}, agent and ECS
 * objects) is skipped without building nodes, and every scalar is taken as the exact text of the
 * record ({@link JsonParser#getText()}), so a 64-bit {@code Keywords} is never rounded through a
 * double. Three record shapes are understood: NXLog/Logstash flat keys, Winlogbeat's nested
 * {@code winlog}/{@code event}/{@code host} objects (or their dotted-key forms), and evtx_dump's
 * rendering of the event XML ({@code {"Event": {"System": …, "EventData": …}}}, read by
 * {@link EvtxDumpReader}).
 *
 * <p>Stateless apart from the shared {@link JsonFactory}: each call fills a new {@link WinRecord}.
 */
public final class WinJsonReader {

    /** Thrown when the record is valid JSON but not an object. */
    public static final class NotAnObjectException extends Exception {
        public NotAnObjectException(String message) {
            super(message, null, false, false);
        }
    }

    private final JsonFactory factory;

    public WinJsonReader(JsonFactory factory) {
        this.factory = factory;
    }

    /**
     * Parses {@code text} as one JSON object.
     *
     * @throws com.fasterxml.jackson.core.JsonProcessingException for invalid or truncated JSON
     * @throws NotAnObjectException when the JSON value is not an object, or is followed by more
     */
    public WinRecord read(String text) throws IOException, NotAnObjectException {
        try (JsonParser p = factory.createParser(text)) {
            return read(p);
        }
    }

    /**
     * Parses {@code bytes}, which must be valid UTF-8 without a byte-order mark, as one JSON object.
     * Faster than {@link #read(String)} (Jackson's byte parser, no chars to copy), but its error
     * positions count bytes, not characters: callers that report errors re-read the text.
     */
    public WinRecord read(byte[] bytes) throws IOException, NotAnObjectException {
        try (JsonParser p = factory.createParser(bytes)) {
            return read(p);
        }
    }

    private WinRecord read(JsonParser p) throws IOException, NotAnObjectException {
        JsonToken first = p.nextToken();
        if (first == null) {
            throw new NotAnObjectException("empty record");
        }
        if (first != JsonToken.START_OBJECT) {
            throw new NotAnObjectException("not a JSON object but " + describe(first));
        }
        WinRecord rec = new WinRecord();
        readRoot(p, rec);
        JsonToken after = p.nextToken();
        if (after != null) {
            throw new NotAnObjectException("content after the JSON object at column "
                    + p.currentTokenLocation().getColumnNr());
        }
        return rec;
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }

    private void readRoot(JsonParser p, WinRecord rec) throws IOException {
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT && "Event".equals(name)) {
                rec.evtxShape = true; // an evtx_dump document whose Event is not an object: refused with that reason
                p.skipChildren();
            } else if (t == JsonToken.START_OBJECT) {
                switch (name) {
                    case "winlog" -> readWinlog(p, rec);
                    case "event" -> readEvent(p, rec);
                    case "host" -> readHost(p, rec);
                    case "Event" -> EvtxDumpReader.readEvent(p, rec);
                    default -> p.skipChildren();
                }
            } else if (t == JsonToken.START_ARRAY) {
                if ("winlog.keywords".equals(name)) {
                    rec.keywords = joinArray(p);
                } else if (name.startsWith("winlog.event_data.") || name.startsWith("winlog.user_data.")) {
                    putData(rec, name.substring(name.indexOf('.', 7) + 1), joinArray(p));
                } else {
                    p.skipChildren();
                }
            } else if (readAtRoot(name)) {
                String v = scalar(p, t);
                if (v != null) {
                    rootScalar(rec, name, v);
                }
            }
            // any other value is left unread: the parser skips it without making a String
        }
    }

    /** Names {@link #rootScalar} acts on without a dot: the NXLog header, and EventData names it keeps. */
    private static final Set<String> ROOT_NAMES = rootNames();

    private static Set<String> rootNames() {
        Set<String> names = new HashSet<>(List.of("EventID", "Channel", "SourceName", "ProviderName", "Hostname",
                "Computer", "host", "RecordNumber", "EventRecordID", "Keywords", "Message", "message", "@timestamp",
                "TimeCreated", "EventTime", "EventType", "UserID", "UtcTime"));
        for (String name : EventDataNames.ALLOWED) {
            if (EventDataNames.allowedFlat(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** Whether a top-level scalar named {@code name} can change the record (else its text is never made). */
    private static boolean readAtRoot(String name) {
        return ROOT_NAMES.contains(name) || name.indexOf('.') >= 0;
    }

    /** A top-level scalar: NXLog header, NXLog EventData, or a dotted Winlogbeat key. */
    private static void rootScalar(WinRecord rec, String name, String v) {
        switch (name) {
            case "EventID" -> rec.eventId = v;
            case "Channel" -> rec.channel = v;
            case "SourceName" -> rec.sourceName = v;
            case "ProviderName" -> rec.providerName = v;
            case "Hostname" -> rec.hostname = v;
            case "Computer" -> rec.computerName = v;
            case "host" -> rec.hostFallback = v;
            case "RecordNumber", "EventRecordID" -> rec.recordId = v;
            case "Keywords" -> rec.keywords = v;
            case "Message", "message" -> rec.message = v;
            case "@timestamp" -> rec.atTimestamp = v;
            case "TimeCreated" -> rec.timeCreated = v;
            case "EventTime" -> rec.eventTime = v;
            case "EventType" -> rec.auditType = v;
            case "UserID" -> rec.userSid = v;
            case "UtcTime" -> {
                rec.utcTime = v;
                rec.data.put(name, v);
            }
            default -> {
                int dot = name.indexOf('.');
                if (dot < 0) {
                    if (EventDataNames.allowedFlat(name)) {
                        rec.data.put(name, v);
                    }
                } else if (name.startsWith("winlog.event_data.") || name.startsWith("winlog.user_data.")) {
                    putData(rec, name.substring(name.indexOf('.', 7) + 1), v);
                } else if (name.startsWith("winlog.user.")) {
                    winlogUser(rec, name.substring(12), v);
                } else if (name.startsWith("winlog.")) {
                    winlogScalar(rec, name.substring(7), v);
                } else if (name.startsWith("event.")) {
                    eventScalar(rec, name.substring(6), v);
                } else if (name.startsWith("host.")) {
                    hostScalar(rec, name.substring(5), v);
                }
            }
        }
    }

    private void readWinlog(JsonParser p, WinRecord rec) throws IOException {
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                switch (name) {
                    case "event_data", "user_data" -> readData(p, rec);
                    case "user" -> readWinlogUser(p, rec);
                    default -> p.skipChildren();
                }
            } else if (t == JsonToken.START_ARRAY) {
                if ("keywords".equals(name)) {
                    rec.keywords = joinArray(p);
                } else {
                    p.skipChildren();
                }
            } else {
                String v = scalar(p, t);
                if (v != null) {
                    winlogScalar(rec, name, v);
                }
            }
        }
    }

    private static void winlogScalar(WinRecord rec, String name, String v) {
        switch (name) {
            case "event_id" -> rec.eventId = v;
            case "channel" -> rec.channel = v;
            case "provider_name" -> rec.providerName = v;
            case "computer_name" -> rec.computerName = v;
            case "record_id" -> rec.recordId = v;
            case "keywords" -> rec.keywords = v;
            case "time_created" -> rec.timeCreated = v;
            default -> { }
        }
    }

    private void readWinlogUser(JsonParser p, WinRecord rec) throws IOException {
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            if (t.isStructStart()) {
                p.skipChildren();
            } else {
                String v = scalar(p, t);
                if (v != null) {
                    winlogUser(rec, name, v);
                }
            }
        }
    }

    private static void winlogUser(WinRecord rec, String name, String v) {
        if ("identifier".equals(name)) {
            rec.userSid = v;
        }
    }

    private void readData(JsonParser p, WinRecord rec) throws IOException {
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            String key = EventDataNames.canonical(name);
            if (t == JsonToken.START_OBJECT || key == null) {
                p.skipChildren(); // a no-op on a scalar, which is then never read
            } else if (t == JsonToken.START_ARRAY) {
                putData(rec, key, joinArray(p));
            } else {
                String v = scalar(p, t);
                if (v != null) {
                    putData(rec, key, v);
                }
            }
        }
    }

    static void putData(WinRecord rec, String name, String v) {
        if (v != null && EventDataNames.ALLOWED.contains(name)) {
            rec.data.put(name, v);
            if ("UtcTime".equals(name)) {
                rec.utcTime = v;
            }
        }
    }

    private void readEvent(JsonParser p, WinRecord rec) throws IOException {
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            if (t.isStructStart()) {
                p.skipChildren();
            } else {
                String v = scalar(p, t);
                if (v != null) {
                    eventScalar(rec, name, v);
                }
            }
        }
    }

    private static void eventScalar(WinRecord rec, String name, String v) {
        switch (name) {
            case "code" -> rec.eventCode = v;
            case "outcome" -> rec.outcomeHint = v;
            case "provider" -> {
                if (rec.providerName == null) rec.providerName = v;
            }
            default -> { }
        }
    }

    private void readHost(JsonParser p, WinRecord rec) throws IOException {
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            if (t.isStructStart()) {
                p.skipChildren();
            } else {
                String v = scalar(p, t);
                if (v != null) {
                    hostScalar(rec, name, v);
                }
            }
        }
    }

    private static void hostScalar(WinRecord rec, String name, String v) {
        if ("name".equals(name) || ("hostname".equals(name) && rec.hostFallback == null)) {
            rec.hostFallback = v;
        }
    }

    /** The text of a scalar token exactly as written (numbers are not converted); null for JSON null. */
    static String scalar(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getText();
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            default -> null;
        };
    }

    /** The scalar members of an array joined with ", " (objects and nested arrays are skipped). */
    static String joinArray(JsonParser p) throws IOException {
        StringBuilder sb = null;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new IOException("unexpected end of input inside an array");
            }
            if (t.isStructStart()) {
                p.skipChildren();
                continue;
            }
            String v = scalar(p, t);
            if (v != null) {
                if (sb == null) {
                    sb = new StringBuilder(v);
                } else {
                    sb.append(", ").append(v);
                }
            }
        }
        return sb == null ? null : sb.toString();
    }
}
