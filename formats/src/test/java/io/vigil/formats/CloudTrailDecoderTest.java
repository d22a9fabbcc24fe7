package io.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CloudTrailDecoderTest {

    static final String IAM_USER_CALL = "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\","
            + "\"principalId\":\"AIDAEXAMPLE\",\"arn\":\"arn:aws:iam::111122223333:user/alice\","
            + "\"accountId\":\"111122223333\",\"accessKeyId\":\"AKIAEXAMPLE\",\"userName\":\"alice\"},"
            + "\"eventTime\":\"2024-03-01T12:00:00Z\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"ListBuckets\","
            + "\"awsRegion\":\"eu-west-1\",\"sourceIPAddress\":\"203.0.113.10\",\"userAgent\":\"aws-cli/2.15.0\","
            + "\"requestParameters\":{\"Host\":\"s3.eu-west-1.amazonaws.com\"},\"responseElements\":null,"
            + "\"requestID\":\"REQ1\",\"eventID\":\"EV1\",\"readOnly\":true,\"eventType\":\"AwsApiCall\","
            + "\"managementEvent\":true,\"recipientAccountId\":\"111122223333\",\"eventCategory\":\"Management\","
            + "\"vpcEndpointId\":\"vpce-1234\"}";

    static final String ASSUMED_ROLE_DENIED = "{\"userIdentity\":{\"type\":\"AssumedRole\","
            + "\"principalId\":\"AROAEXAMPLE:i-0abc\",\"arn\":\"arn:aws:sts::111122223333:assumed-role/WebRole/i-0abc\","
            + "\"accountId\":\"111122223333\",\"accessKeyId\":\"ASIAEXAMPLE\",\"sessionContext\":{\"sessionIssuer\":"
            + "{\"type\":\"Role\",\"principalId\":\"AROAEXAMPLE\",\"arn\":\"arn:aws:iam::111122223333:role/WebRole\","
            + "\"accountId\":\"111122223333\",\"userName\":\"WebRole\"},\"attributes\":{\"mfaAuthenticated\":\"false\","
            + "\"creationDate\":\"2024-03-01T11:00:00Z\"},\"ec2RoleDelivery\":\"2.0\"}},"
            + "\"eventTime\":\"2024-03-01T12:01:00Z\",\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"CreateUser\","
            + "\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"2001:db8::7\",\"userAgent\":\"Boto3/1.34\","
            + "\"errorCode\":\"AccessDenied\",\"errorMessage\":\"User is not authorized to perform iam:CreateUser\","
            + "\"requestParameters\":null,\"responseElements\":null,\"eventID\":\"EV2\"}";

    static final String SERVICE_CALL = "{\"userIdentity\":{\"type\":\"AWSService\",\"invokedBy\":\"ec2.amazonaws.com\"},"
            + "\"eventTime\":\"2024-03-01T12:02:00Z\",\"eventSource\":\"sts.amazonaws.com\",\"eventName\":\"AssumeRole\","
            + "\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"ec2.amazonaws.com\",\"userAgent\":\"ec2.amazonaws.com\","
            + "\"requestParameters\":{\"roleArn\":\"arn:aws:iam::111122223333:role/WebRole\",\"roleSessionName\":\"i-0abc\"},"
            + "\"recipientAccountId\":\"111122223333\",\"eventID\":\"EV3\"}";

    private final CloudTrailDecoder decoder = new CloudTrailDecoder(DecoderOptions.defaults());

    private DecodeResult decode(String text) {
        return decode(text.getBytes(StandardCharsets.UTF_8));
    }

    private DecodeResult decode(byte[] bytes) {
        return decoder.decode(RawRecord.of(bytes, Origin.kafka("cloudtrail", 2, 41), Formats.CLOUDTRAIL));
    }

    private SecurityEvent one(String text) {
        DecodeResult r = decode(text);
        assertThat(r.ok()).as("%s", r).isTrue();
        assertThat(r.events()).hasSize(1);
        return r.events().get(0);
    }

    @Test
    void singleRecord() {
        SecurityEvent e = one(IAM_USER_CALL + "\n");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2024-03-01T12:00:00Z"));
        assertThat(e.eventAction()).isEqualTo("ListBuckets");
        assertThat(e.eventProvider()).isEqualTo("s3.amazonaws.com");
        assertThat(e.eventOutcome()).isEqualTo("success");
        assertThat(e.eventModule()).isEqualTo("aws");
        assertThat(e.eventDataset()).isEqualTo("aws.cloudtrail");
        assertThat(e.sourceIp()).isEqualTo("203.0.113.10");
        assertThat(e.sourceDomain()).isNull();
        assertThat(e.userAgentOriginal()).isEqualTo("aws-cli/2.15.0");
        assertThat(e.userName()).isEqualTo("alice");
        assertThat(e.userId()).isEqualTo("AIDAEXAMPLE");
        assertThat(e.cloudProvider()).isEqualTo("aws");
        assertThat(e.cloudRegion()).isEqualTo("eu-west-1");
        assertThat(e.cloudAccountId()).isEqualTo("111122223333");
        assertThat(e.eventOriginal()).isEqualTo(IAM_USER_CALL);
        assertThat(e.origin()).isEqualTo(Origin.kafka("cloudtrail", 2, 41));
        assertThat(e.fields()).containsEntry("aws.cloudtrail.user_identity.type", "IAMUser")
                .containsEntry("aws.cloudtrail.user_identity.arn", "arn:aws:iam::111122223333:user/alice")
                .containsEntry("aws.cloudtrail.user_identity.access_key_id", "AKIAEXAMPLE")
                .containsEntry("aws.cloudtrail.event_type", "AwsApiCall")
                .containsEntry("aws.cloudtrail.event_category", "Management")
                .containsEntry("aws.cloudtrail.event_id", "EV1")
                .containsEntry("aws.cloudtrail.request_id", "REQ1")
                .containsEntry("aws.cloudtrail.read_only", "true")
                .containsEntry("aws.cloudtrail.management_event", "true")
                .containsEntry("aws.cloudtrail.event_version", "1.08")
                .containsEntry("aws.cloudtrail.vpc_endpoint_id", "vpce-1234")
                .containsEntry("aws.cloudtrail.request_parameters", "{\"Host\":\"s3.eu-west-1.amazonaws.com\"}")
                .doesNotContainKey("aws.cloudtrail.response_elements")
                .doesNotContainKey("aws.cloudtrail.error_code");
    }

    @Test
    void assumedRoleWithErrorCode() {
        SecurityEvent e = one(ASSUMED_ROLE_DENIED);
        assertThat(e.eventOutcome()).isEqualTo("failure");
        assertThat(e.sourceIp()).isEqualTo("2001:db8::7");
        // the session name: last segment of the assumed-role ARN
        assertThat(e.userName()).isEqualTo("i-0abc");
        assertThat(e.userId()).isEqualTo("AROAEXAMPLE:i-0abc");
        assertThat(e.relatedUser()).containsExactlyInAnyOrder("i-0abc", "WebRole");
        assertThat(e.cloudAccountId()).isEqualTo("111122223333"); // from userIdentity.accountId
        assertThat(e.fields()).containsEntry("aws.cloudtrail.error_code", "AccessDenied")
                .containsEntry("aws.cloudtrail.error_message", "User is not authorized to perform iam:CreateUser")
                .containsEntry("aws.cloudtrail.user_identity.session_context.session_issuer.arn",
                        "arn:aws:iam::111122223333:role/WebRole")
                .containsEntry("aws.cloudtrail.user_identity.session_context.session_issuer.type", "Role")
                .containsEntry("aws.cloudtrail.user_identity.session_context.session_issuer.user_name", "WebRole")
                .containsEntry("aws.cloudtrail.user_identity.session_context.mfa_authenticated", "false")
                .doesNotContainKey("aws.cloudtrail.request_parameters");
    }

    @Test
    void serviceCallerIsASourceDomainWithoutUser() {
        SecurityEvent e = one(SERVICE_CALL);
        assertThat(e.sourceIp()).isNull();
        assertThat(e.sourceDomain()).isEqualTo("ec2.amazonaws.com");
        assertThat(e.userName()).isNull();
        assertThat(e.relatedUser()).isEmpty();
        assertThat(e.fields()).containsEntry("aws.cloudtrail.user_identity.type", "AWSService")
                .containsEntry("aws.cloudtrail.user_identity.invoked_by", "ec2.amazonaws.com");
        assertThat(one(SERVICE_CALL.replace("\"ec2.amazonaws.com\",\"userAgent\"", "\"AWS Internal\",\"userAgent\"")).sourceDomain())
                .isEqualTo("AWS Internal");
    }

    @Test
    void atTimestampStandsInForEventTime() {
        SecurityEvent e = one(IAM_USER_CALL.replace("\"eventTime\":\"2024-03-01T12:00:00Z\"", "\"@timestamp\":\"2020-09-14T00:44:23.000Z\""));
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2020-09-14T00:44:23Z"));
    }

    @Test
    void failedConsoleLoginIsAFailedAuthentication() {
        String login = "{\"userIdentity\":{\"type\":\"IAMUser\",\"accountId\":\"111122223333\",\"principalId\":\"AIDA\","
                + "\"userName\":\"bob\"},\"eventTime\":\"2024-03-01T12:03:00Z\",\"eventSource\":\"signin.amazonaws.com\","
                + "\"eventName\":\"ConsoleLogin\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"198.51.100.1\","
                + "\"errorMessage\":\"Failed authentication\",\"responseElements\":{\"ConsoleLogin\":\"Failure\"}}";
        SecurityEvent e = one(login);
        assertThat(e.eventOutcome()).isEqualTo("failure");
        assertThat(e.eventCategory()).containsExactly("authentication");
        assertThat(e.fields()).containsEntry("aws.cloudtrail.response_elements", "{\"ConsoleLogin\":\"Failure\"}");
    }

    @Test
    void recordsObjectGivesOneEventPerElement() {
        String file = "{\"Records\":[" + IAM_USER_CALL + "," + ASSUMED_ROLE_DENIED + "," + SERVICE_CALL + "]}";
        DecodeResult r = decode(file);
        assertThat(r.ok()).as("%s", r).isTrue();
        assertThat(r.events()).extracting(SecurityEvent::eventAction).containsExactly("ListBuckets", "CreateUser", "AssumeRole");
        assertThat(r.events()).extracting(SecurityEvent::eventOutcome).containsExactly("success", "failure", "success");
        assertThat(r.events()).allSatisfy(e -> assertThat(e.origin()).isEqualTo(Origin.kafka("cloudtrail", 2, 41)));
        // each event keeps its own element as the original, not the whole file
        assertThat(r.events().get(2).eventOriginal()).startsWith("{\"userIdentity\":{\"type\":\"AWSService\"")
                .doesNotContain("Records");
    }

    @Test
    void recordsObjectWithABadElementIsRefusedWhole() {
        String file = "{\"Records\":[" + IAM_USER_CALL + ",{\"eventTime\":\"2024-03-01T12:00:00Z\"}]}";
        assertThat(decode(file).error()).isEqualTo("CloudTrail file object: Records[1]: no eventName");
        assertThat(decode("{\"Records\":[]}").error()).contains("\"Records\" is empty");
        assertThat(decode("{\"Records\":{}}").error()).contains("\"Records\" is not an array");
        assertThat(decode("{\"Records\":[1]}").error()).contains("Records[0] is not an object");
    }

    @Test
    void missingEventNameOrTime() {
        assertThat(decode(IAM_USER_CALL.replace("\"eventName\":\"ListBuckets\",", "")).error())
                .isEqualTo("CloudTrail record: no eventName");
        assertThat(decode(IAM_USER_CALL.replace("\"eventTime\":\"2024-03-01T12:00:00Z\",", "")).error())
                .contains("no eventTime");
        assertThat(decode(IAM_USER_CALL.replace("2024-03-01T12:00:00Z", "yesterday")).error())
                .contains("not ISO-8601");
    }

    @Test
    void truncatedJsonNamesThePosition() {
        String cut = IAM_USER_CALL.substring(0, 100);
        String error = decode(cut).error();
        assertThat(error).startsWith("CloudTrail record: invalid JSON at line 1, column ").contains("end-of-input");
        assertThat(decode("{\"eventName\":\"X\"} trailing").error()).contains("invalid JSON at line 1, column");
    }

    @Test
    void notAnObjectNotJsonNotUtf8() {
        assertThat(decode("[1,2]").error()).contains("expected a JSON object, found ARRAY");
        assertThat(decode("").error()).contains("empty record");
        assertThat(decode("Mar  1 12:00:00 host sshd: hello").error()).contains("invalid JSON");
        byte[] bad = IAM_USER_CALL.getBytes(StandardCharsets.UTF_8);
        bad[30] = (byte) 0xC3; // a lead byte followed by ASCII
        assertThat(decode(bad).error()).isEqualTo("CloudTrail record is not valid UTF-8");
    }

    @Test
    void everyPrefixFailsWithAReasonWithoutThrowing() {
        for (int i = 0; i < ASSUMED_ROLE_DENIED.length(); i++) {
            assertThat(decode(ASSUMED_ROLE_DENIED.substring(0, i)).error()).isNotNull();
        }
    }
}
