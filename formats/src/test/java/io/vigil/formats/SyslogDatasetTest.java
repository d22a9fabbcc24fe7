package io.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The loghub samples decoded whole; every figure is from {@code loghub/GROUND_TRUTH.md} (computed
 * there with shell tools, independently of this decoder).
 */
class SyslogDatasetTest {

    /** Decoded file: every record's result, in line order. */
    private record Decoded(int records, List<String> failures, List<SecurityEvent> events) {

        long count(Predicate<SecurityEvent> p) {
            return events.stream().filter(p).count();
        }

        <K> Map<K, Long> countBy(Predicate<SecurityEvent> p, Function<SecurityEvent, K> key) {
            return events.stream().filter(p).collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
        }
    }

    private static Decoded decode(String relative, DecoderOptions options, Instant reference) throws IOException {
        Path file = Datasets.file(relative);
        // readAllLines splits on CRLF as well as LF and keeps a last line without a newline
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        DecoderRegistry registry = new DecoderRegistry(options);
        List<String> failures = new ArrayList<>();
        List<SecurityEvent> events = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            RawRecord r = new RawRecord(lines.get(i).getBytes(StandardCharsets.UTF_8),
                    Origin.file(relative, i + 1), Formats.SYSLOG, null, reference, -1);
            DecodeResult result = registry.decode(r);
            if (result.ok()) {
                events.addAll(result.events());
            } else {
                failures.add((i + 1) + ": " + result.error());
            }
        }
        return new Decoded(lines.size(), failures, events);
    }

    private static Predicate<SecurityEvent> action(String action) {
        return e -> action.equals(e.eventAction());
    }

    private static Predicate<SecurityEvent> action(String action, String outcome) {
        return e -> action.equals(e.eventAction()) && outcome.equals(e.eventOutcome());
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OpenSsh {

        private Decoded d;

        @BeforeAll
        void decode() throws IOException {
            // the lines say Dec 10 and no year; a configured year makes the timestamps reproducible
            d = SyslogDatasetTest.decode("loghub/OpenSSH_2k.log", DecoderOptions.defaults().withYear(2015), null);
        }

        @Test
        void everyRecordDecodes() {
            assertThat(d.records()).isEqualTo(2000);
            assertThat(d.failures()).isEmpty();
            // 2000 lines, two of which stand for 5 events each
            assertThat(d.events()).hasSize(2000 + 2 * 4);
            assertThat(d.events()).allSatisfy(e -> {
                assertThat(e.hostName()).isEqualTo("LabSZ");
                assertThat(e.processName()).isEqualTo("sshd");
                assertThat(e.eventDataset()).isEqualTo("system.auth");
                assertThat(e.eventOriginal()).doesNotEndWith("\r");
            });
        }

        @Test
        void aReferenceTimeInTheNextJanuaryGivesTheSameTimestamps() throws IOException {
            // as if the file had been written on 2016-01-05: its Dec lines belong to 2015
            Decoded byReference = SyslogDatasetTest.decode("loghub/OpenSSH_2k.log", DecoderOptions.defaults(),
                    Instant.parse("2016-01-05T00:00:00Z"));
            assertThat(byReference.failures()).isEmpty();
            assertThat(byReference.events()).extracting(SecurityEvent::timestamp)
                    .containsExactlyElementsOf(d.events().stream().map(SecurityEvent::timestamp).toList());
        }

        @Test
        void timeSpan() {
            assertThat(d.events().get(0).timestamp()).isEqualTo(Instant.parse("2015-12-10T06:55:46Z"));
            assertThat(d.events().get(d.events().size() - 1).timestamp()).isEqualTo(Instant.parse("2015-12-10T11:04:45Z"));
        }

        @Test
        void headlineCounts() {
            assertThat(d.count(action("ssh_login", "failure"))).isEqualTo(528);
            assertThat(d.count(action("ssh_login", "failure").and(e -> e.field("system.auth.ssh.invalid_user") != null)))
                    .isEqualTo(135);
            assertThat(d.count(action("ssh_login", "success"))).isEqualTo(1);
            assertThat(d.count(action("ssh_invalid_user"))).isEqualTo(113);
            assertThat(d.count(action("pam_auth_failure"))).isEqualTo(494);
            assertThat(d.count(action("ssh_break_in_attempt"))).isEqualTo(85);
            assertThat(d.count(action("ssh_too_many_auth_failures"))).isEqualTo(3);
            assertThat(d.count(action("ssh_auth_none"))).isEqualTo(4);
            assertThat(d.count(e -> e.eventSequence() != null)).isEqualTo(10);
        }

        @Test
        void theOnlyAcceptedLogin() {
            SecurityEvent accepted = d.events().stream().filter(action("ssh_login", "success")).findFirst().orElseThrow();
            assertThat(accepted.userName()).isEqualTo("fztu");
            assertThat(accepted.sourceIp()).isEqualTo("119.137.62.142");
            assertThat(accepted.sourcePort()).isEqualTo(49116);
            assertThat(accepted.origin().offset()).isEqualTo(956);
            assertThat(accepted.timestamp()).isEqualTo(Instant.parse("2015-12-10T09:32:20Z"));
            List<SecurityEvent> sessions = d.events().stream()
                    .filter(action("session_opened").or(action("session_closed"))).toList();
            assertThat(sessions).extracting(e -> e.origin().offset()).containsExactly(957L, 965L);
            assertThat(sessions).allSatisfy(e -> assertThat(e.userName()).isEqualTo("fztu"));
        }

        @Test
        void failureEventsPerSourceIp() {
            Map<String, Long> perIp = d.countBy(action("ssh_login", "failure"), SecurityEvent::sourceIp);
            // GROUND_TRUTH.md, per-IP table, column failed_pw_events (message repeated expanded), all 23 rows
            assertThat(perIp).containsOnly(
                    entry("183.62.140.253", 286L), entry("187.141.143.180", 80L), entry("103.99.0.122", 46L),
                    entry("112.95.230.3", 26L), entry("5.188.10.180", 18L), entry("185.190.58.151", 17L),
                    entry("123.235.32.19", 7L), entry("119.4.203.64", 6L), entry("52.80.34.196", 5L),
                    entry("60.2.12.12", 5L), entry("103.207.39.16", 3L), entry("103.207.39.212", 3L),
                    entry("104.192.3.34", 2L), entry("106.5.5.195", 6L), entry("173.234.31.186", 2L),
                    entry("183.136.162.51", 2L), entry("195.154.37.122", 2L), entry("202.100.179.208", 2L),
                    entry("5.36.59.76", 6L), entry("103.207.39.165", 1L), entry("175.102.13.6", 1L),
                    entry("191.210.223.172", 1L), entry("88.147.143.242", 1L));
        }

        @Test
        void firstAndLastFailurePerIp() {
            Map<String, List<Instant>> times = d.events().stream().filter(action("ssh_login", "failure"))
                    .collect(Collectors.groupingBy(SecurityEvent::sourceIp,
                            Collectors.mapping(SecurityEvent::timestamp, Collectors.toList())));
            assertThat(times.get("183.62.140.253")).first().isEqualTo(Instant.parse("2015-12-10T10:54:29Z"));
            assertThat(times.get("183.62.140.253")).last().isEqualTo(Instant.parse("2015-12-10T11:04:43Z"));
            assertThat(times.get("52.80.34.196")).first().isEqualTo(Instant.parse("2015-12-10T07:07:45Z"));
            assertThat(times.get("52.80.34.196")).last().isEqualTo(Instant.parse("2015-12-10T10:21:09Z"));
        }

        @Test
        void invalidUsersPerSourceIpAndName() {
            Map<String, Long> perIp = d.countBy(action("ssh_invalid_user"), SecurityEvent::sourceIp);
            // GROUND_TRUTH.md, per-IP table, column invalid_user_lines (non-zero rows)
            assertThat(perIp).containsOnly(
                    entry("183.62.140.253", 9L), entry("187.141.143.180", 29L), entry("103.99.0.122", 35L),
                    entry("112.95.230.3", 2L), entry("5.188.10.180", 9L), entry("185.190.58.151", 7L),
                    entry("119.4.203.64", 1L), entry("52.80.34.196", 5L), entry("103.207.39.16", 2L),
                    entry("103.207.39.212", 2L), entry("104.192.3.34", 1L), entry("173.234.31.186", 2L),
                    entry("183.136.162.51", 2L), entry("195.154.37.122", 1L), entry("202.100.179.208", 2L),
                    entry("103.207.39.165", 1L), entry("175.102.13.6", 1L), entry("88.147.143.242", 1L),
                    entry("181.214.87.4", 1L));
            Map<String, Long> perUser = d.countBy(action("ssh_invalid_user"), SecurityEvent::userName);
            // GROUND_TRUTH.md, top 15 usernames in Invalid user lines (first rows)
            assertThat(perUser).contains(entry("admin", 21L), entry("oracle", 6L), entry("support", 6L),
                    entry("test", 5L), entry("user", 4L), entry("0", 3L), entry("1234", 3L), entry(" 0101", 1L));
        }

        @Test
        void validUsersTargetedByFailedPasswords() {
            Map<String, Long> perUser = d.countBy(
                    action("ssh_login", "failure").and(e -> e.field("system.auth.ssh.invalid_user") == null),
                    SecurityEvent::userName);
            // GROUND_TRUTH.md counts lines (370 root); the two repeated lines add 2 * 4 root events
            assertThat(perUser).containsOnly(entry("root", 378L), entry("uucp", 5L), entry("ftp", 3L),
                    entry("git", 3L), entry("mysql", 2L), entry("sshd", 2L));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Linux {

        private Decoded d;

        @BeforeAll
        void decode() throws IOException {
            d = SyslogDatasetTest.decode("loghub/Linux_2k.log", DecoderOptions.defaults().withYear(2005), null);
        }

        private final Predicate<SecurityEvent> sshdPamFailure =
                action("pam_auth_failure").and(e -> "sshd".equals(e.processName()));

        @Test
        void everyRecordDecodes() {
            assertThat(d.records()).isEqualTo(2000);
            assertThat(d.failures()).isEmpty();
            assertThat(d.events()).hasSize(2000);
            assertThat(d.events().get(0).timestamp()).isEqualTo(Instant.parse("2005-06-14T15:16:01Z"));
            assertThat(d.events().get(1999).timestamp()).isEqualTo(Instant.parse("2005-07-27T14:42:00Z"));
        }

        @Test
        void programs() {
            Map<String, Long> perProgram = d.countBy(e -> e.processName() != null, SecurityEvent::processName);
            // GROUND_TRUTH.md "Lines per program": sshd(pam_unix) and su(pam_unix) count under sshd and su
            assertThat(perProgram).contains(entry("ftpd", 916L), entry("sshd", 677L), entry("su", 172L),
                    entry("kernel", 76L), entry("klogind", 46L), entry("logrotate", 43L), entry("named", 16L));
        }

        @Test
        void authenticationHeadlines() {
            assertThat(d.count(sshdPamFailure)).isEqualTo(489);
            assertThat(d.count(sshdPamFailure.and(e -> e.userName() != null))).isEqualTo(372);
            assertThat(d.count(action("pam_user_unknown").and(e -> "sshd".equals(e.processName())))).isEqualTo(116);
            assertThat(d.count(action("session_opened").and(e -> "sshd".equals(e.processName())))).isEqualTo(36);
            assertThat(d.count(action("session_opened").and(e -> "su".equals(e.processName())))).isEqualTo(86);
            assertThat(d.countBy(action("session_opened").and(e -> "su".equals(e.processName())), SecurityEvent::userName))
                    .containsOnly(entry("cyrus", 43L), entry("news", 43L));
            assertThat(d.events().stream().filter(sshdPamFailure)
                    .map(e -> e.sourceIp() != null ? e.sourceIp() : e.sourceDomain()).distinct().count()).isEqualTo(47);
        }

        @Test
        void sshdAuthFailuresPerRhost() {
            Map<String, Long> perHost = d.countBy(sshdPamFailure,
                    e -> e.sourceIp() != null ? e.sourceIp() : e.sourceDomain());
            // GROUND_TRUTH.md, sshd auth failures per rhost, top 10
            assertThat(perHost).contains(
                    entry("150.183.249.110", 80L), entry("207.243.167.114", 23L),
                    entry("n219076184117.netvigator.com", 23L), entry("60.30.224.116", 20L),
                    entry("195.129.24.210", 15L), entry("218.188.2.4", 14L), entry("220.117.241.87", 13L),
                    entry("h64-187-1-131.gtconnect.net", 13L), entry("061092085098.ctinets.com", 10L),
                    entry("202.181.236.180", 10L));
            assertThat(perHost.values().stream().mapToLong(Long::longValue).max()).hasValue(80L);
            SecurityEvent domain = d.events().stream().filter(sshdPamFailure)
                    .filter(e -> "n219076184117.netvigator.com".equals(e.sourceDomain())).findFirst().orElseThrow();
            assertThat(domain.sourceIp()).isNull();
            assertThat(domain.timestamp()).isEqualTo(Instant.parse("2005-06-22T03:17:26Z"));
        }

        @Test
        void outOfOrderLinesKeepTheirYear() {
            // lines 1983, 1987, 1991 step back a few seconds; nothing may jump a year
            assertThat(d.events()).allSatisfy(e -> assertThat(e.timestamp())
                    .isBetween(Instant.parse("2005-06-14T00:00:00Z"), Instant.parse("2005-07-28T00:00:00Z")));
        }
    }
}
