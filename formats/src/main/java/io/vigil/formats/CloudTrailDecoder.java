package io.vigil.formats;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.formats.cloudtrail.CloudTrailEvent;
import io.vigil.formats.cloudtrail.CloudTrailEventReader;
import io.vigil.formats.text.IsoInstant;
import io.vigil.formats.cloudtrail.UserIdentities;
import io.vigil.model.EcsJson;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * AWS CloudTrail. A record is either one CloudTrail event object (one per line, as Logstash or
 * a Kafka producer writes them; such records may carry {@code @timestamp} instead of
 * {@code eventTime}), or a whole CloudTrail file object {@code {"Records":[…]}} giving one event
 * per element. One bad element refuses the whole record, so a file is never half-ingested
 * without a dead letter saying so.
 *
 * <p>{@code event.action} is the {@code eventName} as AWS spells it ({@code ListBuckets},
 * {@code AssumeRole}, …): rules written for CloudTrail (Sigma) match on those names.
 * Format-specific fields are kept under {@code aws.cloudtrail.*} from the fixed allow-list in
 * this class; nothing in the record ever names a field.
 */
public final class CloudTrailDecoder implements Decoder {

    public static final String MODULE = "aws";
    public static final String DATASET = "aws.cloudtrail";
    public static final String TRUNCATED_TAG = "vigil_truncated_field";

    /** Longest JSON text kept for request parameters and similar blobs (they can be large). */
    static final int MAX_JSON_FIELD_CHARS = 8192;

    private static final String P = "aws.cloudtrail.";

    /** Plain top-level members kept as they are: (CloudTrail member, field name). */
    private static final String[][] TOP_LEVEL = {
        {"eventType", P + "event_type"},
        {"eventCategory", P + "event_category"},
        {"eventVersion", P + "event_version"},
        {"eventID", P + "event_id"},
        {"requestID", P + "request_id"},
        {"sharedEventID", P + "shared_event_id"},
        {"apiVersion", P + "api_version"},
        {"readOnly", P + "read_only"},
        {"managementEvent", P + "management_event"},
        {"recipientAccountId", P + "recipient_account_id"},
        {"vpcEndpointId", P + "vpc_endpoint_id"},
        {"errorCode", P + "error_code"},
        {"errorMessage", P + "error_message"},
    };

    /** JSON-valued top-level members kept as compact JSON text. */
    private static final String[][] JSON_VALUED = {
        {"requestParameters", P + "request_parameters"},
        {"responseElements", P + "response_elements"},
        {"additionalEventData", P + "additional_eventdata"},
        {"serviceEventDetails", P + "service_event_details"},
        {"resources", P + "resources"},
        {"tlsDetails", P + "tls_details"},
    };

    private static final String UI = P + "user_identity.";

    /** Streams the common record, one event object; see {@link CloudTrailEventReader} for when it gives up. */
    private final CloudTrailEventReader reader = new CloudTrailEventReader(EcsJson.MAPPER);

    public CloudTrailDecoder(DecoderOptions options) {}

    @Override
    public String format() {
        return Formats.CLOUDTRAIL;
    }

