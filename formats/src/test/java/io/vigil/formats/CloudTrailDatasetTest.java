package io.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.model.EcsJson;
import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OTRF ec2_proxy_s3_exfiltration CloudTrail file against GROUND_TRUTH.md §6. */
class CloudTrailDatasetTest {

    private static final String FILE = "otrf-security-datasets/aws/ec2_proxy_s3_exfiltration_2020-09-14011940.json";
    private static final List<String> LINES = new ArrayList<>();
    private static final List<SecurityEvent> EVENTS = new ArrayList<>();
    private static final List<String> FAILURES = new ArrayList<>();

    @BeforeAll
    static void decodeAll() throws IOException {
        LINES.addAll(Files.readAllLines(Datasets.file(FILE), StandardCharsets.UTF_8));
        CloudTrailDecoder decoder = new CloudTrailDecoder(DecoderOptions.defaults());
        for (int i = 0; i < LINES.size(); i++) {
            DecodeResult r = decoder.decode(RawRecord.of(LINES.get(i).getBytes(StandardCharsets.UTF_8),
                    Origin.file(FILE, i + 1), Formats.CLOUDTRAIL));
            if (r.ok()) {
                assertThat(r.events()).hasSize(1);
                EVENTS.addAll(r.events());
            } else {
                FAILURES.add((i + 1) + ": " + r.error());
            }
        }
    }

    private static <K> Map<K, Long> count(Function<SecurityEvent, K> key, Predicate<SecurityEvent> filter) {
        return EVENTS.stream().filter(filter).map(key).filter(Objects::nonNull)
                .collect(Collectors.groupingBy(k -> k, TreeMap::new, Collectors.counting()));
    }

    @Test
    void everyRecordDecodes() {
        assertThat(FAILURES).isEmpty();
        assertThat(EVENTS).hasSize(103);
        assertThat(EVENTS).allSatisfy(e -> {
            assertThat(e.eventAction()).isNotEmpty();
            assertThat(e.eventProvider()).endsWith(".amazonaws.com");
            assertThat(e.eventOutcome()).isEqualTo("success"); // no record has errorCode
            assertThat(e.cloudAccountId()).isEqualTo("123456789123");
            assertThat(e.cloudRegion()).isNotEmpty();
        });
    }

    @Test
    void timeRange() {
        assertThat(EVENTS.stream().map(SecurityEvent::timestamp).min(Comparator.naturalOrder()))
                .contains(Instant.parse("2020-09-14T00:44:20Z"));
        assertThat(EVENTS.stream().map(SecurityEvent::timestamp).max(Comparator.naturalOrder()))
                .contains(Instant.parse("2020-09-14T01:13:20Z"));
    }

    @Test
    void eachEventCarriesWhatItsRecordHas() throws IOException {
        for (int i = 0; i < LINES.size(); i++) {
            JsonNode r = EcsJson.MAPPER.readTree(LINES.get(i));
            SecurityEvent e = EVENTS.get(i);
            assertThat(e.eventAction()).isEqualTo(r.get("eventName").asText());
            String address = r.get("sourceIPAddress").asText();
            assertThat(e.sourceIp() != null ? e.sourceIp() : e.sourceDomain()).isEqualTo(address);
            JsonNode arn = r.path("userIdentity").get("arn");
            assertThat(e.field("aws.cloudtrail.user_identity.arn")).isEqualTo(arn == null ? null : arn.asText());
            assertThat(e.field("aws.cloudtrail.event_id")).isEqualTo(r.get("eventID").asText());
            assertThat(e.timestamp()).isEqualTo(Instant.parse(r.get("@timestamp").asText()));
        }
    }

    @Test
    void countsByEventSourceAndName() {
        Map<String, Long> byName = count(e -> e.eventProvider() + " " + e.eventAction(), e -> true);
        assertThat(byName).hasSize(26)
                .containsEntry("ec2.amazonaws.com DescribeInstances", 11L)
                .containsEntry("ec2.amazonaws.com DescribeVolumes", 10L)
                .containsEntry("s3.amazonaws.com ListObjects", 7L)
                .containsEntry("sts.amazonaws.com AssumeRole", 5L)
                .containsEntry("elasticloadbalancing.amazonaws.com DescribeLoadBalancers", 3L)
                .containsEntry("s3.amazonaws.com GetObject", 2L)
                .containsEntry("s3.amazonaws.com ListBuckets", 2L)
                .containsEntry("ec2.amazonaws.com DescribeVolumesModifications", 1L);
    }

    @Test
    void countsByIdentity() {
        Map<String, Long> byIdentity = count(e -> e.field("aws.cloudtrail.user_identity.type") + " "
                + e.field("aws.cloudtrail.user_identity.arn") + " " + (e.sourceIp() != null ? e.sourceIp() : e.sourceDomain()),
                e -> true);
        assertThat(byIdentity).containsExactlyInAnyOrderEntriesOf(Map.of(
                "IAMUser arn:aws:iam::123456789123:user/pedro 1.2.3.4", 87L,
                "AssumedRole arn:aws:sts::123456789123:assumed-role/MordorNginxStack-BankingWAFRole-9S3E0UAE1MM0/i-0317f6c6b66ae9c40 1.2.3.4", 11L,
                "AWSService null ec2.amazonaws.com", 5L));
        assertThat(count(SecurityEvent::userName, e -> true)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "pedro", 87L, "i-0317f6c6b66ae9c40", 11L));
    }

    @Test
    void theAttackCallsWithStolenInstanceCredentials() {
        Predicate<SecurityEvent> stolen = e -> "AssumedRole".equals(e.field("aws.cloudtrail.user_identity.type"));
        assertThat(count(SecurityEvent::eventAction, stolen)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "ListBuckets", 2L, "ListObjects", 7L, "GetObject", 2L));
        assertThat(EVENTS.stream().filter(stolen)).allSatisfy(e -> {
            assertThat(e.userAgentOriginal()).startsWith("[aws-cli/1.18.136 Python/3.8.5 Darwin/19.5.0");
            assertThat(e.field("aws.cloudtrail.user_identity.session_context.session_issuer.arn"))
                    .isEqualTo("arn:aws:iam::123456789123:role/MordorNginxStack-BankingWAFRole-9S3E0UAE1MM0");
        });
        assertThat(EVENTS.stream().filter(stolen.and(e -> e.eventAction().equals("GetObject"))))
                .allSatisfy(e -> assertThat(e.field("aws.cloudtrail.request_parameters")).contains("\"key\":\"ring.txt\""));
    }

    @Test
    void instanceProfileAssumeRoleByService() {
        List<SecurityEvent> assumeRole = EVENTS.stream().filter(e -> e.eventAction().equals("AssumeRole")).toList();
        assertThat(assumeRole).hasSize(5).allSatisfy(e -> {
            assertThat(e.sourceDomain()).isEqualTo("ec2.amazonaws.com");
            assertThat(e.field("aws.cloudtrail.user_identity.invoked_by")).isEqualTo("ec2.amazonaws.com");
        });
        assertThat(assumeRole.stream().filter(e -> e.field("aws.cloudtrail.request_parameters")
                .contains("MordorNginxStack-BankingWAFRole-9S3E0UAE1MM0"))).hasSize(3);
    }
}
