package io.vigil.formats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.EcsJson;
import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link WindowsEventDecoder} on hand-made records of both shapes. */
class WindowsEventDecoderTest {

    private final WindowsEventDecoder decoder = new WindowsEventDecoder(DecoderOptions.defaults());

    /** A 4625 as NXLog writes it (the purplesharp spray, with an audit-failure Keywords). */
    static final String NXLOG_4625 = "{\"EventID\":4625,\"Channel\":\"Security\",\"Hostname\":\"WORKSTATION5.theshire.local\","
            + "\"host\":\"wec.internal.cloudapp.net\",\"SourceName\":\"Microsoft-Windows-Security-Auditing\","
            + "\"EventTime\":\"2020-10-22 04:29:53\",\"@timestamp\":\"2020-10-22T08:29:55.210Z\",\"RecordNumber\":248357,"
            + "\"Keywords\":-9218868437227405312,\"EventType\":\"AUDIT_FAILURE\",\"Message\":\"An account failed to log on.\","
            + "\"SubjectUserSid\":\"S-1-5-21-1-2-3-1104\",\"SubjectUserName\":\"pgustavo\",\"SubjectDomainName\":\"THESHIRE\","
            + "\"SubjectLogonId\":\"0x5d3b4\",\"TargetUserSid\":\"S-1-0-0\",\"TargetUserName\":\"lrodriguez\","
            + "\"TargetDomainName\":\"THESHIRE\",\"Status\":\"0xc000006d\",\"SubStatus\":\"0xc000006a\",\"LogonType\":\"2\","
            + "\"WorkstationName\":\"WORKSTATION5\",\"IpAddress\":\"-\",\"IpPort\":\"-\",\"ProcessId\":\"0x1d84\","
            + "\"ProcessName\":\"C:\\\\Users\\\\pgustavo\\\\Downloads\\\\PurpleSharp.exe\",\"tags\":[\"mordorDataset\"],"
            + "\"EvilKey\":\"should not become a field\"}";

    /** The same event as Winlogbeat ships it. */
    static final String WINLOGBEAT_4625 = "{\"@timestamp\":\"2020-10-22T08:29:55.210Z\",\"message\":\"An account failed to log on.\","
            + "\"event\":{\"code\":\"4625\",\"kind\":\"event\",\"provider\":\"Microsoft-Windows-Security-Auditing\"},"
            + "\"host\":{\"name\":\"workstation5\"},\"agent\":{\"type\":\"winlogbeat\",\"version\":\"7.17.0\"},"
            + "\"winlog\":{\"channel\":\"Security\",\"event_id\":4625,\"provider_name\":\"Microsoft-Windows-Security-Auditing\","
            + "\"computer_name\":\"WORKSTATION5.theshire.local\",\"record_id\":248357,\"keywords\":[\"Audit Failure\"],"
            + "\"event_data\":{\"SubjectUserSid\":\"S-1-5-21-1-2-3-1104\",\"SubjectUserName\":\"pgustavo\","
            + "\"SubjectDomainName\":\"THESHIRE\",\"SubjectLogonId\":\"0x5d3b4\",\"TargetUserSid\":\"S-1-0-0\","
            + "\"TargetUserName\":\"lrodriguez\",\"TargetDomainName\":\"THESHIRE\",\"Status\":\"0xc000006d\","
            + "\"SubStatus\":\"0xc000006a\",\"LogonType\":\"2\",\"WorkstationName\":\"WORKSTATION5\",\"IpAddress\":\"-\","
            + "\"IpPort\":\"-\",\"ProcessId\":\"0x1d84\","
            + "\"ProcessName\":\"C:\\\\Users\\\\pgustavo\\\\Downloads\\\\PurpleSharp.exe\",\"EvilKey\":\"x\"},"
            + "\"evil\":{\"nested\":\"x\"}}}";

    private SecurityEvent decodeOk(String json) {
        return decodeOk(decoder, json);
    }

    static SecurityEvent decodeOk(WindowsEventDecoder d, String json) {
        DecodeResult r = d.decode(RawRecord.of(json.getBytes(UTF_8), Origin.file("test.json", 1), Formats.WINDOWS));
        assertThat(r.ok()).as("decoded: %s", r).isTrue();
        assertThat(r.events()).hasSize(1);
        return r.events().get(0);
    }

