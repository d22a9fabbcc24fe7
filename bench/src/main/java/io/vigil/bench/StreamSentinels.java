package io.vigil.bench;

import io.vigil.simulate.HostileCorpus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The closing record of each raw topic of a stream benchmark: one quiet, valid record of the format
 * at a time well after the input, so the watermark of every topic passes every window of the input
 * and the job's output becomes complete without the end of input a replay has. From host
 * {@value #HOST} and address {@value #ADDRESS}: nothing of the input.
 */
final class StreamSentinels {

    static final String HOST = "bench-closing";
    static final String ADDRESS = "10.255.255.254";

    private static final DateTimeFormatter SYSLOG_TIME =
            DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ACCESS_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private StreamSentinels() {}

    /** The closing record of corpus format {@code format} ({@link HostileCorpus#FILES}) at {@code t}. */
    static byte[] record(String format, Instant t) {
        String iso = DateTimeFormatter.ISO_INSTANT.format(t);
        String zeekTs = t.getEpochSecond() + ".000000";
        String text = switch (format) {
            case HostileCorpus.SYSLOG -> SYSLOG_TIME.format(t) + " " + HOST
                    + " CRON[4242]: pam_unix(cron:session): session closed for user root";
            case HostileCorpus.WINDOWS -> "{\"@timestamp\":\"" + iso + "\",\"winlog\":{\"channel\":\"Security\","
                    + "\"provider_name\":\"Microsoft-Windows-Security-Auditing\",\"event_id\":4634,\"computer_name\":\""
                    + HOST + "\",\"event_data\":{\"TargetUserName\":\"closing\",\"TargetDomainName\":\"BENCH\","
                    + "\"LogonType\":\"3\"}}}";
            case HostileCorpus.ACCESS -> ADDRESS + " - - [" + ACCESS_TIME.format(t)
                    + "] \"GET /healthz HTTP/1.1\" 200 2 \"-\" \"bench\"";
            case HostileCorpus.CLOUDTRAIL -> "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\","
                    + "\"arn\":\"arn:aws:iam::123456789012:user/closing\",\"accountId\":\"123456789012\"},\"eventTime\":\""
                    + iso + "\",\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"DescribeInstances\","
                    + "\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"" + ADDRESS + "\",\"userAgent\":\"bench\","
                    + "\"eventID\":\"closing\",\"readOnly\":true,\"eventType\":\"AwsApiCall\","
                    + "\"recipientAccountId\":\"123456789012\"}";
            case HostileCorpus.ZEEK -> String.join("\t", zeekTs, "Cclosing", ADDRESS, "49152", "10.0.0.53", "53", "udp",
                    "dns", "0.010000", "40", "120", "SF");
            case HostileCorpus.ZEEK_JSON -> "{\"conn\":{\"ts\":" + zeekTs + ",\"uid\":\"CJclosing\",\"id.orig_h\":\""
                    + ADDRESS + "\",\"id.orig_p\":49152,\"id.resp_h\":\"10.0.0.80\",\"id.resp_p\":80,\"proto\":\"tcp\","
                    + "\"service\":\"http\",\"duration\":0.01,\"orig_bytes\":40,\"resp_bytes\":120,\"conn_state\":\"SF\"}}";
            case HostileCorpus.ECS -> "{\"@timestamp\":\"" + iso + "\",\"event\":{\"kind\":\"event\",\"category\":"
                    + "[\"network\"],\"action\":\"flow\"},\"source\":{\"ip\":\"" + ADDRESS + "\"},\"destination\":"
                    + "{\"ip\":\"10.0.0.1\",\"port\":443},\"host\":{\"name\":\"" + HOST + "\"}}";
            default -> throw new IllegalArgumentException("no closing record for format " + format);
        };
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
