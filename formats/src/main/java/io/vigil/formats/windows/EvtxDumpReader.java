package io.vigil.formats.windows;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads the {@code Event} object of evtx_dump's JSON rendering of a Windows event (the event XML
 * turned into JSON: attributes under {@code #attributes}, element text under {@code #text}) into a
 * {@link WinRecord}, so that it maps exactly as the same event shipped by NXLog or Winlogbeat.
 *
 * <pre>
 * {"Event": {"#attributes": {...},
 *            "System": {"Provider": {"#attributes": {"Name": …}}, "EventID": 4624 | {"#text": 7045, …},
 *                       "Level": 4, "Keywords": "0x80…", "TimeCreated": {"#attributes": {"SystemTime": …}},
 *                       "EventRecordID": 1, "Channel": …, "Computer": …, "Security": {"#attributes": {"UserID": …}}},
 *            "EventData": {"Name": value, …, "Data": unnamed values} | null,
 *            "UserData": {"SomeElement": {"Name": value, …}}}}
 * </pre>
 *
 * <p>With {@code --separate-json-attributes} evtx_dump writes an element's attributes beside it
 * ({@code "Provider_attributes": {"Name": …}}, {@code "EventID_attributes": {"Qualifiers": …}});
 * both layouts are read.
 *
 * <p>Only allow-listed EventData/UserData names are kept ({@link EventDataNames#canonical}); every
 * scalar keeps the text it has in the record ({@code 7680} gives {@code "7680"}, hex stays hex).
 * Anything else, nested deeper or unknown, is skipped by the parser without being read.
 */
final class EvtxDumpReader {

    /** The EventData name of values that carry no {@code Name} attribute ({@code <Data>x</Data>}). */
    static final String UNNAMED = "Data";

    private EvtxDumpReader() {}

    /** Reads the {@code Event} object; the parser is on its {@code START_OBJECT}. */
    static void readEvent(JsonParser p, WinRecord rec) throws IOException {
        rec.evtxShape = true;
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren(); // null EventData, or a shape we do not know: nothing to read
                continue;
            }
            switch (name) {
                case "System" -> readSystem(p, rec);
                case "EventData" -> readData(p, rec);
                case "UserData" -> readUserData(p, rec);
                default -> p.skipChildren();
            }
        }
    }

    private static void readSystem(JsonParser p, WinRecord rec) throws IOException {
        rec.evtxSystem = true;
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "Provider" -> rec.providerName = or(attribute(p, t, "Name"), rec.providerName);
                case "EventID" -> rec.eventId = text(p, t);
                case "Level" -> rec.level = text(p, t);
                case "Keywords" -> rec.keywords = text(p, t);
                case "TimeCreated" -> rec.systemTime = or(attribute(p, t, "SystemTime"), rec.systemTime);
                case "EventRecordID" -> rec.recordId = text(p, t);
                case "Channel" -> rec.channel = text(p, t);
                case "Computer" -> rec.computerName = text(p, t);
                case "Security" -> rec.userSid = or(attribute(p, t, "UserID"), rec.userSid);
                // evtx_dump --separate-json-attributes (Chainsaw, Hayabusa): attributes beside the element
                case "Provider_attributes" -> rec.providerName = or(member(p, t, "Name"), rec.providerName);
                case "TimeCreated_attributes" -> rec.systemTime = or(member(p, t, "SystemTime"), rec.systemTime);
                case "Security_attributes" -> rec.userSid = or(member(p, t, "UserID"), rec.userSid);
                default -> p.skipChildren();
            }
        }
    }

    /**
     * {@code found} unless it is absent or empty: with separate attributes the element itself is an
     * empty value, which must not undo what its {@code _attributes} gave, in either order.
     */
    private static String or(String found, String current) {
        return found == null || found.isEmpty() ? current : found;
    }

    /** EventData, or the element under UserData: its named children are the fields. */
    private static void readData(JsonParser p, WinRecord rec) throws IOException {
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            String key = name.startsWith("#") ? null : EventDataNames.canonical(name);
            if (key == null) {
                p.skipChildren(); // #attributes of the element, or a name not on the allow-list
            } else if (UNNAMED.equals(key)) {
                WinJsonReader.putData(rec, key, unnamed(p, t));
            } else if (t == JsonToken.START_ARRAY) {
                WinJsonReader.putData(rec, key, WinJsonReader.joinArray(p));
            } else {
                WinJsonReader.putData(rec, key, text(p, t));
            }
        }
    }

    /** UserData holds one element (named after the event) whose children are the fields. */
    private static void readUserData(JsonParser p, WinRecord rec) throws IOException {
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT && !name.startsWith("#")) {
                readData(p, rec);
            } else {
                p.skipChildren();
            }
        }
    }

    /**
     * Unnamed {@code <Data>} values: one scalar, {@code {"#text": v}}, {@code {"#text": [v, …]}} or
     * an array of those, joined with {@code ", "} in order (Sigma's {@code Data} field is matched
     * against all of them).
     */
    private static String unnamed(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.START_ARRAY) {
            StringBuilder sb = new StringBuilder();
            JsonToken e;
            while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                if (e == null) {
                    throw new IOException("unexpected end of input inside an array");
                }
                append(sb, e == JsonToken.START_OBJECT ? textMember(p) : text(p, e));
            }
            return sb.isEmpty() ? null : sb.toString();
        }
        return text(p, t);
    }

    private static void append(StringBuilder sb, String v) {
        if (v != null) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(v);
        }
    }

    /**
     * The text of an element: a scalar as written, or the {@code #text} of an element that also
     * has attributes ({@code {"#attributes": {"Qualifiers": …}, "#text": 7045}}); an array of texts
     * is joined. {@code null} for JSON null or an element without text.
     */
    private static String text(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> textMember(p);
            case START_ARRAY -> WinJsonReader.joinArray(p);
            default -> WinJsonReader.scalar(p, t);
        };
    }

    /** The {@code #text} member of the object the parser is in (after its {@code START_OBJECT}). */
    private static String textMember(JsonParser p) throws IOException {
        String found = null;
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            if ("#text".equals(name) && found == null) {
                found = t == JsonToken.START_ARRAY ? WinJsonReader.joinArray(p) : WinJsonReader.scalar(p, t);
                if (t == JsonToken.START_OBJECT) {
                    p.skipChildren();
                }
            } else {
                p.skipChildren();
            }
        }
        return found;
    }

    /** The scalar member {@code wanted} of an object ({@code {"Name": …, "Guid": …}}), else {@code null}. */
    private static String member(JsonParser p, JsonToken t, String wanted) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        String found = null;
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken v = p.nextToken();
            if (wanted.equals(name) && found == null && !v.isStructStart()) {
                found = WinJsonReader.scalar(p, v);
            } else {
                p.skipChildren();
            }
        }
        return found;
    }

    /**
     * The attribute {@code wanted} of an element written {@code {"#attributes": {wanted: v}}};
     * an element written as a bare scalar gives that scalar.
     */
    private static String attribute(JsonParser p, JsonToken t, String wanted) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            if (t == JsonToken.START_ARRAY) {
                p.skipChildren();
                return null;
            }
            return WinJsonReader.scalar(p, t);
        }
        String found = null;
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken v = p.nextToken();
            if ("#attributes".equals(name) && v == JsonToken.START_OBJECT && found == null) {
                found = member(p, v, wanted);
            } else {
                p.skipChildren();
            }
        }
        return found;
    }
}