    private String decodeError(byte[] bytes) {
        DecodeResult r = decoder.decode(RawRecord.of(bytes, Origin.file("test.json", 7), Formats.WINDOWS));
        assertThat(r.ok()).as("should fail: %s", r).isFalse();
        assertThat(r.events()).isEmpty();
        return r.error();
    }

    private String decodeError(String json) {
        return decodeError(json.getBytes(UTF_8));
    }

    @Test
    void formatIsWindows() {
        assertThat(decoder.format()).isEqualTo(Formats.WINDOWS);
        assertThat(new DecoderRegistry(DecoderOptions.defaults()).get(Formats.WINDOWS)).isInstanceOf(WindowsEventDecoder.class);
    }

    @Test
    void nxlogFailedLogonMapsToEcs() {
        SecurityEvent e = decodeOk(NXLOG_4625);
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2020-10-22T08:29:55.210Z"));
        assertThat(e.eventKind()).isEqualTo("event");
        assertThat(e.eventCode()).isEqualTo("4625");
        assertThat(e.eventAction()).isEqualTo("logon-failed");
        assertThat(e.eventCategory()).containsExactly("authentication");
        assertThat(e.eventType()).containsExactly("start");
        assertThat(e.eventOutcome()).isEqualTo("failure");
        assertThat(e.eventModule()).isEqualTo("security");
        assertThat(e.eventDataset()).isEqualTo("windows.security");
        assertThat(e.eventProvider()).isEqualTo("Microsoft-Windows-Security-Auditing");
        assertThat(e.eventSequence()).isEqualTo(248357L);
        assertThat(e.userName()).isEqualTo("lrodriguez");
        assertThat(e.userDomain()).isEqualTo("THESHIRE");
        assertThat(e.userId()).isEqualTo("S-1-0-0");
        assertThat(e.sourceIp()).isNull();
        assertThat(e.sourcePort()).isNull();
        assertThat(e.sourceDomain()).isEqualTo("WORKSTATION5");
        assertThat(e.hostName()).isEqualTo("WORKSTATION5.theshire.local");
        assertThat(e.hostHostname()).isEqualTo("WORKSTATION5.theshire.local");
        assertThat(e.processExecutable()).isEqualTo("C:\\Users\\pgustavo\\Downloads\\PurpleSharp.exe");
        assertThat(e.processName()).isEqualTo("PurpleSharp.exe");
        assertThat(e.processPid()).isEqualTo(0x1d84L);
        assertThat(e.message()).isEqualTo("An account failed to log on.");
        assertThat(e.eventOriginal()).isEqualTo(NXLOG_4625);
        assertThat(e.origin()).isEqualTo(Origin.file("test.json", 1));
        assertThat(e.relatedUser()).containsExactly("lrodriguez");
        assertThat(e.field("winlog.event_data.Status")).isEqualTo("0xc000006d");
        assertThat(e.field("winlog.event_data.SubStatus")).isEqualTo("0xc000006a");
        assertThat(e.field("winlog.event_data.LogonType")).isEqualTo("2");
        assertThat(e.field("winlog.event_data.IpAddress")).isEqualTo("-");
        assertThat(e.field("winlog.logon.type")).isEqualTo("Interactive");
        assertThat(e.field("winlog.channel")).isEqualTo("Security");
        assertThat(e.field("winlog.record_id")).isEqualTo("248357");
        assertThat(e.field("winlog.keywords")).isEqualTo("-9218868437227405312");
        assertThat(e.field("winlog.computer_name")).isEqualTo("WORKSTATION5.theshire.local");
        assertThat(e.field("winlog.provider_name")).isEqualTo("Microsoft-Windows-Security-Auditing");
    }

