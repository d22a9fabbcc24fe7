package io.vigil.formats.cloudtrail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * The members of one CloudTrail event object that the decoder maps, whichever way they were
 * read: from a Jackson tree ({@link #of(JsonNode)}, the file shape and every odd record) or
 * streamed ({@link CloudTrailEventReader}). Both fill it by the same rule, the one of
 * {@link UserIdentities#text}: a non-empty string or boolean as its text, anything else
 * {@code null}; an object member that is not an object counts as absent.
 */
public final class CloudTrailEvent {

    /** Top-level members read as text; {@link #text} is indexed by position in this list. */
    static final String[] TEXT_MEMBERS = {
        "eventName", "eventTime", "@timestamp", "eventSource", "userAgent", "awsRegion", "sourceIPAddress",
        "eventType", "eventCategory", "eventVersion", "eventID", "requestID", "sharedEventID", "apiVersion",
        "readOnly", "managementEvent", "recipientAccountId", "vpcEndpointId", "errorCode", "errorMessage",
    };

    /** Top-level members kept as JSON; {@link #json} is indexed by position in this list. */
    static final String[] JSON_MEMBERS = {
        "requestParameters", "responseElements", "additionalEventData", "serviceEventDetails", "resources",
        "tlsDetails",
    };

    static final Map<String, Integer> TEXT_SLOT = slots(TEXT_MEMBERS);
    static final Map<String, Integer> JSON_SLOT = slots(JSON_MEMBERS);

    /** Members of {@code userIdentity}, of its {@code sessionContext.sessionIssuer} and {@code .attributes}. */
    static final String[] IDENTITY_MEMBERS = {"userName", "type", "arn", "accountId", "principalId", "accessKeyId", "invokedBy"};
    static final String[] ISSUER_MEMBERS = {"type", "arn", "principalId", "userName"};
    static final String[] ATTRIBUTE_MEMBERS = {"mfaAuthenticated", "creationDate"};

    static final Map<String, Integer> IDENTITY_SLOT = slots(IDENTITY_MEMBERS);
    static final Map<String, Integer> ISSUER_SLOT = slots(ISSUER_MEMBERS);
    static final Map<String, Integer> ATTRIBUTE_SLOT = slots(ATTRIBUTE_MEMBERS);

    final String[] text = new String[TEXT_MEMBERS.length];
    final JsonNode[] json = new JsonNode[JSON_MEMBERS.length];
    /** {@code userIdentity} members, {@code null} when it is not an object; likewise below. */
    String[] identity;
    String[] issuer;
    String[] attributes;

    private static Map<String, Integer> slots(String[] names) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], i);
        }
        return m;
    }

    /** A top-level member as text ({@link #TEXT_MEMBERS}). */
    public String text(String member) {
        return text[TEXT_SLOT.get(member)];
    }

    /** A JSON-valued top-level member ({@link #JSON_MEMBERS}), {@code null} when absent. */
    public JsonNode json(String member) {
        return json[JSON_SLOT.get(member)];
    }

    public boolean hasIdentity() {
        return identity != null;
    }

    /** A member of {@code userIdentity} ({@link #IDENTITY_MEMBERS}), {@code null} without one. */
    public String identity(String member) {
        return identity == null ? null : identity[IDENTITY_SLOT.get(member)];
    }

    public boolean hasIssuer() {
        return issuer != null;
    }

    /** A member of {@code userIdentity.sessionContext.sessionIssuer}. */
    public String issuer(String member) {
        return issuer == null ? null : issuer[ISSUER_SLOT.get(member)];
    }

    public boolean hasAttributes() {
        return attributes != null;
    }

    /** A member of {@code userIdentity.sessionContext.attributes}. */
    public String attribute(String member) {
        return attributes == null ? null : attributes[ATTRIBUTE_SLOT.get(member)];
    }

    /** The members of an event object parsed as a tree. */
    public static CloudTrailEvent of(JsonNode r) {
        CloudTrailEvent e = new CloudTrailEvent();
        for (int i = 0; i < TEXT_MEMBERS.length; i++) {
            e.text[i] = UserIdentities.text(r, TEXT_MEMBERS[i]);
        }
        for (int i = 0; i < JSON_MEMBERS.length; i++) {
            e.json[i] = r.get(JSON_MEMBERS[i]);
        }
        JsonNode identity = r.get("userIdentity");
        if (identity != null && identity.isObject()) {
            e.identity = texts(identity, IDENTITY_MEMBERS);
            JsonNode context = identity.get("sessionContext");
            if (context != null && context.isObject()) {
                JsonNode issuer = context.get("sessionIssuer");
                if (issuer != null && issuer.isObject()) {
                    e.issuer = texts(issuer, ISSUER_MEMBERS);
                }
                JsonNode attributes = context.get("attributes");
                if (attributes != null && attributes.isObject()) {
                    e.attributes = texts(attributes, ATTRIBUTE_MEMBERS);
                }
            }
        }
        return e;
    }

    private static String[] texts(JsonNode node, String[] members) {
        String[] values = new String[members.length];
        for (int i = 0; i < members.length; i++) {
            values[i] = UserIdentities.text(node, members[i]);
        }
        return values;
    }
}
