package io.vigil.model.mask;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Alert;
import io.vigil.model.DeadLetter;
import io.vigil.model.KeyEvent;
import io.vigil.model.MassActivity;
import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskerTest {

    private static final Instant T = Instant.parse("2026-12-07T20:00:00Z");
    private static final Origin ORIGIN = Origin.file("auth.log", 7);
    private static final String TYPED = "Summer2024!";

    private final MaskCounts counts = new MaskCounts();

    private static SecurityEvent failedLogin(String user, String outcome) {
        String line = "Dec  7 20:00:00 web sshd[42]: Failed password for invalid user " + user
                + " from 203.0.113.9 port 4711 ssh2";
        return SecurityEvent.builder().timestamp(T).origin(ORIGIN).message(line).eventOriginal(line)
                .eventCategory("authentication").eventType("start").eventAction("ssh_login").eventOutcome(outcome)
                .sourceIp("203.0.113.9").userName(user).hostName("web").build();
    }

    @Test
    void aPasswordTypedAsUserNameIsMaskedEverywhereInItsEvent() {
        SecurityEvent e = new Masker(MaskingPolicy.DEFAULTS).event(failedLogin(TYPED, "failure"), counts);
        assertThat(e.userName()).isEqualTo("[masked]");
        assertThat(e.relatedUser()).containsExactly("[masked]");
        assertThat(e.message()).contains("invalid user [masked] from").doesNotContain(TYPED);
        assertThat(e.eventOriginal()).contains("invalid user [masked] from").doesNotContain(TYPED);
        assertThat(e.sourceIp()).isEqualTo("203.0.113.9");
        assertThat(counts.asMap()).isEqualTo(Map.of("password-user-name", 1L));
    }

    @Test
    void accountNamesSuccessesAndThePolicyDecide() {
        SecurityEvent root = failedLogin("root", "failure");
        assertThat(new Masker(MaskingPolicy.DEFAULTS).event(root, counts)).isSameAs(root);
        SecurityEvent success = failedLogin(TYPED, "success");
        assertThat(new Masker(MaskingPolicy.DEFAULTS).event(success, counts)).isSameAs(success);
        assertThat(counts.total()).isZero();

        MaskingPolicy all = new MaskingPolicy(MaskingPolicy.UserNames.ALL, MaskingPolicy.DEFAULTS.secretParameters());
        assertThat(new Masker(all).event(root, counts).userName()).isEqualTo("[masked]");
        MaskingPolicy off = new MaskingPolicy(MaskingPolicy.UserNames.OFF, MaskingPolicy.DEFAULTS.secretParameters());
        assertThat(new Masker(off).event(failedLogin(TYPED, "failure"), counts).userName()).isEqualTo(TYPED);
    }

    @Test
    void cardsAndSecretsInAnyFieldOfAnEvent() {
        SecurityEvent e = SecurityEvent.builder().timestamp(T).origin(ORIGIN)
                .eventOriginal("{\"responseElements\":{\"credentials\":{\"sessionToken\":\"IQoJEXAMPLE\"}}}")
                .urlOriginal("https://shop.example/pay?pan=4111111111111111&password=pw1")
                .processCommandLine("backup --password S3cret! --card 5555-5555-5555-4444")
                .field("aws.cloudtrail.response_elements",
                        "{\"credentials\":{\"secretAccessKey\":\"wJalrEXAMPLE\",\"sessionToken\":\"IQoJEXAMPLE\"}}")
                .build();
        SecurityEvent masked = new Masker(MaskingPolicy.DEFAULTS).event(e, counts);
        assertThat(masked.urlOriginal()).isEqualTo("https://shop.example/pay?pan=411111******1111&password=[masked]");
        assertThat(masked.processCommandLine()).isEqualTo("backup --password [masked] --card 5555-55**-****-4444");
        assertThat(masked.field("aws.cloudtrail.response_elements"))
                .isEqualTo("{\"credentials\":{\"secretAccessKey\":\"[masked]\",\"sessionToken\":\"[masked]\"}}");
        assertThat(masked.eventOriginal()).doesNotContain("IQoJEXAMPLE");
        assertThat(counts.asMap()).isEqualTo(Map.of("card", 2L, "secret-parameter", 2L, "cloud-secret", 3L));
    }

    @Test
    void onlyTheMaskedFieldChangesWhateverFieldItIs() {
        SecurityEvent e = SecurityEvent.builder().timestamp(T).origin(ORIGIN).message("m").eventAction("a")
                .eventOutcome("o").eventCode("c").eventProvider("p").eventDataset("d").eventModule("mo")
                .eventSequence(3L).eventOriginal("orig").sourceIp("192.0.2.1").sourcePort(1).sourceDomain("sd")
                .destinationIp("192.0.2.2").destinationPort(2).destinationDomain("dd").userName("u").userDomain("ud")
                .userId("ui").userTargetName("ut").hostName("h").hostHostname("hh").processName("pn").processPid(4L)
                .processCommandLine("cl").processExecutable("pe").processParentExecutable("ppe").urlOriginal("uo")
                .urlPath("up").urlQuery("uq").urlDomain("ud2").httpRequestMethod("GET").httpRequestReferrer("ref")
                .httpResponseStatusCode(200).httpResponseBodyBytes(5L).httpVersion("1.1").cloudProvider("aws")
                .cloudRegion("r").cloudAccountId("111122223333").field("aws.cloudtrail.event_id", "id").build();
        Masker masker = new Masker(MaskingPolicy.DEFAULTS);
        assertThat(masker.event(e, counts)).isSameAs(e);
        SecurityEvent withCard = e.toBuilder().userAgentOriginal("agent 4111111111111111").build();
        assertThat(masker.event(withCard, counts))
                .isEqualTo(e.toBuilder().userAgentOriginal("agent 411111******1111").build());
    }

    @Test
    void alertValuesFromEventsAreMasked() {
        Alert alert = new Alert("a1", T, "ssh-password-spray", 1, "spray", "d", "high", 70, List.of(), List.of(),
                List.of(), "user.name", TYPED, Map.of("user.name", TYPED, "source.ip", "203.0.113.9",
                "url.original", "/x?token=abc"), 3, 0, T, T, List.of(ORIGIN), 3,
                List.of(new KeyEvent(T, ORIGIN, TYPED), new KeyEvent(T, ORIGIN, "card 4111111111111111")),
                new MassActivity(T, T, "user.name", 2, 2, List.of(TYPED, "root"), 10), null,
                Map.of("vigil.identity.note", "pin 4111 1111 1111 1111"));
        Alert masked = new Masker(MaskingPolicy.DEFAULTS).alert(alert, counts);
        assertThat(masked.id()).isEqualTo("a1");
        assertThat(masked.groupKey()).isEqualTo("[masked]");
        assertThat(masked.entities()).containsEntry("user.name", "[masked]").containsEntry("source.ip", "203.0.113.9")
                .containsEntry("url.original", "/x?token=[masked]");
        assertThat(masked.keyEvents()).extracting(KeyEvent::value)
                .containsExactly("[masked]", "card 411111******1111");
        assertThat(masked.massActivity().sampleKeys()).containsExactly("[masked]", "root");
        assertThat(masked.context()).containsEntry("vigil.identity.note", "pin 4111 11** **** 1111");
        assertThat(masked.toString()).doesNotContain(TYPED).doesNotContain("4111111111111111");

        Alert clean = new Alert("a2", T, "r", 1, "n", "d", "low", 1, List.of(), List.of(), List.of(), "source.ip",
                "203.0.113.9", Map.of("user.name", "root"), 1, 0, T, T, List.of(ORIGIN), 1, List.of());
        assertThat(new Masker(MaskingPolicy.DEFAULTS).alert(clean, counts)).isSameAs(clean);
    }


    private static Alert alert(String groupBy, String groupKey, Map<String, String> entities, List<String> keyValues) {
        return new Alert("a3", T, "r", 1, "n", "d", "high", 50, List.of(), List.of(), List.of(), groupBy, groupKey,
                entities, 3, 0, T, T, List.of(ORIGIN), 3,
                keyValues.stream().map(v -> new KeyEvent(T, ORIGIN, v)).toList());
    }

    @Test
    void valuesThatAreNotUserNamesStayInAlerts() {
        Masker masker = new Masker(MaskingPolicy.DEFAULTS);
        // web-scan: distinct url paths as key events, grouped by source.ip
        Alert scan = alert("source.ip", "203.0.113.9", Map.of("source.ip", "203.0.113.9", "url.path", "/wp-login.php"),
                List.of("/wp-login.php", "/.env", "/admin/Config.PHP", "/cgi-bin/Test-CGI.exe"));
        assertThat(masker.alert(scan, counts)).isSameAs(scan);
        // a CloudTrail ARN as group key: the field name contains "user"
        String arn = "arn:aws:iam::111122223333:user/Alice-Admin";
        Alert cloud = alert("aws.cloudtrail.user_identity.arn", arn,
                Map.of("aws.cloudtrail.user_identity.arn", arn), List.of(arn));
        assertThat(masker.alert(cloud, counts)).isSameAs(cloud);
        // a fallback group-by whose first present value is an IPv6 source
        Alert v6 = alert("source.ip,user.name", "2001:db8::1", Map.of("source.ip", "2001:db8::1"),
                List.of("2001:db8::1"));
        assertThat(masker.alert(v6, counts)).isSameAs(v6);
        // a first-seen key of two fields
        Alert firstSeen = alert("user.name,host.name", "alice | Web-Server01", Map.of("user.name", "alice",
                "host.name", "Web-Server01"), List.of("alice | Web-Server01"));
        assertThat(masker.alert(firstSeen, counts)).isSameAs(firstSeen);
        assertThat(counts.total()).isZero();
    }

    @Test
    void aPasswordLikeUserNameIsStillMaskedButNotInsideAnIp() {
        Masker masker = new Masker(MaskingPolicy.DEFAULTS);
        Alert spray = alert("user.target.name", TYPED, Map.of("user.target.name", TYPED, "source.ip", "2001:db8::1"),
                List.of(TYPED, "Winter2025#"));
        Alert masked = masker.alert(spray, counts);
        assertThat(masked.groupKey()).isEqualTo("[masked]");
        assertThat(masked.entities()).containsEntry("user.target.name", "[masked]")
                .containsEntry("source.ip", "2001:db8::1");
        assertThat(masked.keyEvents()).extracting(KeyEvent::value).containsExactly("[masked]", "[masked]");
        // an IP literal entity is never rewritten, even when a typed password is a substring of it
        Alert ip = alert("user.name", "db8:0:0:1:Ab", Map.of("user.name", "db8:0:0:1:Ab",
                "destination.ip", "2001:db8:0:0:1:Ab:0:1", "host.ip", "2001:db8:0:0:1:Ab:0:2"), List.of());
        assertThat(masker.alert(ip, counts).entities()).containsEntry("user.name", "[masked]")
                .containsEntry("destination.ip", "2001:db8:0:0:1:Ab:0:1")
                .containsEntry("host.ip", "2001:db8:0:0:1:Ab:0:2");
        // a user field holding an IP literal is not a typed password
        Alert userIp = alert("user.name", "2001:db8::1", Map.of("user.name", "2001:db8::1"), List.of("2001:db8::1"));
        assertThat(masker.alert(userIp, counts)).isSameAs(userIp);
    }

    @Test
    void deadLettersAreMaskedAsTextOrAsBytes() {
        DeadLetter text = new DeadLetter("garbage 4111-1111-1111-1111 password=x", DeadLetter.UTF_8, 38, ORIGIN,
                "syslog", "no timestamp in 'garbage 4111-1111-1111-1111'");
        DeadLetter masked = new Masker(MaskingPolicy.DEFAULTS).deadLetter(text, counts);
        assertThat(masked.raw()).isEqualTo("garbage 4111-11**-****-1111 password=[masked]");
        assertThat(masked.reason()).isEqualTo("no timestamp in 'garbage 4111-11**-****-1111'");
        assertThat(masked.rawBytes()).isEqualTo(38);

        byte[] binary = "\u00ff\u00fe card 4111111111111111 \u00ff".getBytes(StandardCharsets.ISO_8859_1);
        DeadLetter bytes = DeadLetter.of(io.vigil.model.RawRecord.of(binary, ORIGIN, "syslog"), "not UTF-8");
        assertThat(bytes.rawEncoding()).isEqualTo(DeadLetter.BASE64);
        DeadLetter maskedBytes = new Masker(MaskingPolicy.DEFAULTS).deadLetter(bytes, counts);
        assertThat(Base64.getDecoder().decode(maskedBytes.raw())).isEqualTo(
                "\u00ff\u00fe card 411111******1111 \u00ff".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(counts.get(MaskKind.CARD)).isEqualTo(3);
    }
}