    @Test
    void onlyAllowListedKeysBecomeFields() {
        for (String json : new String[] {NXLOG_4625, WINLOGBEAT_4625}) {
            SecurityEvent e = decodeOk(json);
            assertThat(e.fields().keySet()).noneMatch(k -> k.contains("Evil") || k.contains("evil"));
            assertThat(e.fields().keySet()).noneMatch(k -> k.contains("tags") || k.contains("EventReceivedTime"));
            // event.original keeps the record as it was; nothing else in the document may name the key.
            assertThat(EcsJson.write(e.toBuilder().eventOriginal(null).build()))
                    .doesNotContain("EvilKey").doesNotContain("evil").doesNotContain("nested");
        }
    }

    @Test
    void winlogbeatShapeGivesTheSameEcsFieldsAsNxlog() {
        SecurityEvent nx = decodeOk(NXLOG_4625);
        SecurityEvent wb = decodeOk(WINLOGBEAT_4625);
        assertThat(ecsView(wb)).isEqualTo(ecsView(nx));
        Map<String, String> nxData = new TreeMap<>(nx.fields());
        Map<String, String> wbData = new TreeMap<>(wb.fields());
        // Keywords differ in form only: NXLog writes the bit mask, Winlogbeat the names.
        assertThat(wbData.remove("winlog.keywords")).isEqualTo("Audit Failure");
        assertThat(nxData.remove("winlog.keywords")).isEqualTo("-9218868437227405312");
        assertThat(wbData).isEqualTo(nxData);
    }

    /** The ECS components of an event, without the record text and where it came from. */
    private static String ecsView(SecurityEvent e) {
        return e.toBuilder().eventOriginal(null).message(null).build().toString()
                .replaceAll("fields=\\{[^}]*}", "");
    }

    @Test
    void aRecordNamingEveryAllowListedFieldStaysWithinTheFieldBudget() {
        StringBuilder sb = new StringBuilder("{\"@timestamp\":\"2020-10-22T08:29:55.210Z\",\"winlog\":{\"event_id\":4624,"
                + "\"channel\":\"Security\",\"event_data\":{");
        String sep = "";
        for (String name : new java.util.TreeSet<>(io.vigil.formats.windows.EventDataNames.ALLOWED)) {
            sb.append(sep).append('"').append(name).append("\":\"v\"");
            sep = ",";
        }
        sb.append("}}}");
        SecurityEvent e = decodeOk(sb.toString());
        assertThat(e.tags()).containsExactly("vigil_fields_dropped");
        assertThat(e.fields().size()).isLessThanOrEqualTo(io.vigil.model.ExtraFields.MAX_FIELDS);
        assertThat(e.fields()).containsKey("winlog.event_data.AccessList");
    }

    @Test
    void winlogbeatDottedKeysAreReadToo() {
        String json = "{\"@timestamp\":\"2020-10-22T08:29:55.210Z\",\"winlog.event_id\":\"4624\",\"winlog.channel\":\"security\","
                + "\"winlog.computer_name\":\"DC1\",\"winlog.event_data.TargetUserName\":\"alice\","
                + "\"winlog.event_data.IpAddress\":\"::ffff:10.0.0.5\",\"winlog.event_data.IpPort\":\"50123\"}";
        SecurityEvent e = decodeOk(json);
        assertThat(e.eventAction()).isEqualTo("logged-in");
        assertThat(e.eventOutcome()).isEqualTo("success");
        assertThat(e.userName()).isEqualTo("alice");
        assertThat(e.sourceIp()).isEqualTo("10.0.0.5");
        assertThat(e.sourcePort()).isEqualTo(50123);
        assertThat(e.hostName()).isEqualTo("DC1");
        assertThat(e.field("winlog.channel")).isEqualTo("Security");
    }

