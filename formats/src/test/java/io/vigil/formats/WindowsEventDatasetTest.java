package io.vigil.formats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Decodes every line of the OTRF Windows datasets and checks the figures of
 * {@code otrf-security-datasets/GROUND_TRUTH.md} (and the expected Sigma hits of
 * {@code sigmahq-rules/GROUND_TRUTH.md}) against the decoded events.
 *
 * <p>The OTRF hosts logged local time at UTC-4 (EDT); the decoder is given
 * {@code America/New_York} so the psexec file, which has only local stamps, lines up with its
 * own Sysmon {@code UtcTime}. Every other file has {@code @timestamp}, which does not depend on it.
 */
class WindowsEventDatasetTest {

    static final String DIR = "otrf-security-datasets/windows/";
    static final String AUDITPOL = "auditpol_system_user_auditpolicy_modification.security_system.json";
    static final String PSEXEC = "cmd_psexec_lsa_secrets_dump_2020-10-1903305471.json";
    static final String EMPIRE = "empire_wmic_add_user_backdoor_2020-09-14080546.security_system.json";
    static final String PURPLESHARP = "purplesharp_ad_playbook_I_2020-10-22042947.security_system.json";
    static final String RDP = "rdp_interactive_taskmanager_lsass_dump_2020-09-22043748.json";

    static final String SYSMON = "Microsoft-Windows-Sysmon/Operational";

    /** Decoded files, shared by the tests of this class (decoding is deterministic). */
    private static final Map<String, List<SecurityEvent>> CACHE = new HashMap<>();

    static synchronized List<SecurityEvent> events(String file) {
        return CACHE.computeIfAbsent(file, WindowsEventDatasetTest::decodeAll);
    }

