package io.vigil.formats;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Pins the complete ECS output of {@link CloudTrailDecoder} (every field, and every failure
 * reason) on hand-made records, on malformed input and on the OTRF CloudTrail file, so that a
 * faster decoder provably gives the same events. See {@link GoldenOutput}.
 */
class CloudTrailGoldenTest {

    private static final String IAM = CloudTrailDecoderTest.IAM_USER_CALL;
    private static final String ROLE = CloudTrailDecoderTest.ASSUMED_ROLE_DENIED;
    private static final String SERVICE = CloudTrailDecoderTest.SERVICE_CALL;

    /** {@code IAM} with its eventTime replaced. */
    private static String at(String time) {
        return IAM.replace("\"2024-03-01T12:00:00Z\"", time);
    }

    /** {@code IAM} with one more member at the end. */
    private static String plus(String member) {
        return IAM.substring(0, IAM.length() - 1) + "," + member + "}";
    }

    @Test
    void outputIsPinned() throws IOException {
        GoldenOutput golden = new GoldenOutput("cloudtrail");
        CloudTrailDecoder d = new CloudTrailDecoder(DecoderOptions.defaults());
        String big = "x".repeat(9000);
        String[][] cases = {
            {"iam-user", IAM},
            {"assumed-role-denied", ROLE},
            {"service", SERVICE},
            {"records", "{\"Records\":[" + IAM + "," + ROLE + "," + SERVICE + "]}"},
            {"records-with-more", "{\"a\":1,\"Records\":[" + IAM + "],\"b\":[]}"},
            {"records-bad-element", "{\"Records\":[" + IAM + ",{\"eventTime\":\"2024-03-01T12:00:00Z\"}]}"},
            {"records-empty", "{\"Records\":[]}"},
            {"records-object", "{\"Records\":{}}"},
            {"records-null", "{\"Records\":null}"},
            {"records-number", "{\"Records\":[1]}"},
            {"records-last", IAM.substring(0, IAM.length() - 1) + ",\"Records\":[" + SERVICE + "]}"},
            {"time-millis", at("\"2024-03-01T12:00:00.123Z\"")},
            {"time-nanos", at("\"2024-03-01T12:00:00.123456789Z\"")},
            {"time-one-digit", at("\"2024-03-01T12:00:00.1Z\"")},
            {"time-ten-digits", at("\"2024-03-01T12:00:00.1234567891Z\"")},
            {"time-dot-only", at("\"2024-03-01T12:00:00.Z\"")},
            {"time-offset", at("\"2024-03-01T12:00:00+02:00\"")},
            {"time-offset-seconds", at("\"2024-03-01T12:00:00-01:30:15\"")},
            {"time-lowercase", at("\"2024-03-01t12:00:00z\"")},
            {"time-no-seconds", at("\"2024-03-01T12:00Z\"")},
            {"time-no-zone", at("\"2024-03-01T12:00:00\"")},
            {"time-feb-30", at("\"2024-02-30T12:00:00Z\"")},
            {"time-feb-29", at("\"2024-02-29T23:59:59Z\"")},
            {"time-feb-29-2023", at("\"2023-02-29T23:59:59Z\"")},
            {"time-hour-24", at("\"2024-03-01T24:00:00Z\"")},
            {"time-leap-second", at("\"2016-12-31T23:59:60Z\"")},
            {"time-month-13", at("\"2024-13-01T12:00:00Z\"")},
            {"time-year-0", at("\"0000-01-01T00:00:00Z\"")},
            {"time-year-5-digits", at("\"+12024-03-01T12:00:00Z\"")},
            {"time-negative-year", at("\"-0001-03-01T12:00:00Z\"")},
            {"time-space", at("\"2024-03-01 12:00:00Z\"")},
            {"time-arabic-digits", at("\"\u0662\u0660\u0662\u0664-03-01T12:00:00Z\"")},
            {"time-trailing", at("\"2024-03-01T12:00:00Zjunk\"")},
            {"time-number", at("1709294400")},
            {"time-object", at("{\"t\":1}")},
            {"time-empty", at("\"\"")},
            {"at-timestamp", IAM.replace("\"eventTime\"", "\"@timestamp\"")},
            {"both-times", plus("\"@timestamp\":\"2000-01-01T00:00:00Z\"")},
            {"time-null-at-timestamp", at("null").replace("\"readOnly\"", "\"@timestamp\":\"2024-03-01T12:00:01Z\",\"readOnly\"")},
            {"event-name-number", IAM.replace("\"ListBuckets\"", "42")},
            {"event-name-float", IAM.replace("\"ListBuckets\"", "4.20e1")},
            {"event-name-empty", IAM.replace("\"ListBuckets\"", "\"\"")},
            {"event-name-bool", IAM.replace("\"ListBuckets\"", "false")},
            {"event-name-array", IAM.replace("\"ListBuckets\"", "[\"a\"]")},
            {"event-name-null", IAM.replace("\"ListBuckets\"", "null")},
            {"no-event-name", IAM.replace("\"eventName\":\"ListBuckets\",", "")},
            {"dup-event-name", plus("\"eventName\":\"GetObject\"")},
            {"dup-event-name-object", plus("\"eventName\":{}")},
            {"dup-identity", plus("\"userIdentity\":{\"type\":\"Root\",\"arn\":\"arn:aws:iam::1:root\"}")},
            {"dup-identity-string", plus("\"userIdentity\":\"alice\"")},
            {"identity-array", IAM.replace("\"userIdentity\":{", "\"userIdentity\":[{").replace(",\"userName\":\"alice\"}", ",\"userName\":\"alice\"}]")},
            {"identity-numbers", IAM.replace("\"111122223333\",\"accessKeyId\"", "111122223333,\"accessKeyId\"")},
            {"identity-federated", IAM.replace("\"IAMUser\"", "\"FederatedUser\"").replace(",\"userName\":\"alice\"", "")},
            {"identity-federated-slash", IAM.replace("\"IAMUser\"", "\"FederatedUser\"").replace(",\"userName\":\"alice\"", "")
                    .replace("user/alice", "user/")},
            {"identity-root", IAM.replace("\"IAMUser\"", "\"Root\"").replace(",\"userName\":\"alice\"", "")},
            {"identity-dup-session", ROLE.replace("\"ec2RoleDelivery\":\"2.0\"", "\"sessionIssuer\":{\"userName\":\"Other\"},\"attributes\":null")},
            {"identity-session-not-object", ROLE.replace("\"sessionContext\":{", "\"sessionContext\":[{").replace("\"2.0\"}}", "\"2.0\"}]}")},
            {"identity-issuer-number", ROLE.replace("\"userName\":\"WebRole\"", "\"userName\":7")},
            {"account-number", IAM.replace("\"recipientAccountId\":\"111122223333\"", "\"recipientAccountId\":111122223333")},
            {"read-only-string", IAM.replace("\"readOnly\":true", "\"readOnly\":\"true\"")},
            {"version-number", IAM.replace("\"eventVersion\":\"1.08\"", "\"eventVersion\":1.080")},
            {"params-string", IAM.replace("{\"Host\":\"s3.eu-west-1.amazonaws.com\"}", "\"a \\\"string\\\"\"")},
            {"params-number", IAM.replace("{\"Host\":\"s3.eu-west-1.amazonaws.com\"}", "1.50e2")},
            {"params-int", IAM.replace("{\"Host\":\"s3.eu-west-1.amazonaws.com\"}", "-0")},
            {"params-bool", IAM.replace("{\"Host\":\"s3.eu-west-1.amazonaws.com\"}", "false")},
            {"params-empty-object", IAM.replace("{\"Host\":\"s3.eu-west-1.amazonaws.com\"}", "{}")},
            {"params-empty-array", IAM.replace("{\"Host\":\"s3.eu-west-1.amazonaws.com\"}", "[ ]")},
            {"params-empty-string", IAM.replace("{\"Host\":\"s3.eu-west-1.amazonaws.com\"}", "\"\"")},
            {"params-rich", IAM.replace("{\"Host\":\"s3.eu-west-1.amazonaws.com\"}",
                    "{ \"b\" : [1, 2.50, 1e400, 12345678901234567890123, -0.0, true, null, \"caf\\u00e9 \\/ \u65e5\"], \"a\":{\"z\":1,\"z\":2},"
                    + "\"ctl\":\"\\u0001\\t\",\"z\":{}}")},
            {"params-big", IAM.replace("{\"Host\":\"s3.eu-west-1.amazonaws.com\"}", "{\"k\":\"" + big + "\"}")},
            {"params-big-string", IAM.replace("{\"Host\":\"s3.eu-west-1.amazonaws.com\"}", "\"" + big + "\"")},
            {"all-json-valued", plus("\"additionalEventData\":{\"x\":1},\"serviceEventDetails\":[1],\"resources\":[{\"ARN\":\"a\"}],"
                    + "\"tlsDetails\":{\"tlsVersion\":\"TLSv1.2\"},\"responseElements\":{\"ConsoleLogin\":\"Success\"}")},
            {"console-login-failure", IAM.replace("\"ListBuckets\"", "\"ConsoleLogin\"").replace("\"responseElements\":null",
                    "\"responseElements\":{\"ConsoleLogin\":\"Failure\"}")},
            {"console-login-failure-array", IAM.replace("\"responseElements\":null", "\"responseElements\":[{\"ConsoleLogin\":\"Failure\"}]")},
            {"console-login-success", IAM.replace("\"ListBuckets\"", "\"ConsoleLogin\"")},
            {"dup-response", IAM.replace("\"responseElements\":null", "\"responseElements\":{\"ConsoleLogin\":\"Failure\"},\"responseElements\":{}")},
            {"error-code-number", plus("\"errorCode\":403")},
            {"error-code-null", plus("\"errorCode\":null")},
            {"source-domain", IAM.replace("203.0.113.10", "AWS Internal")},
            {"source-empty", IAM.replace("\"203.0.113.10\"", "\"\"")},
            {"source-ipv6", IAM.replace("203.0.113.10", "::ffff:1.2.3.4")},
            {"non-ascii", IAM.replace("aws-cli/2.15.0", "na\u00efve \u65e5\u672c \ud83d\ude00")},
            {"escapes", IAM.replace("aws-cli/2.15.0", "a\\\"b\\\\c\\/d\\u0041\\n")},
            {"crlf", IAM + "\r\n"},
            {"cr", IAM + "\r"},
            {"lf-lf", IAM + "\n\n"},
            {"whitespace", " \t" + IAM + " \t"},
            {"bom", "\uFEFF" + IAM},
            {"empty", ""},
            {"blank", "  "},
            {"array", "[1,2]"},
            {"string", "\"x\""},
            {"null", "null"},
            {"not-json", "Mar  1 12:00:00 host sshd: hello"},
            {"trailing-junk", "{\"eventName\":\"X\"} trailing"},
            {"two-objects", IAM + IAM},
            {"trailing-comma", "{\"eventName\":\"X\",}"},
            {"unquoted-control", IAM.replace("aws-cli/2.15.0", "a\tb")},
            {"bad-escape", IAM.replace("aws-cli/2.15.0", "a\\qb")},
            {"bad-escape-skipped", plus("\"unknownMember\":\"a\\qb\"")},
            {"nul-byte", IAM.replace(",\"eventSource\"", ",\u0000\"eventSource\"")},
            {"deep", plus("\"x\":" + "[".repeat(1200) + "]".repeat(1200))},
            {"deep-params", IAM.replace("{\"Host\":\"s3.eu-west-1.amazonaws.com\"}", "[".repeat(900) + "]".repeat(900))},
        };
        for (String[] c : cases) {
            golden.add(c[0], decode(d, c[1].getBytes(UTF_8)));
        }
        byte[] bad = IAM.getBytes(UTF_8);
        bad[30] = (byte) 0xC3;
        golden.add("invalid-utf8", decode(d, bad));
        golden.add("utf16le", decode(d, IAM.getBytes(java.nio.charset.StandardCharsets.UTF_16LE)));
        golden.add("utf16le-bom", decode(d, ("\uFEFF" + IAM).getBytes(java.nio.charset.StandardCharsets.UTF_16LE)));
        for (String base : new String[] {ROLE, IAM}) {
            byte[] bytes = base.getBytes(UTF_8);
            for (int i = 0; i < bytes.length; i++) {
                golden.add((base == ROLE ? "role" : "iam") + " prefix " + i, decode(d, Arrays.copyOf(bytes, i)));
            }
        }
        golden.addDataset(d, Formats.CLOUDTRAIL, "otrf-security-datasets/aws/ec2_proxy_s3_exfiltration_2020-09-14011940.json",
                3, r -> r.ok() ? r.events().get(0).eventAction() : "failure");
        golden.verify();
    }

    private static DecodeResult decode(Decoder d, byte[] bytes) {
        try {
            return d.decode(RawRecord.of(bytes, Origin.kafka("cloudtrail", 2, 41), Formats.CLOUDTRAIL));
        } catch (RuntimeException | StackOverflowError e) {
            return DecodeResult.failure("THREW " + e);
        }
    }
}