    @Test
    void channelIsMatchedCaseInsensitively() {
        for (String spelling : new String[] {"Security", "security", "SECURITY"}) {
            SecurityEvent e = decodeOk("{\"EventID\":4624,\"Channel\":\"" + spelling + "\",\"@timestamp\":\"2020-09-22T08:38:02.000Z\","
                    + "\"TargetUserName\":\"pgustavo\",\"IpAddress\":\"1.2.3.4\",\"IpPort\":\"0\"}");
            assertThat(e.field("winlog.channel")).isEqualTo("Security");
            assertThat(e.eventModule()).isEqualTo("security");
            assertThat(e.eventAction()).isEqualTo("logged-in");
            assertThat(e.sourceIp()).isEqualTo("1.2.3.4");
            assertThat(e.sourcePort()).as("IpPort 0 means none").isNull();
        }
        SecurityEvent sysmon = decodeOk("{\"EventID\":1,\"Channel\":\"microsoft-windows-sysmon/operational\","
                + "\"UtcTime\":\"2020-10-19 07:30:46.251\",\"Image\":\"C:\\\\Windows\\\\PSEXESVC.exe\",\"ProcessId\":\"4242\","
                + "\"ParentImage\":\"C:\\\\Windows\\\\System32\\\\services.exe\",\"User\":\"NT AUTHORITY\\\\SYSTEM\"}");
        assertThat(sysmon.field("winlog.channel")).isEqualTo("Microsoft-Windows-Sysmon/Operational");
        assertThat(sysmon.eventModule()).isEqualTo("sysmon");
        assertThat(sysmon.eventDataset()).isEqualTo("windows.sysmon_operational");
        assertThat(sysmon.eventAction()).isEqualTo("Process Create (rule: ProcessCreate)");
        assertThat(sysmon.eventCategory()).containsExactly("process");
        assertThat(sysmon.eventType()).containsExactly("start");
        assertThat(sysmon.processName()).isEqualTo("PSEXESVC.exe");
        assertThat(sysmon.processPid()).isEqualTo(4242L);
        assertThat(sysmon.processParentExecutable()).isEqualTo("C:\\Windows\\System32\\services.exe");
        assertThat(sysmon.userName()).isEqualTo("SYSTEM");
        assertThat(sysmon.userDomain()).isEqualTo("NT AUTHORITY");

        SecurityEvent other = decodeOk("{\"EventID\":129,\"Channel\":\"Microsoft-Windows-TaskScheduler/Operational\","
                + "\"EventTime\":\"2020-09-22 04:38:00\"}");
        assertThat(other.field("winlog.channel")).isEqualTo("Microsoft-Windows-TaskScheduler/Operational");
        assertThat(other.eventModule()).isEqualTo("windows");
        assertThat(other.eventAction()).as("unknown id: no action, still an event").isNull();
    }

    @Test
    void utcTimeIsPreferredOverLocalTime() {
        WindowsEventDecoder newYork = new WindowsEventDecoder(DecoderOptions.defaults().withZone(ZoneId.of("America/New_York")));
        // @timestamp wins over EventTime, whatever the zone.
        String both = "{\"EventID\":4624,\"Channel\":\"Security\",\"EventTime\":\"2020-10-22 04:29:53\","
                + "\"@timestamp\":\"2020-10-22T08:29:55.210Z\"}";
        assertThat(decodeOk(newYork, both).timestamp()).isEqualTo(Instant.parse("2020-10-22T08:29:55.210Z"));
        assertThat(decodeOk(both).timestamp()).isEqualTo(Instant.parse("2020-10-22T08:29:55.210Z"));
        // Sysmon UtcTime wins over a zone-less TimeCreated.
        String sysmon = "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
                + "\"TimeCreated\":\"2020-10-19 03:30:46.257\",\"UtcTime\":\"2020-10-19 07:30:46.251\"}";
        assertThat(decodeOk(newYork, sysmon).timestamp()).isEqualTo(Instant.parse("2020-10-19T07:30:46.251Z"));
        // An ISO TimeCreated with a zone wins over EventTime.
        String iso = "{\"EventID\":4719,\"Channel\":\"Security\",\"TimeCreated\":\"2022-08-18T06:55:57.789Z\","
                + "\"EventTime\":\"2022-08-18 02:55:57\"}";
        assertThat(decodeOk(newYork, iso).timestamp()).isEqualTo(Instant.parse("2022-08-18T06:55:57.789Z"));
        String offset = "{\"EventID\":4719,\"Channel\":\"Security\",\"TimeCreated\":\"2022-08-18T08:55:57.789+02:00\"}";
        assertThat(decodeOk(newYork, offset).timestamp()).isEqualTo(Instant.parse("2022-08-18T06:55:57.789Z"));
    }