    @Override
    public DecodeResult decode(RawRecord record) {
        byte[] bytes = record.bytes();
        String text = RecordUtf8.strict(bytes);
        if (text == null) {
            return DecodeResult.failure("CloudTrail record is not valid UTF-8");
        }
        text = RecordUtf8.stripLineEnd(text);
        String[] error = new String[1];
        if (!RecordUtf8.startsWithByteOrderMark(bytes)) { // which the text path refuses
            CloudTrailEvent streamed = reader.read(bytes);
            if (streamed != null) {
                SecurityEvent event = event(streamed, text, record, error);
                return event == null ? DecodeResult.failure("CloudTrail record: " + error[0]) : DecodeResult.of(event);
            }
        }
        JsonNode doc = JsonRecords.parse(text, error);
        if (doc == null) {
            return DecodeResult.failure("CloudTrail record: " + error[0]);
        }
        if (!doc.isObject()) {
            return DecodeResult.failure("CloudTrail record: expected a JSON object, found " + doc.getNodeType());
        }
        JsonNode records = doc.get("Records");
        if (records == null) {
            SecurityEvent event = event(CloudTrailEvent.of(doc), text, record, error);
            return event == null ? DecodeResult.failure("CloudTrail record: " + error[0]) : DecodeResult.of(event);
        }
        if (!records.isArray()) {
            return DecodeResult.failure("CloudTrail file object: \"Records\" is not an array");
        }
        if (records.isEmpty()) {
            return DecodeResult.failure("CloudTrail file object: \"Records\" is empty");
        }
        List<SecurityEvent> events = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            JsonNode element = records.get(i);
            if (!element.isObject()) {
                return DecodeResult.failure("CloudTrail file object: Records[" + i + "] is not an object");
            }
            SecurityEvent event = event(CloudTrailEvent.of(element), EcsJson.toJson(element), record, error);
            if (event == null) {
                return DecodeResult.failure("CloudTrail file object: Records[" + i + "]: " + error[0]);
            }
            events.add(event);
        }
        return DecodeResult.of(events);
    }

    /** One CloudTrail event object as an event, or {@code null} with the reason in {@code error[0]}. */
    private static SecurityEvent event(CloudTrailEvent r, String original, RawRecord record, String[] error) {
        String eventName = r.text("eventName");
        if (eventName == null) {
            error[0] = "no eventName";
            return null;
        }
        String time = r.text("eventTime");
        if (time == null) {
            time = r.text("@timestamp");
        }
        if (time == null) {
            error[0] = "no eventTime (nor @timestamp)";
            return null;
        }
        Instant timestamp;
        try {
            timestamp = IsoInstant.parse(time);
        } catch (DateTimeParseException e) {
            error[0] = "eventTime is not ISO-8601: '" + clip(time) + "'";
            return null;
        }
        SecurityEvent.Builder b = SecurityEvent.builder()
                .origin(record.origin())
                .timestamp(timestamp)
                .eventOriginal(original)
                .eventModule(MODULE)
                .eventDataset(DATASET)
                .eventAction(eventName)
                .eventProvider(r.text("eventSource"))
                .userAgentOriginal(r.text("userAgent"))
                .cloudProvider("aws")
                .cloudRegion(r.text("awsRegion"));
        String errorCode = r.text("errorCode");
        b.eventOutcome(errorCode != null || consoleLoginFailed(r) ? "failure" : "success");
        if ("ConsoleLogin".equals(eventName)) {
            b.eventCategory("authentication").eventType("start");
        }
        String sourceAddress = r.text("sourceIPAddress");
        if (IpLiteral.isIp(sourceAddress)) {
            b.sourceIp(sourceAddress);
        } else {
            b.sourceDomain(sourceAddress); // "AWS Internal", "ec2.amazonaws.com", …
        }
        String account = r.text("recipientAccountId");
        if (account == null) {
            account = r.identity("accountId");
        }
        b.cloudAccountId(account);
        if (r.hasIdentity()) {
            b.userName(UserIdentities.userName(r.identity("userName"), r.identity("type"), r.identity("arn")));
        }
        b.userId(r.identity("principalId"));
        identity(b, r);
        for (String[] m : TOP_LEVEL) {
            b.field(m[1], r.text(m[0]));
        }
        for (String[] m : JSON_VALUED) {
            JsonNode v = r.json(m[0]);
            if (v != null && !v.isNull() && !(v.isContainerNode() && v.isEmpty())) {
                String json = v.isTextual() ? v.asText() : EcsJson.toJson(v);
                if (json.length() > MAX_JSON_FIELD_CHARS) {
                    json = json.substring(0, MAX_JSON_FIELD_CHARS);
                    b.tag(TRUNCATED_TAG);
                }
                b.field(m[1], json);
            }
        }
        return b.build();
    }

    private static void identity(SecurityEvent.Builder b, CloudTrailEvent r) {
        if (!r.hasIdentity()) {
            return;
        }
        b.field(UI + "type", r.identity("type"));
        b.field(UI + "arn", r.identity("arn"));
        b.field(UI + "access_key_id", r.identity("accessKeyId"));
        b.field(UI + "invoked_by", r.identity("invokedBy"));
        if (r.hasIssuer()) {
            String sc = UI + "session_context.session_issuer.";
            b.field(sc + "type", r.issuer("type"));
            b.field(sc + "arn", r.issuer("arn"));
            b.field(sc + "principal_id", r.issuer("principalId"));
            String roleName = r.issuer("userName");
            b.field(sc + "user_name", roleName);
            // the role behind an assumed-role session is who acted as much as the session
            b.relatedUser(roleName);
        }
        if (r.hasAttributes()) {
            b.field(UI + "session_context.mfa_authenticated", r.attribute("mfaAuthenticated"));
            b.field(UI + "session_context.creation_date", r.attribute("creationDate"));
        }
    }

    /** Failed console sign-ins carry no errorCode, only responseElements.ConsoleLogin "Failure". */
    private static boolean consoleLoginFailed(CloudTrailEvent r) {
        JsonNode response = r.json("responseElements");
        return response != null && response.isObject() && "Failure".equals(UserIdentities.text(response, "ConsoleLogin"));
    }

    private static String clip(String v) {
        return v.length() <= 60 ? v : v.substring(0, 60) + "…";
    }
}
