package io.vigil.formats.cloudtrail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;

/**
 * Streams one CloudTrail event object into a {@link CloudTrailEvent} without building a tree
 * of the whole record: only the JSON-valued members that are kept as JSON text become (small)
 * trees, so that they are written exactly as before.
 *
 * <p>This is the fast path for the common record, one event object per line. It gives up
 * ({@code null}) whenever the tree path could decide differently or says more: invalid JSON
 * (whose reason names a position), anything but an object, a {@code Records} member (the file
 * shape), and a number where a text member is read (a tree writes numbers in its own form).
 * The caller then parses the tree.
 */
public final class CloudTrailEventReader {

    private final JsonFactory factory;
    private final ObjectMapper mapper;

    /**
     * @param mapper the mapper whose trees the decoder writes, so that the JSON-valued members
     *               are read with the same settings as a whole-record tree
     */
    public CloudTrailEventReader(ObjectMapper mapper) {
        this.mapper = mapper;
        // the bytes are checked UTF-8: no charset detection (it takes zero bytes for UTF-16)
        this.factory = mapper.getFactory().rebuild().disable(JsonFactory.Feature.CHARSET_DETECTION).build();
    }

    /** The event of {@code bytes} (valid UTF-8, no byte-order mark), or {@code null}: see the class comment. */
    public CloudTrailEvent read(byte[] bytes) {
        try (JsonParser p = factory.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            CloudTrailEvent e = new CloudTrailEvent();
            if (!readTop(p, e) || p.nextToken() != null) {
                return null;
            }
            return e;
        } catch (IOException | RuntimeException e) {
            return null; // the tree path gives the reason
        }
    }

    private boolean readTop(JsonParser p, CloudTrailEvent e) throws IOException {
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            Integer slot = CloudTrailEvent.TEXT_SLOT.get(name);
            if (slot != null) {
                if (t.isNumeric()) {
                    return false;
                }
                e.text[slot] = text(p, t);
                p.skipChildren(); // an object or array there counts as absent
                continue;
            }
            slot = CloudTrailEvent.JSON_SLOT.get(name);
            if (slot != null) {
                e.json[slot] = t == JsonToken.VALUE_NULL ? null : (JsonNode) mapper.readTree(p);
                continue;
            }
            if ("userIdentity".equals(name)) {
                e.identity = null;
                e.issuer = null;
                e.attributes = null;
                if (t == JsonToken.START_OBJECT) {
                    e.identity = new String[CloudTrailEvent.IDENTITY_MEMBERS.length];
                    if (!readIdentity(p, e)) {
                        return false;
                    }
                    continue;
                }
            } else if ("Records".equals(name)) {
                return false;
            }
            p.skipChildren();
        }
        return true;
    }

    private boolean readIdentity(JsonParser p, CloudTrailEvent e) throws IOException {
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            if ("sessionContext".equals(name)) {
                e.issuer = null;
                e.attributes = null;
                if (t == JsonToken.START_OBJECT) {
                    if (!readContext(p, e)) {
                        return false;
                    }
                    continue;
                }
            } else if (!member(p, t, name, CloudTrailEvent.IDENTITY_SLOT, e.identity)) {
                return false;
            }
            p.skipChildren();
        }
        return true;
    }

    private boolean readContext(JsonParser p, CloudTrailEvent e) throws IOException {
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            boolean object = t == JsonToken.START_OBJECT;
            if ("sessionIssuer".equals(name)) {
                e.issuer = object ? new String[CloudTrailEvent.ISSUER_MEMBERS.length] : null;
                if (object && !readMembers(p, CloudTrailEvent.ISSUER_SLOT, e.issuer)) {
                    return false;
                }
            } else if ("attributes".equals(name)) {
                e.attributes = object ? new String[CloudTrailEvent.ATTRIBUTE_MEMBERS.length] : null;
                if (object && !readMembers(p, CloudTrailEvent.ATTRIBUTE_SLOT, e.attributes)) {
                    return false;
                }
            }
            p.skipChildren(); // a no-op after a member read to its end
        }
        return true;
    }

    private boolean readMembers(JsonParser p, Map<String, Integer> slots, String[] values) throws IOException {
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            if (!member(p, t, name, slots, values)) {
                return false;
            }
            p.skipChildren();
        }
        return true;
    }

    /** Sets {@code values} when {@code name} is one of {@code slots}; false for a number there. */
    private static boolean member(JsonParser p, JsonToken t, String name, Map<String, Integer> slots, String[] values)
            throws IOException {
        Integer slot = slots.get(name);
        if (slot != null) {
            if (t.isNumeric()) {
                return false;
            }
            values[slot] = text(p, t);
        }
        return true;
    }

    /** As {@link UserIdentities#text}: a non-empty string or a boolean's text, else {@code null}. */
    private static String text(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_STRING -> {
                String s = p.getText();
                return s.isEmpty() ? null : s;
            }
            case VALUE_TRUE -> {
                return "true";
            }
            case VALUE_FALSE -> {
                return "false";
            }
            default -> {
                return null; // null, or an object/array the caller skips
            }
        }
    }
}