    @Test
    void localTimeIsReadInTheConfiguredZone() {
        String psexec = "{\"EventID\":1102,\"Channel\":\"Security\",\"TimeCreated\":\"2020-10-19 03:30:41.104\"}";
        assertThat(decodeOk(psexec).timestamp()).as("defaults: UTC").isEqualTo(Instant.parse("2020-10-19T03:30:41.104Z"));
        WindowsEventDecoder newYork = new WindowsEventDecoder(DecoderOptions.defaults().withZone(ZoneId.of("America/New_York")));
        assertThat(decodeOk(newYork, psexec).timestamp()).isEqualTo(Instant.parse("2020-10-19T07:30:41.104Z"));
        String eventTime = "{\"EventID\":4720,\"Channel\":\"Security\",\"EventTime\":\"2020-09-14 08:06:02\"}";
        assertThat(decodeOk(newYork, eventTime).timestamp()).isEqualTo(Instant.parse("2020-09-14T12:06:02Z"));
        WindowsEventDecoder plus2 = new WindowsEventDecoder(DecoderOptions.defaults().withZone(ZoneId.of("+02:00")));
        assertThat(decodeOk(plus2, eventTime).timestamp()).isEqualTo(Instant.parse("2020-09-14T06:06:02Z"));
    }

    @Test
    void keywordsKeepAll64Bits() {
        String json = "{\"EventID\":5158,\"Channel\":\"Security\",\"@timestamp\":\"2020-09-14T12:05:46.455Z\","
                + "\"Keywords\":-9214364837600034816,\"RecordNumber\":18446744073709551615}";
        SecurityEvent e = decodeOk(json);
        // A double would turn this into -9214364837600034816 ± 1024 (…0034816 is not representable exactly).
        assertThat(e.field("winlog.keywords")).isEqualTo("-9214364837600034816");
        assertThat(e.field("winlog.record_id")).isEqualTo("18446744073709551615");
        assertThat(e.eventOutcome()).as("0x8020000000000000 is Audit Success").isEqualTo("success");
        SecurityEvent hex = decodeOk("{\"EventID\":4625,\"Channel\":\"Security\",\"@timestamp\":\"2022-08-18T06:56:26.233Z\","
                + "\"Keywords\":\"0x8010000000000000\"}");
        assertThat(hex.field("winlog.keywords")).isEqualTo("0x8010000000000000");
        SecurityEvent failureKeyword = decodeOk("{\"EventID\":4656,\"Channel\":\"Security\",\"@timestamp\":\"2022-08-18T06:56:26.233Z\","
                + "\"Keywords\":\"0x8010000000000000\"}");
        assertThat(failureKeyword.eventOutcome()).as("audit failure keyword").isEqualTo("failure");
    }

    @Test
    void mappedIpv4IsUnwrappedAndDashIsDropped() {
        String kerberos = "{\"EventID\":4769,\"Channel\":\"Security\",\"@timestamp\":\"2020-10-22T08:29:53.000Z\","
                + "\"TargetUserName\":\"pgustavo@THESHIRE.LOCAL\",\"TargetDomainName\":\"THESHIRE.LOCAL\","
                + "\"ServiceName\":\"sysmonsvc\",\"TicketEncryptionType\":\"0x17\",\"TicketOptions\":\"0x40810000\","
                + "\"Status\":\"0x0\",\"IpAddress\":\"::ffff:172.18.39.5\",\"IpPort\":\"49722\"}";
        SecurityEvent e = decodeOk(kerberos);
        assertThat(e.sourceIp()).isEqualTo("172.18.39.5");
        assertThat(e.sourcePort()).isEqualTo(49722);
        assertThat(e.userName()).isEqualTo("pgustavo");
        assertThat(e.userDomain()).isEqualTo("THESHIRE.LOCAL");
        assertThat(e.eventAction()).isEqualTo("kerberos-service-ticket-requested");
        assertThat(e.eventOutcome()).isEqualTo("success");
        assertThat(e.field("winlog.event_data.TargetUserName")).isEqualTo("pgustavo@THESHIRE.LOCAL");
        assertThat(e.field("winlog.event_data.IpAddress")).isEqualTo("::ffff:172.18.39.5");
        assertThat(e.field("winlog.event_data.TicketEncryptionType")).isEqualTo("0x17");
        assertThat(e.relatedIp()).containsExactly("172.18.39.5");

        SecurityEvent loopback = decodeOk(kerberos.replace("::ffff:172.18.39.5", "::1"));
        assertThat(loopback.sourceIp()).isEqualTo("::1");
        SecurityEvent dash = decodeOk(kerberos.replace("::ffff:172.18.39.5", "-"));
        assertThat(dash.sourceIp()).isNull();
        assertThat(dash.relatedIp()).isEmpty();
        SecurityEvent notAnIp = decodeOk(kerberos.replace("::ffff:172.18.39.5", "evil.example.com"));
        assertThat(notAnIp.sourceIp()).isNull();
    }