    private static List<SecurityEvent> decodeAll(String file) {
        Path path = Datasets.file(DIR + file);
        List<String> lines;
        try {
            lines = Files.readAllLines(path, UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        WindowsEventDecoder decoder = new WindowsEventDecoder(
                DecoderOptions.defaults().withZone(ZoneId.of("America/New_York")));
        List<SecurityEvent> out = new ArrayList<>(lines.size());
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            RawRecord raw = RawRecord.of(lines.get(i).getBytes(UTF_8), Origin.file(file, i + 1), Formats.WINDOWS);
            DecodeResult r = decoder.decode(raw);
            if (r.ok()) {
                out.addAll(r.events());
            } else {
                failures.add((i + 1) + ": " + r.error());
            }
        }
        assertThat(failures).as("decode failures in %s", file).isEmpty();
        return out;
    }

    private static String channel(SecurityEvent e) {
        return e.field("winlog.channel");
    }

    private static String data(SecurityEvent e, String name) {
        return e.field("winlog.event_data." + name);
    }

    private static List<SecurityEvent> select(String file, String channel, int eventId) {
        return events(file).stream()
                .filter(e -> channel.equals(channel(e)) && e.eventCode().equals(Integer.toString(eventId)))
                .collect(Collectors.toList());
    }

    /** EventID counts in a channel, in the "id:count " form of GROUND_TRUTH.md. */
    private static String idCounts(String file, String channel) {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (SecurityEvent e : events(file)) {
            if (channel.equals(channel(e))) {
                counts.merge(Integer.parseInt(e.eventCode()), 1, Integer::sum);
            }
        }
        StringBuilder sb = new StringBuilder();
        counts.forEach((id, n) -> sb.append(id).append(':').append(n).append(' '));
        return sb.toString();
    }

    private static Map<String, Integer> countBy(List<SecurityEvent> events, java.util.function.Function<SecurityEvent, String> key) {
        Map<String, Integer> counts = new TreeMap<>();
        events.forEach(e -> counts.merge(String.valueOf(key.apply(e)), 1, Integer::sum));
        return counts;
    }

    // ---------------------------------------------------------------- inventory

    @Test
    void everyLineDecodesToOneEvent() {
        assertThat(events(AUDITPOL)).hasSize(308);
        assertThat(events(PSEXEC)).hasSize(286);
        assertThat(events(EMPIRE)).hasSize(6140);
        assertThat(events(PURPLESHARP)).hasSize(2846);
        assertThat(events(RDP)).hasSize(5489);
        for (String f : List.of(AUDITPOL, PSEXEC, EMPIRE, PURPLESHARP, RDP)) {
            for (SecurityEvent e : events(f)) {
                assertThat(e.eventOriginal()).isNotBlank();
                assertThat(e.origin().source()).isEqualTo(f);
                assertThat(e.eventKind()).isEqualTo("event");
                assertThat(e.hostName()).isNotNull();
            }
        }
    }

    @Test
    void recordsPerChannelAndHost() {
        assertThat(countBy(events(RDP), e -> channel(e) + "\t" + e.hostName())).isEqualTo(new TreeMap<>(Map.of(
                SYSMON + "\tWORKSTATION5.theshire.local", 4298,
                SYSMON + "\tWORKSTATION6.theshire.local", 390,
                "Microsoft-Windows-TaskScheduler/Operational\tWORKSTATION5.theshire.local", 3,
                "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational\tWORKSTATION5.theshire.local", 2,
                "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational\tWORKSTATION5.theshire.local", 2,
                "Security\tMORDORDC.theshire.local", 206,
                "System\tWORKSTATION5.theshire.local", 1,
                // 564 "security" + 23 "security": the lower-case channel is normalised
                "Security\tWORKSTATION5.theshire.local", 564,
                "Security\tWORKSTATION6.theshire.local", 23)));
        assertThat(countBy(events(EMPIRE), e -> channel(e) + "\t" + e.hostName())).isEqualTo(new TreeMap<>(Map.of(
                "Security\tMORDORDC.theshire.local", 191,
                "Security\tWORKSTATION5.theshire.local", 5715,
                "Security\tWORKSTATION6.theshire.local", 232,
                "System\tWORKSTATION5.theshire.local", 2)));
        assertThat(countBy(events(PSEXEC), WindowsEventDatasetTest::channel))
                .isEqualTo(new TreeMap<>(Map.of(SYSMON, 241, "Security", 43, "System", 2)));
        assertThat(countBy(events(AUDITPOL), e -> channel(e) + "\t" + e.hostName()))
                .isEqualTo(new TreeMap<>(Map.of("Security\tpedro-computer", 307, "System\tpedro-computer", 1)));
        assertThat(countBy(events(PURPLESHARP), e -> channel(e) + "\t" + e.hostName())).isEqualTo(new TreeMap<>(Map.of(
                "Security\tMORDORDC.theshire.local", 1589,
                "Security\tWORKSTATION5.theshire.local", 220,
                "Security\tWORKSTATION6.theshire.local", 516,
                "Security\tWORKSTATION7.theshire.local", 518,
                "System\tWORKSTATION5.theshire.local", 3)));
    }

    @Test
    void securityEventIdCountsMatchGroundTruth() {
        assertThat(idCounts(AUDITPOL, "Security")).isEqualTo(
                "4611:3 4624:4 4625:1 4627:4 4634:1 4648:1 4656:9 4658:15 4663:4 4670:2 4672:3 4673:21 4674:31 4688:20 "
                + "4689:12 4690:6 4703:19 4719:63 4776:1 4799:2 4912:63 5156:2 5158:2 5379:18 ");
        assertThat(idCounts(PSEXEC, "Security")).isEqualTo(
                "1102:1 4656:4 4658:8 4663:4 4688:4 4689:4 4690:4 4697:1 4703:4 5140:1 5145:1 5156:4 5158:3 ");
        assertThat(idCounts(EMPIRE, "Security")).isEqualTo(
                "4624:26 4627:26 4634:18 4648:1 4656:312 4658:617 4663:298 4670:11 4672:18 4673:34 4674:21 4688:25 "
                + "4689:17 4690:305 4702:4 4703:129 4720:1 4724:1 4726:1 4728:1 4729:1 4739:1 4768:1 4769:5 4954:1 "
                + "4957:2 5140:2 5145:16 5154:1299 5156:148 5158:1366 5447:1430 ");
        assertThat(idCounts(PURPLESHARP, "Security")).isEqualTo(
                "4624:49 4625:7 4627:49 4634:31 4656:405 4658:761 4661:2 4663:250 4670:8 4672:43 4673:164 4674:87 "
                + "4688:24 4689:13 4690:381 4703:202 4769:17 4776:7 4799:3 5058:4 5061:4 5140:3 5145:3 5156:197 5158:129 ");
        assertThat(idCounts(RDP, "Security")).isEqualTo(
                "4611:4 4624:18 4627:18 4634:14 4648:2 4656:78 4658:169 4663:69 4670:4 4672:14 4673:16 4688:17 "
                + "4689:15 4690:92 4702:1 4703:17 4768:2 4769:3 4776:1 4778:1 4801:1 5058:3 5059:3 5061:3 5140:2 "
                + "5145:2 5156:121 5158:101 6416:2 ");
    }

    @Test
    void systemEventIdCountsMatchGroundTruth() {
        assertThat(idCounts(AUDITPOL, "System")).isEqualTo("104:1 ");
        assertThat(idCounts(PSEXEC, "System")).isEqualTo("104:1 7045:1 ");
        assertThat(idCounts(EMPIRE, "System")).isEqualTo("1502:1 16977:1 ");
        assertThat(idCounts(PURPLESHARP, "System")).isEqualTo("10:1 11:1 7040:1 ");
        assertThat(idCounts(RDP, "System")).isEqualTo("1501:1 ");
    }

    @Test
    void sysmonEventIdCountsAndActions() {
        assertThat(idCounts(RDP, SYSMON)).isEqualTo(
                "1:17 3:14 5:15 7:847 8:1 9:56 10:1962 11:39 12:1269 13:446 17:1 18:17 22:2 24:2 ");
        for (SecurityEvent e : events(RDP)) {
            if (SYSMON.equals(channel(e))) {
                assertThat(e.eventModule()).isEqualTo("sysmon");
                assertThat(e.eventDataset()).isEqualTo("windows.sysmon_operational");
                assertThat(e.eventAction()).isNotNull();
            }
        }
        // The action is the Sysmon task name, which NXLog wrote as Category where it resolved it.
        for (String line : lines(RDP)) {
            if (line.contains("\"Category\":\"Process accessed (rule: ProcessAccess)\"")) {
                SecurityEvent e = WindowsEventDecoderTest.decodeOk(new WindowsEventDecoder(DecoderOptions.defaults()), line);
                assertThat(e.eventAction()).isEqualTo("Process accessed (rule: ProcessAccess)");
                break;
            }
        }
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Datasets.file(DIR + file), UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- purplesharp: spray and Kerberoasting

    @Test
    void passwordSprayFailedLogons() {
        List<SecurityEvent> failed = select(PURPLESHARP, "Security", 4625);
        assertThat(failed).hasSize(7);
        assertThat(failed).extracting(SecurityEvent::userName).containsExactlyInAnyOrder(
                "lrodriguez", "pgustavo", "sysmonsvc", "mscott", "nxlogsvc", "pbeesly", "sbeavers");
        for (SecurityEvent e : failed) {
            assertThat(e.eventAction()).isEqualTo("logon-failed");
            assertThat(e.eventCategory()).containsExactly("authentication");
            assertThat(e.eventOutcome()).isEqualTo("failure");
            assertThat(e.sourceIp()).as("IpAddress '-'").isNull();
            assertThat(data(e, "IpAddress")).isEqualTo("-");
            assertThat(data(e, "Status")).isEqualTo("0xc000006d");
            assertThat(data(e, "SubStatus")).isEqualTo("0xc000006a");
            assertThat(data(e, "LogonType")).isEqualTo("2");
            assertThat(e.sourceDomain()).isEqualTo("WORKSTATION5");
            assertThat(e.hostName()).isEqualTo("WORKSTATION5.theshire.local");
            assertThat(e.processExecutable()).isEqualTo("C:\\Users\\pgustavo\\Downloads\\PurpleSharp.exe");
            assertThat(e.processName()).isEqualTo("PurpleSharp.exe");
            // @timestamp (UTC, as the collector stamped it); EventTime was 04:29:53 local.
            assertThat(e.timestamp()).isBetween(Instant.parse("2020-10-22T08:29:55.210Z"), Instant.parse("2020-10-22T08:29:55.222Z"));
        }
        // The DC saw each of them as an NTLM validation failure from WORKSTATION5.
        List<SecurityEvent> ntlm = select(PURPLESHARP, "Security", 4776);
        assertThat(ntlm).hasSize(7);
        assertThat(ntlm).extracting(SecurityEvent::userName).containsExactlyInAnyOrder(
                "lrodriguez", "pgustavo", "sysmonsvc", "mscott", "nxlogsvc", "pbeesly", "sbeavers");
        assertThat(ntlm).allSatisfy(e -> {
            assertThat(e.eventAction()).isEqualTo("credential-validated");
            assertThat(e.eventOutcome()).isEqualTo("failure");
            assertThat(data(e, "Status")).isEqualTo("0xc000006a");
            assertThat(e.sourceDomain()).isEqualTo("WORKSTATION5");
            assertThat(e.hostName()).isEqualTo("MORDORDC.theshire.local");
        });
    }

    @Test
    void kerberoastingRc4ServiceTickets() {
        List<SecurityEvent> tgs = select(PURPLESHARP, "Security", 4769);
        assertThat(tgs).hasSize(17);
        assertThat(tgs).allSatisfy(e -> {
            assertThat(e.eventAction()).isEqualTo("kerberos-service-ticket-requested");
            assertThat(e.eventOutcome()).isEqualTo("success");
            assertThat(e.sourceIp()).doesNotStartWith("::ffff:");
        });
        // win_security_kerberoasting_activity: Status 0x0, RC4, ServiceName not krbtgt/$, TargetUserName without $@.
        List<SecurityEvent> roast = tgs.stream()
                .filter(e -> "0x0".equalsIgnoreCase(data(e, "Status")))
                .filter(e -> "0x17".equalsIgnoreCase(data(e, "TicketEncryptionType")))
                .filter(e -> !data(e, "ServiceName").toLowerCase(Locale.ROOT).endsWith("krbtgt")
                        && !data(e, "ServiceName").endsWith("$"))
                .filter(e -> !data(e, "TargetUserName").contains("$@"))
                .collect(Collectors.toList());
        assertThat(roast).extracting(e -> data(e, "ServiceName"))
                .containsExactlyInAnyOrder("sysmonsvc", "nxlogsvc", "defensesvc", "otrsvc", "mordorsvc");
        assertThat(roast).allSatisfy(e -> {
            assertThat(e.userName()).isEqualTo("pgustavo");
            assertThat(data(e, "TargetUserName")).isEqualTo("pgustavo@THESHIRE.LOCAL");
            assertThat(e.sourceIp()).isEqualTo("172.18.39.5");
            assertThat(data(e, "TicketOptions")).isEqualTo("0x40810000");
        });
        // win_security_susp_rc4_kerberos: the same 5.
        assertThat(tgs.stream().filter(e -> "0x40810000".equalsIgnoreCase(data(e, "TicketOptions"))
                && "0x17".equalsIgnoreCase(data(e, "TicketEncryptionType")) && !data(e, "ServiceName").endsWith("$")))
                .hasSize(5);
    }

    @Test
    void successfulLogonsBySource() {
        Map<String, Integer> logons = countBy(select(PURPLESHARP, "Security", 4624),
                e -> e.hostName() + "\t" + data(e, "LogonType") + "\t" + e.userName() + "\t" + e.sourceIp());
        assertThat(logons).containsEntry("MORDORDC.theshire.local\t3\tMORDORDC$\tnull", 23)
                .containsEntry("MORDORDC.theshire.local\t3\tpgustavo\t172.18.39.5", 5)
                .containsEntry("MORDORDC.theshire.local\t3\tMORDORDC$\t::1", 1)
                .containsEntry("MORDORDC.theshire.local\t3\tANONYMOUS LOGON\t172.18.38.6", 1);
        assertThat(logons.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(49);
        assertThat(select(PURPLESHARP, "Security", 4624)).allSatisfy(e -> {
            assertThat(e.eventOutcome()).isEqualTo("success");
            assertThat(e.field("winlog.logon.type")).isEqualTo("Network");
        });
    }

    @Test
    void keywordsAreKeptExactly() {
        long exact = events(PURPLESHARP).stream()
                .filter(e -> "-9214364837600034816".equals(e.field("winlog.keywords"))).count();
        // grep -c '"Keywords":-9214364837600034816' on the file
        assertThat(exact).isEqualTo(2673);
    }

    @Test
    void noFailedLogonFromAPublicAddress() {
        for (String f : List.of(AUDITPOL, PSEXEC, EMPIRE, PURPLESHARP, RDP)) {
            for (SecurityEvent e : select(f, "Security", 4625)) {
                assertThat(e.sourceIp()).satisfiesAnyOf(ip -> assertThat(ip).isNull(), ip -> assertThat(ip).isEqualTo("::1"));
            }
        }
    }

    // ---------------------------------------------------------------- empire: backdoor account

    @Test
    void backdoorAccountCreatedAndDeleted() {
        SecurityEvent created = select(EMPIRE, "Security", 4720).get(0);
        SecurityEvent deleted = select(EMPIRE, "Security", 4726).get(0);
        for (SecurityEvent e : List.of(created, deleted)) {
            assertThat(e.hostName()).isEqualTo("WORKSTATION6.theshire.local");
            assertThat(e.userName()).isEqualTo("pgustavo");
            assertThat(e.userTargetName()).isEqualTo("backdoor");
            assertThat(e.eventCategory()).containsExactly("iam");
            assertThat(e.eventOutcome()).isEqualTo("success");
        }
        assertThat(created.eventAction()).isEqualTo("added-user-account");
        assertThat(created.timestamp()).isEqualTo(Instant.parse("2020-09-14T12:06:03.907Z"));
        assertThat(created.field("winlog.record_id")).isEqualTo("56079");
        assertThat(created.eventSequence()).isEqualTo(56079L);
        assertThat(deleted.eventAction()).isEqualTo("deleted-user-account");
        assertThat(deleted.timestamp()).isEqualTo(Instant.parse("2020-09-14T12:06:03.910Z"));
        assertThat(deleted.field("winlog.record_id")).isEqualTo("56082");

        SecurityEvent reset = select(EMPIRE, "Security", 4724).get(0);
        assertThat(reset.eventAction()).isEqualTo("reset-password");
        SecurityEvent added = select(EMPIRE, "Security", 4728).get(0);
        SecurityEvent removed = select(EMPIRE, "Security", 4729).get(0);
        assertThat(added.eventAction()).isEqualTo("added-member-to-group");
        assertThat(removed.eventAction()).isEqualTo("removed-member-from-group");
        for (SecurityEvent e : List.of(added, removed)) {
            assertThat(e.userName()).isEqualTo("pgustavo");
            assertThat(e.field("group.name")).isEqualTo("None");
            assertThat(data(e, "MemberSid")).isEqualTo("S-1-5-21-1969843730-2406867588-1543852148-1000");
        }
    }

    @Test
    void remoteProcessCreationOnTheTarget() {
        List<SecurityEvent> procs = select(EMPIRE, "Security", 4688).stream()
                .filter(e -> "WORKSTATION6.theshire.local".equals(e.hostName())).collect(Collectors.toList());
        assertThat(procs).extracting(SecurityEvent::processCommandLine).containsExactlyInAnyOrder(
                "\\??\\C:\\windows\\system32\\conhost.exe 0xffffffff -ForceV1",
                "C:\\windows\\system32\\net1 user /add backdoor paw0rd1",
                "C:\\windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding",
                "net user /add backdoor paw0rd1");
        SecurityEvent net = procs.stream().filter(e -> "net.exe".equals(e.processName())).findFirst().orElseThrow();
        assertThat(net.processParentExecutable()).isEqualTo("C:\\Windows\\System32\\wbem\\WmiPrvSE.exe");
        assertThat(net.eventAction()).isEqualTo("created-process");
    }

    // ---------------------------------------------------------------- auditpol: audit policy disabled

    @Test
    void auditPolicyChanges() {
        List<SecurityEvent> changes = select(AUDITPOL, "Security", 4719);
        assertThat(changes).hasSize(63);
        assertThat(countBy(changes, e -> data(e, "AuditPolicyChanges")))
                .isEqualTo(new TreeMap<>(Map.of("%%8448", 4, "%%8448, %%8450", 55, "%%8450", 4)));
        assertThat(changes).allSatisfy(e -> {
            assertThat(e.eventAction()).isEqualTo("changed-audit-config");
            assertThat(e.userName()).isEqualTo("pedro-admin");
            assertThat(e.userDomain()).isEqualTo("PEDRO-COMPUTER");
            assertThat(data(e, "CategoryId")).isNotNull();
            assertThat(e.timestamp()).isBetween(Instant.parse("2022-08-18T06:55:56.586Z"), Instant.parse("2022-08-18T06:58:42.086Z"));
        });
        assertThat(changes.stream().map(e -> data(e, "SubcategoryGuid")).collect(Collectors.toSet())).hasSize(59);

        // Expected hits of win_security_disable_event_auditing(_critical), GUIDs compared case-insensitively.
        Set<String> ruleGuids = guids("9210", "9211", "9212", "9215", "9217", "921B", "922B", "922F", "9230", "9235",
                "9236", "9237", "923F", "9240", "9242");
        Set<String> criticalGuids = guids("9210", "9211", "9212", "9215", "921B", "922B", "922F", "9230", "9235",
                "9236", "9237", "923F", "9240", "9242");
        long disabled = changes.stream().filter(e -> !ruleGuids.contains(upper(data(e, "SubcategoryGuid")))).count();
        long critical = changes.stream().filter(e -> criticalGuids.contains(upper(data(e, "SubcategoryGuid")))).count()
                + changes.stream().filter(e -> upper(data(e, "SubcategoryGuid")).equals("{0CCE9217-69AE-11D9-BED3-505054503030}")
                        && data(e, "AuditPolicyChanges").contains("%%8448")).count();
        assertThat(disabled).isEqualTo(45);
        assertThat(critical).isEqualTo(18);
    }

    private static Set<String> guids(String... parts) {
        Set<String> s = new TreeSet<>();
        for (String p : parts) s.add("{0CCE" + p + "-69AE-11D9-BED3-505054503030}");
        return s;
    }

    private static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    @Test
    void singleFailedLogonOnPedroComputer() {
        SecurityEvent e = select(AUDITPOL, "Security", 4625).get(0);
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2022-08-18T06:56:26.233Z"));
        assertThat(e.userName()).isEqualTo("pedro-admin");
        assertThat(e.sourceIp()).isEqualTo("::1");
        assertThat(data(e, "LogonType")).isEqualTo("11");
        assertThat(data(e, "Status")).isEqualTo("0xc000010b");
        assertThat(e.eventOutcome()).isEqualTo("failure");
        assertThat(e.field("winlog.keywords")).isEqualTo("0x8010000000000000");
    }

    // ---------------------------------------------------------------- psexec: log cleared, service installed

    @Test
    void auditLogClearedByWardog() {
        List<SecurityEvent> cleared = events(PSEXEC).stream()
                .filter(e -> e.eventCode().equals("1102") && "Microsoft-Windows-Eventlog".equals(e.eventProvider()))
                .collect(Collectors.toList());
        assertThat(cleared).hasSize(1);
        SecurityEvent e = cleared.get(0);
        assertThat(e.eventAction()).isEqualTo("audit-log-cleared");
        assertThat(e.userName()).isEqualTo("wardog");
        assertThat(e.userDomain()).isEqualTo("WORKSTATION5");
        assertThat(data(e, "SubjectUserName")).isEqualTo("wardog");
        // TimeCreated 03:30:41.104 host local (EDT)
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2020-10-19T07:30:41.104Z"));
        // win_security_audit_log_cleared fires in no other file.
        for (String f : List.of(AUDITPOL, EMPIRE, PURPLESHARP, RDP)) {
            assertThat(events(f)).noneMatch(x -> x.eventCode().equals("1102"));
        }
        SecurityEvent systemCleared = select(PSEXEC, "System", 104).get(0);
        assertThat(systemCleared.eventAction()).isEqualTo("log-cleared");
        assertThat(systemCleared.timestamp()).isEqualTo(Instant.parse("2020-10-19T07:30:41.150Z"));
    }

    @Test
    void psexecServiceInstalled() {
        SecurityEvent scm = select(PSEXEC, "System", 7045).get(0);
        SecurityEvent audit = select(PSEXEC, "Security", 4697).get(0);
        for (SecurityEvent e : List.of(scm, audit)) {
            assertThat(e.eventAction()).isEqualTo("service-installed");
            assertThat(e.field("service.name")).isEqualTo("PSEXESVC");
            assertThat(data(e, "ServiceName")).isEqualTo("PSEXESVC");
            assertThat(e.hostName()).isEqualTo("WORKSTATION5");
        }
        assertThat(scm.eventProvider()).isEqualTo("Service Control Manager");
        assertThat(data(scm, "ImagePath")).isEqualTo("%SystemRoot%\\PSEXESVC.exe");
        assertThat(scm.timestamp()).isEqualTo(Instant.parse("2020-10-19T07:30:46.416Z"));
        assertThat(audit.eventProvider()).isEqualTo("Microsoft-Windows-Security-Auditing");
        assertThat(data(audit, "ServiceFileName")).isEqualTo("%SystemRoot%\\PSEXESVC.exe");
        assertThat(audit.userName()).isEqualTo("wardog");
        assertThat(audit.timestamp()).isEqualTo(Instant.parse("2020-10-19T07:30:46.420Z"));
    }

    @Test
    void psexecSysmonProcessTreeUsesUtcTime() {
        List<SecurityEvent> created = select(PSEXEC, SYSMON, 1);
        assertThat(created).extracting(e -> e.timestamp() + " " + e.processExecutable()).containsExactlyInAnyOrder(
                "2020-10-19T07:30:46.251Z C:\\Users\\wardog\\Downloads\\PSTools\\PsExec.exe",
                "2020-10-19T07:30:46.435Z C:\\Windows\\PSEXESVC.exe",
                "2020-10-19T07:30:46.660Z C:\\Windows\\System32\\reg.exe",
                "2020-10-19T07:30:46.673Z C:\\Windows\\System32\\conhost.exe");
        SecurityEvent reg = created.stream().filter(e -> "reg.exe".equals(e.processName())).findFirst().orElseThrow();
        assertThat(reg.processParentExecutable()).isEqualTo("C:\\Windows\\PSEXESVC.exe");
        assertThat(reg.processCommandLine())
                .isEqualTo("\"reg\" save HKLM\\security\\policy\\secrets C:\\Users\\wardog\\AppData\\Local\\Temp\\secrets");
        // The service install (local 03:30:46.416 EDT) falls between PsExec start and PSEXESVC start (UTC).
        SecurityEvent scm = select(PSEXEC, "System", 7045).get(0);
        assertThat(scm.timestamp()).isBetween(Instant.parse("2020-10-19T07:30:46.251Z"), Instant.parse("2020-10-19T07:30:46.435Z"));
    }

    // ---------------------------------------------------------------- rdp: lsass dump

    @Test
    void lsassAccessAndDumpFile() {
        Map<String, Integer> access = countBy(select(RDP, SYSMON, 10).stream()
                        .filter(e -> data(e, "TargetImage").toLowerCase(Locale.ROOT).endsWith("\\lsass.exe"))
                        .collect(Collectors.toList()),
                e -> e.processExecutable() + "\t" + data(e, "GrantedAccess"));
        assertThat(access).isEqualTo(new TreeMap<>(Map.of(
                "C:\\windows\\system32\\svchost.exe\t0x1000", 13,
                "C:\\windows\\system32\\svchost.exe\t0x3000", 7,
                "C:\\windows\\system32\\taskmgr.exe\t0x1000", 3,
                "C:\\windows\\system32\\taskmgr.exe\t0x1400", 1,
                "C:\\windows\\system32\\taskmgr.exe\t0x1410", 1,
                "C:\\windows\\system32\\taskmgr.exe\t0x1fffff", 2)));
        List<SecurityEvent> dumps = select(RDP, SYSMON, 11).stream()
                .filter(e -> e.field("file.path").toLowerCase(Locale.ROOT).endsWith(".dmp")).collect(Collectors.toList());
        assertThat(dumps).hasSize(1);
        assertThat(dumps.get(0).field("file.path")).isEqualTo("C:\\Users\\pgustavo\\AppData\\Local\\Temp\\lsass.DMP");
        assertThat(dumps.get(0).processExecutable()).isEqualTo("C:\\windows\\system32\\taskmgr.exe");
        assertThat(dumps.get(0).eventCategory()).containsExactly("file");
    }

    @Test
    void rdpReconnectAndLogonsAcrossChannelCase() {
        SecurityEvent reconnect = select(RDP, "Security", 4778).get(0);
        assertThat(reconnect.eventAction()).isEqualTo("session-reconnected");
        assertThat(reconnect.userName()).isEqualTo("pgustavo");
        assertThat(reconnect.sourceIp()).isEqualTo("1.2.3.4");
        assertThat(reconnect.sourceDomain()).isEqualTo("robertos-mbp");
        Map<String, Integer> logons = countBy(select(RDP, "Security", 4624),
                e -> e.hostName() + "\t" + data(e, "LogonType") + "\t" + e.userName() + "\t" + e.sourceIp());
        assertThat(logons).containsEntry("WORKSTATION5.theshire.local\t7\tpgustavo\t1.2.3.4", 2)
                .containsEntry("WORKSTATION5.theshire.local\t3\tpgustavo\t1.2.3.4", 1)
                .containsEntry("MORDORDC.theshire.local\t3\tpgustavo\t172.18.39.5", 3);
        assertThat(logons.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(18);
    }
}