    @Test
    void truncatedJsonFailsNamingTheProblemAndPosition() {
        String truncated = NXLOG_4625.substring(0, 200);
        String error = decodeError(truncated);
        assertThat(error).startsWith("invalid JSON: ").contains("end-of-input").contains("column");
        assertThat(decodeError("{\"EventID\":4624,,}")).startsWith("invalid JSON: ").contains("line 1, column 17");
        assertThat(decodeError(NXLOG_4625 + " trailing")).startsWith("invalid JSON: Unrecognized token 'trailing'");
        assertThat(decodeError(NXLOG_4625 + " {}")).startsWith("content after the JSON object at column");
    }

    @Test
    void invalidUtf8Fails() {
        byte[] good = NXLOG_4625.getBytes(UTF_8);
        byte[] bad = Arrays.copyOf(good, good.length);
        bad[30] = (byte) 0xC3; // a lead byte followed by an ASCII byte
        assertThat(decodeError(bad)).isEqualTo("invalid UTF-8 at byte 30");
        assertThat(decodeError(new byte[] {'{', (byte) 0xFF, '}'})).isEqualTo("invalid UTF-8 at byte 1");
    }

    @Test
    void nonObjectsAndRecordsWithoutEventIdFail() {
        assertThat(decodeError("[{\"EventID\":4624}]")).isEqualTo("not a JSON object but an array");
        assertThat(decodeError("\"EventID\"")).isEqualTo("not a JSON object but a string");
        assertThat(decodeError("42")).isEqualTo("not a JSON object but a number");
        assertThat(decodeError("")).isEqualTo("empty record");
        assertThat(decodeError("   ")).isEqualTo("empty record");
        assertThat(decodeError("{\"Channel\":\"Security\",\"@timestamp\":\"2020-10-22T08:29:55.210Z\"}"))
                .startsWith("no EventID");
        assertThat(decodeError("{\"EventID\":\"forty\",\"@timestamp\":\"2020-10-22T08:29:55.210Z\"}"))
                .isEqualTo("EventID is not an event id: 'forty'");
        assertThat(decodeError("{\"EventID\":4624,\"Channel\":\"Security\"}")).startsWith("no event time");
        assertThat(decodeError("{\"EventID\":4624,\"@timestamp\":\"yesterday\"}")).startsWith("no readable event time");
    }

    @Test
    void crlfAndByteOrderMarkAreTolerated() {
        SecurityEvent e = decodeOk("\uFEFF" + NXLOG_4625 + "\r");
        assertThat(e.eventCode()).isEqualTo("4625");
    }

    @Test
    void auditLogClearedTakesTheAccountFromTheMessage() {
        String json = "{\"SourceName\":\"Microsoft-Windows-Eventlog\",\"TimeCreated\":\"2020-10-19 03:30:41.104\","
                + "\"Hostname\":\"WORKSTATION5\",\"Task\":\"104\",\"Channel\":\"Security\",\"Message\":\"The audit log was cleared."
                + "\\r\\nSubject:\\r\\n\\tSecurity ID:\\tS-1-5-21-3940915590-64593676-1414006259-500\\r\\n\\tAccount Name:\\twardog"
                + "\\r\\n\\tDomain Name:\\tWORKSTATION5\\r\\n\\tLogon ID:\\t0xC61D9\",\"EventID\":1102}";
        SecurityEvent e = decodeOk(json);
        assertThat(e.eventAction()).isEqualTo("audit-log-cleared");
        assertThat(e.eventCategory()).containsExactly("iam");
        assertThat(e.eventType()).containsExactly("admin", "change");
        assertThat(e.userName()).isEqualTo("wardog");
        assertThat(e.userDomain()).isEqualTo("WORKSTATION5");
        assertThat(e.userId()).isEqualTo("S-1-5-21-3940915590-64593676-1414006259-500");
        assertThat(e.field("winlog.event_data.SubjectUserName")).isEqualTo("wardog");
        assertThat(e.field("winlog.event_data.SubjectLogonId")).isEqualTo("0xC61D9");
        assertThat(e.eventProvider()).isEqualTo("Microsoft-Windows-Eventlog");

        // Winlogbeat keeps it in user_data: the same fields come out.
        String wb = "{\"@timestamp\":\"2020-10-19T07:30:41.104Z\",\"winlog\":{\"channel\":\"Security\",\"event_id\":1102,"
                + "\"provider_name\":\"Microsoft-Windows-Eventlog\",\"user_data\":{\"SubjectUserName\":\"wardog\","
                + "\"SubjectDomainName\":\"WORKSTATION5\",\"SubjectUserSid\":\"S-1-5-21-3940915590-64593676-1414006259-500\"}}}";
        SecurityEvent w = decodeOk(wb);
        assertThat(w.userName()).isEqualTo("wardog");
        assertThat(w.field("winlog.event_data.SubjectUserName")).isEqualTo("wardog");
    }

    @Test
    void accountManagementNamesTheActorAndTheTarget() {
        String json = "{\"EventID\":4720,\"Channel\":\"Security\",\"Hostname\":\"WORKSTATION6.theshire.local\","
                + "\"@timestamp\":\"2020-09-14T12:06:03.907Z\",\"SubjectUserName\":\"pgustavo\",\"SubjectDomainName\":\"THESHIRE\","
                + "\"SubjectUserSid\":\"S-1-5-21-1\",\"TargetUserName\":\"backdoor\",\"TargetDomainName\":\"WORKSTATION6\","
                + "\"TargetSid\":\"S-1-5-21-2-1000\",\"Keywords\":-9214364837600034816}";
        SecurityEvent e = decodeOk(json);
        assertThat(e.eventAction()).isEqualTo("added-user-account");
        assertThat(e.eventCategory()).containsExactly("iam");
        assertThat(e.eventType()).containsExactly("creation", "user");
        assertThat(e.userName()).isEqualTo("pgustavo");
        assertThat(e.userDomain()).isEqualTo("THESHIRE");
        assertThat(e.userTargetName()).isEqualTo("backdoor");
        assertThat(e.relatedUser()).containsExactly("pgustavo", "backdoor");
        assertThat(e.eventOutcome()).isEqualTo("success");

        SecurityEvent group = decodeOk("{\"EventID\":4732,\"Channel\":\"Security\",\"@timestamp\":\"2020-09-14T12:06:03.907Z\","
                + "\"SubjectUserName\":\"pgustavo\",\"TargetUserName\":\"Administrators\",\"TargetDomainName\":\"Builtin\","
                + "\"TargetSid\":\"S-1-5-32-544\",\"MemberName\":\"CN=Back Door,CN=Users,DC=theshire,DC=local\","
                + "\"MemberSid\":\"S-1-5-21-9\"}");
        assertThat(group.eventAction()).isEqualTo("added-member-to-group");
        assertThat(group.userName()).isEqualTo("pgustavo");
        assertThat(group.userTargetName()).isEqualTo("Back Door");
        assertThat(group.field("group.name")).isEqualTo("Administrators");
        assertThat(group.field("group.id")).isEqualTo("S-1-5-32-544");
        assertThat(group.field("winlog.event_data.MemberSid")).isEqualTo("S-1-5-21-9");
    }

    @Test
    void processCreationAndServiceInstallMapProcessAndServiceFields() {
        SecurityEvent p = decodeOk("{\"EventID\":4688,\"Channel\":\"Security\",\"@timestamp\":\"2020-09-14T12:06:03.000Z\","
                + "\"SubjectUserName\":\"WORKSTATION6$\",\"NewProcessId\":\"0x1a2c\",\"NewProcessName\":\"C:\\\\Windows\\\\System32\\\\net.exe\","
                + "\"CommandLine\":\"net user /add backdoor paw0rd1\",\"ProcessId\":\"0xf00\","
                + "\"ParentProcessName\":\"C:\\\\Windows\\\\System32\\\\wbem\\\\WmiPrvSE.exe\",\"TargetUserName\":\"pgustavo\"}");
        assertThat(p.eventAction()).isEqualTo("created-process");
        assertThat(p.processExecutable()).isEqualTo("C:\\Windows\\System32\\net.exe");
        assertThat(p.processName()).isEqualTo("net.exe");
        assertThat(p.processPid()).isEqualTo(0x1a2cL);
        assertThat(p.processCommandLine()).isEqualTo("net user /add backdoor paw0rd1");
        assertThat(p.processParentExecutable()).isEqualTo("C:\\Windows\\System32\\wbem\\WmiPrvSE.exe");
        assertThat(p.field("process.parent.pid")).isEqualTo("3840");
        assertThat(p.relatedUser()).contains("WORKSTATION6$", "pgustavo");

        SecurityEvent s = decodeOk("{\"SourceName\":\"Service Control Manager\",\"ServiceName\":\"PSEXESVC\",\"StartType\":\"demand start\","
                + "\"TimeCreated\":\"2020-10-19 03:30:46.416\",\"Hostname\":\"WORKSTATION5\",\"AccountName\":\"LocalSystem\","
                + "\"ImagePath\":\"%SystemRoot%\\\\PSEXESVC.exe\",\"Channel\":\"System\",\"ServiceType\":\"user mode service\",\"EventID\":7045}");
        assertThat(s.eventAction()).isEqualTo("service-installed");
        assertThat(s.eventModule()).isEqualTo("system");
        assertThat(s.eventDataset()).isEqualTo("windows.system");
        assertThat(s.field("service.name")).isEqualTo("PSEXESVC");
        assertThat(s.field("winlog.event_data.ImagePath")).isEqualTo("%SystemRoot%\\PSEXESVC.exe");
        assertThat(s.field("winlog.event_data.StartType")).isEqualTo("demand start");
        assertThat(s.field("winlog.event_data.AccountName")).isEqualTo("LocalSystem");
    }

    @Test
    void ntlmValidationOutcomeFollowsStatus() {
        String failed = "{\"EventID\":4776,\"Channel\":\"Security\",\"@timestamp\":\"2020-10-22T08:29:55.000Z\","
                + "\"TargetUserName\":\"mscott\",\"Workstation\":\"WORKSTATION5\",\"Status\":\"0xc000006a\"}";
        SecurityEvent f = decodeOk(failed);
        assertThat(f.eventAction()).isEqualTo("credential-validated");
        assertThat(f.eventOutcome()).isEqualTo("failure");
        assertThat(f.userName()).isEqualTo("mscott");
        assertThat(f.sourceDomain()).isEqualTo("WORKSTATION5");
        assertThat(decodeOk(failed.replace("0xc000006a", "0x0")).eventOutcome()).isEqualTo("success");
    }

    @Test
    void valuesOfOtherJsonTypesAreKeptAsText() {
        SecurityEvent e = decodeOk("{\"EventID\":\"4624\",\"Channel\":\"Security\",\"@timestamp\":\"2020-10-22T08:29:55.210Z\","
                + "\"LogonType\":3,\"ElevatedToken\":true,\"TargetUserName\":null,\"IpPort\":1.5,\"Status\":{\"x\":1}}");
        assertThat(e.field("winlog.event_data.LogonType")).isEqualTo("3");
        assertThat(e.field("winlog.event_data.ElevatedToken")).isEqualTo("true");
        assertThat(e.field("winlog.event_data.TargetUserName")).isNull();
        assertThat(e.field("winlog.event_data.IpPort")).isEqualTo("1.5");
        assertThat(e.field("winlog.event_data.Status")).as("objects are not flattened into names").isNull();
        assertThat(e.userName()).isNull();
    }
}
