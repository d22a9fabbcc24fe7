package io.vigil.formats;

import static java.nio.charset.StandardCharsets.UTF_16LE;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import java.io.IOException;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * Pins the complete ECS output of {@link WindowsEventDecoder} (every field, and every failure
 * reason) on hand-made records of both shapes, on malformed input, and on the OTRF datasets, so
 * that a faster decoder provably gives the same events. See {@link GoldenOutput}.
 */
class WindowsEventGoldenTest {

    private static final String DIR = "otrf-security-datasets/windows/";

    /** A Winlogbeat document written with dotted keys, arrays and values of every JSON type. */
    private static final String DOTTED = "{\"@timestamp\":\"2021-03-04T05:06:07.123456789+02:00\","
            + "\"winlog.event_id\":\"4624\",\"winlog.channel\":\"security\",\"winlog.provider_name\":\"P\","
            + "\"winlog.computer_name\":\"DC1.corp\",\"winlog.record_id\":12,\"winlog.keywords\":[\"Audit Success\",7,null,{}],"
            + "\"winlog.user.identifier\":\"S-1-5-18\",\"winlog.event_data.TargetUserName\":\"bob@CORP\","
            + "\"winlog.event_data.IpAddress\":\"::ffff:10.1.2.3\",\"winlog.event_data.IpPort\":51234,"
            + "\"winlog.event_data.LogonType\":10,\"winlog.event_data.Evil\":\"x\",\"winlog.user_data.SubjectUserName\":[\"a\",\"b\"],"
            + "\"event.code\":\"1\",\"event.outcome\":\"failure\",\"host.name\":\"h\",\"host.hostname\":\"h2\","
            + "\"winlog.event_data.ElevatedToken\":true,\"winlog.event_data.KeyLength\":0.5e1,\"winlog.event_data.Status\":null}";

    /** Sysmon process creation, Winlogbeat nested shape, with escapes and non-ASCII text. */
    private static final String SYSMON_1 = "{\"@timestamp\":\"2021-03-04T05:06:07Z\",\"winlog\":{\"channel\":"
            + "\"Microsoft-Windows-Sysmon/Operational\",\"event_id\":1,\"computer_name\":\"WS1\",\"user\":{\"identifier\":\"S-1-5-21-9\"},"
            + "\"event_data\":{\"Image\":\"C:\\\\Windows\\\\System32\\\\cmd.exe\",\"ProcessId\":\"4242\","
            + "\"CommandLine\":\"cmd /c \\\"echo caf\\u00e9 \\/ na\u00efve \u65e5\u672c\\\"\",\"User\":\"CORP\\\\al\u00efce\","
            + "\"ParentImage\":\"C:\\\\Windows\\\\explorer.exe\",\"ParentProcessId\":\"0x10\",\"ParentCommandLine\":\"explorer\","
            + "\"RuleName\":\"-\",\"UtcTime\":\"2021-03-04 03:06:07.999\",\"Nested\":{\"a\":[1,{\"b\":2}]}}}}";

    /** Duplicate keys: the last value of a key is the one read. */
    private static final String DUPLICATES = "{\"EventID\":4625,\"EventID\":\"4624\",\"Channel\":\"System\",\"Channel\":\"Security\","
            + "\"@timestamp\":\"2020-01-01T00:00:00Z\",\"TargetUserName\":\"first\",\"TargetUserName\":\"second\","
            + "\"Keywords\":\"0x8020000000000000\",\"winlog\":{\"event_data\":{\"IpAddress\":\"10.0.0.1\"}},"
            + "\"winlog\":{\"event_data\":{\"IpPort\":\"80\"}},\"IpAddress\":\"10.9.9.9\"}";

    private static String sysmon(int id, String data) {
        return "{\"@timestamp\":\"2021-03-04T05:06:07Z\",\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
                + "\"EventID\":" + id + ",\"Hostname\":\"WS1\"," + data + "}";
    }

    private static String security(int id, String data) {
        return "{\"EventTime\":\"2020-10-22 04:29:53\",\"SourceName\":\"Microsoft-Windows-Security-Auditing\","
                + "\"EventID\":" + id + ",\"Computer\":\"dc.corp\",\"EventType\":\"AUDIT_SUCCESS\"," + data + "}";
    }

    @Test
    void outputIsPinned() throws IOException {
        GoldenOutput golden = new GoldenOutput("windows");
        WindowsEventDecoder utc = new WindowsEventDecoder(DecoderOptions.defaults());
        WindowsEventDecoder ny = new WindowsEventDecoder(DecoderOptions.defaults().withZone(ZoneId.of("America/New_York")));

        String[][] cases = {
            {"nxlog-4625", WindowsEventDecoderTest.NXLOG_4625},
            {"winlogbeat-4625", WindowsEventDecoderTest.WINLOGBEAT_4625},
            {"dotted", DOTTED},
            {"sysmon-1", SYSMON_1},
            {"duplicates", DUPLICATES},
            {"sysmon-3", sysmon(3, "\"SourceIp\":\"10.0.0.5\",\"SourcePort\":\"50000\",\"SourceHostname\":\"ws1\","
                    + "\"DestinationIp\":\"fe80::1%12\",\"DestinationPort\":\"445\",\"DestinationHostname\":\"-\",\"Image\":\"C:\\\\a.exe\"")},
            {"sysmon-8", sysmon(8, "\"SourceImage\":\"C:\\\\x\\\\evil.exe\",\"SourceProcessId\":\"12\",\"TargetImage\":\"C:\\\\lsass.exe\"")},
            {"sysmon-10", sysmon(10, "\"SourceImage\":\"C:\\\\x\\\\evil.exe\",\"SourceProcessId\":\"0x12\",\"GrantedAccess\":\"0x1010\"")},
            {"sysmon-11", sysmon(11, "\"TargetFilename\":\"C:\\\\lsass.dmp\",\"UtcTime\":\"2021-03-04 03:00:00\"")},
            {"sysmon-7", sysmon(7, "\"ImageLoaded\":\"C:\\\\dbghelp.dll\"")},
            {"sysmon-17", sysmon(17, "\"PipeName\":\"\\\\PSEXESVC\"")},
            {"sysmon-22", sysmon(22, "\"QueryName\":\"evil.example\",\"User\":\"NT AUTHORITY\\\\SYSTEM\"")},
            {"sysmon-99", sysmon(99, "\"Image\":\"C:\\\\a.exe\"")},
            {"system-7045", "{\"@timestamp\":\"2020-10-19T07:30:41Z\",\"Channel\":\"System\",\"EventID\":7045,"
                    + "\"ServiceName\":\"PSEXESVC\",\"ImagePath\":\"%SystemRoot%\\\\PSEXESVC.exe\",\"ProcessId\":\"0\"}"},
            {"other-channel", "{\"@timestamp\":\"2020-10-19T07:30:41Z\",\"Channel\":\"Microsoft-Windows-TaskScheduler/Operational\","
                    + "\"EventID\":106,\"SubjectUserName\":\"u\",\"ProcessName\":\"C:\\\\t.exe\",\"ProcessId\":\"77\"}"},
            {"powershell", "{\"@timestamp\":\"2020-10-19T07:30:41Z\",\"Channel\":\"Windows PowerShell\",\"EventID\":400,"
                    + "\"TargetUserName\":\"t\"}"},
            {"provider-only", "{\"@timestamp\":\"2020-10-19T07:30:41Z\",\"ProviderName\":\"Microsoft-Windows-Sysmon\",\"EventID\":1}"},
            {"1102-message", security(1102, "\"Message\":\"The audit log was cleared.\\r\\nSubject:\\r\\n\\tSecurity ID:\\tS-1-5-21-1\\r\\n"
                    + "\\tAccount Name:\\twardog\\r\\n\\tDomain Name:\\tWORKSTATION5\\r\\n\\tLogon ID:\\t0xC61D9\"")},
            {"4688", security(4688, "\"SubjectUserName\":\"s\",\"TargetUserName\":\"t\",\"NewProcessName\":\"C:\\\\n.exe\","
                    + "\"NewProcessId\":\"0x1c\",\"ParentProcessName\":\"C:\\\\p.exe\",\"ProcessId\":\"0x4\",\"CommandLine\":\"n -x\"")},
            {"4697", security(4697, "\"SubjectUserName\":\"s\",\"ServiceName\":\"svc\",\"ServiceFileName\":\"c:\\\\s.exe\"")},
            {"4720", security(4720, "\"SubjectUserName\":\"admin\",\"TargetUserName\":\"-\",\"NewTargetUserName\":\"backdoor\"")},
            {"4728", security(4728, "\"SubjectUserName\":\"admin\",\"TargetUserName\":\"Domain Admins\",\"TargetSid\":\"S-1-5-21-512\","
                    + "\"MemberName\":\"CN=backdoor,CN=Users,DC=corp\"")},
            {"4778", security(4778, "\"AccountName\":\"u\",\"AccountDomain\":\"D\",\"ClientAddress\":\"10.0.0.9\",\"ClientName\":\"c\"")},
            {"4776", security(4776, "\"TargetUserName\":\"u\",\"Workstation\":\"W\",\"Status\":\"0xc000006a\"")},
            {"4768", security(4768, "\"TargetUserName\":\"u@CORP\",\"Status\":\"0x0\",\"IpAddress\":\"::1\"")},
            {"4769-unknown-status", security(4769, "\"TargetUserName\":\"u\",\"Status\":\"zz\",\"Keywords\":\"-9214364837600034816\"")},
            {"4625-keywords-hex", security(4625, "\"Keywords\":\"0x8010000000000000\",\"LogonType\":\"3\",\"TargetLogonId\":\"0x1\"")},
            {"4672-fallback-roles", security(4672, "\"SubjectUserName\":\"s\",\"PrivilegeList\":\"SeDebugPrivilege\"")},
            {"5145-fallback-target", security(5145, "\"TargetUserName\":\"t\",\"ShareName\":\"\\\\\\\\*\\\\C$\"")},
            {"event-id-spaces", "{\"EventID\":\" 4624 \",\"@timestamp\":\"2020-10-22T08:29:55Z\",\"Channel\":\"Security\"}"},
            {"time-created-zoned", "{\"EventID\":4624,\"TimeCreated\":\"2020-10-22T08:29:55.1+0130\",\"Channel\":\"Security\"}"},
            {"time-created-local", "{\"EventID\":4624,\"TimeCreated\":\"2020-10-22 08:29:55\",\"EventTime\":\"2020-10-22 09:29:55\"}"},
            {"time-created-local-only", "{\"EventID\":4624,\"TimeCreated\":\"2020-10-22 08:29:55,5\"}"},
            {"utc-over-local", "{\"EventID\":1,\"UtcTime\":\"2020-10-22 08:29:55.5\",\"EventTime\":\"2020-10-22 04:29:55\"}"},
            {"leading-whitespace", "  \t{\"EventID\":4624,\"@timestamp\":\"2020-10-22T08:29:55Z\"}  "},
            {"crlf", "{\"EventID\":4624,\"@timestamp\":\"2020-10-22T08:29:55Z\"}\r\n"},
            {"bom-cr", "\uFEFF" + WindowsEventDecoderTest.NXLOG_4625 + "\r"},
            {"bom-only", "\uFEFF"},
            {"bom-twice", "\uFEFF\uFEFF{\"EventID\":4624,\"@timestamp\":\"2020-10-22T08:29:55Z\"}"},
            {"bom-after-space", " \uFEFF{\"EventID\":4624,\"@timestamp\":\"2020-10-22T08:29:55Z\"}"},
            {"empty", ""},
            {"blank", " \t "},
            {"array", "[{\"EventID\":4624}]"},
            {"string", "\"EventID\""},
            {"number", "42"},
            {"null", "null"},
            {"true", "true"},
            {"two-objects", "{\"EventID\":4624} {}"},
            {"trailing-junk", "{\"EventID\":4624,\"@timestamp\":\"2020-10-22T08:29:55Z\"} junk"},
            {"trailing-comma", "{\"EventID\":4624,,}"},
            {"unquoted-control", "{\"EventID\":4624,\"Message\":\"a\tb\",\"@timestamp\":\"2020-10-22T08:29:55Z\"}"},
            {"bad-escape", "{\"EventID\":4624,\"Message\":\"a\\qb\",\"@timestamp\":\"2020-10-22T08:29:55Z\"}"},
            {"bad-escape-skipped-key", "{\"EventID\":4624,\"NotAField\":\"a\\qb\",\"@timestamp\":\"2020-10-22T08:29:55Z\"}"},
            {"nul-byte", "{\"EventID\":4624,\u0000\"@timestamp\":\"2020-10-22T08:29:55Z\"}"},
            {"nul-in-string", "{\"EventID\":4624,\"NotAField\":\"a\u0000b\",\"@timestamp\":\"2020-10-22T08:29:55Z\"}"},
            {"no-event-id", "{\"Channel\":\"Security\",\"@timestamp\":\"2020-10-22T08:29:55.210Z\"}"},
            {"event-id-word", "{\"EventID\":\"forty\",\"@timestamp\":\"2020-10-22T08:29:55.210Z\"}"},
            {"event-id-long", "{\"EventID\":\"12345678901234567890123456789012345678901234567890\",\"@timestamp\":\"2020-10-22T08:29:55Z\"}"},
            {"event-id-float", "{\"EventID\":46.24,\"@timestamp\":\"2020-10-22T08:29:55Z\"}"},
            {"event-id-object", "{\"EventID\":{\"a\":1},\"@timestamp\":\"2020-10-22T08:29:55Z\"}"},
            {"no-time", "{\"EventID\":4624,\"Channel\":\"Security\"}"},
            {"bad-time", "{\"EventID\":4624,\"@timestamp\":\"yesterday\"}"},
            {"bad-date", "{\"EventID\":4624,\"@timestamp\":\"2021-02-30T00:00:00Z\"}"},
            {"deep", "{\"EventID\":4624,\"@timestamp\":\"2020-10-22T08:29:55Z\",\"x\":" + "[".repeat(1200) + "]".repeat(1200) + "}"},
            {"big-number", "{\"EventID\":4624,\"@timestamp\":\"2020-10-22T08:29:55Z\",\"Keywords\":123456789012345678901234567890,"
                    + "\"RecordNumber\":1.5E300,\"x\":-0.0}"},
        };
        for (String[] c : cases) {
            golden.add(c[0], decode(utc, c[1].getBytes(UTF_8)));
            golden.add(c[0] + " (America/New_York)", decode(ny, c[1].getBytes(UTF_8)));
        }

        byte[] nxlog = WindowsEventDecoderTest.NXLOG_4625.getBytes(UTF_8);
        byte[] badUtf8 = nxlog.clone();
        badUtf8[30] = (byte) 0xC3;
        golden.add("invalid-utf8", decode(utc, badUtf8));
        golden.add("invalid-utf8-ff", decode(utc, new byte[] {'{', (byte) 0xFF, '}'}));
        golden.add("utf16le", decode(utc, WindowsEventDecoderTest.NXLOG_4625.getBytes(UTF_16LE)));
        golden.add("bom-bytes-utf16le", decode(utc, new byte[] {(byte) 0xFF, (byte) 0xFE, '{', 0, '}', 0}));
        golden.add("overlong-utf8", decode(utc, new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'}));
        for (String base : new String[] {WindowsEventDecoderTest.NXLOG_4625, SYSMON_1}) {
            byte[] bytes = base.getBytes(UTF_8);
            String name = base == SYSMON_1 ? "sysmon-1" : "nxlog-4625";
            for (int i = 0; i < bytes.length; i++) {
                golden.add(name + " prefix " + i, decode(utc, java.util.Arrays.copyOf(bytes, i)));
            }
        }

        for (String f : new String[] {
            "auditpol_system_user_auditpolicy_modification.security_system.json",
            "cmd_psexec_lsa_secrets_dump_2020-10-1903305471.json",
            "empire_wmic_add_user_backdoor_2020-09-14080546.security_system.json",
            "purplesharp_ad_playbook_I_2020-10-22042947.security_system.json",
            "rdp_interactive_taskmanager_lsass_dump_2020-09-22043748.json"}) {
            golden.addDataset(ny, Formats.WINDOWS, DIR + f, 1, WindowsEventGoldenTest::kind);
        }
        golden.verify();
    }

    /** Records are sampled per channel and event id. */
    private static String kind(DecodeResult r) {
        return r.ok() ? r.events().get(0).field("winlog.channel") + "/" + r.events().get(0).eventCode() : "failure";
    }

    private static DecodeResult decode(WindowsEventDecoder d, byte[] bytes) {
        return guarded(d, RawRecord.of(bytes, Origin.kafka("windows", 0, 7), Formats.WINDOWS));
    }

    /** As {@link DecoderRegistry#decode} does: an exception is a failure, not a crash of the test. */
    private static DecodeResult guarded(Decoder d, RawRecord r) {
        try {
            return d.decode(r);
        } catch (RuntimeException | StackOverflowError e) {
            return DecodeResult.failure("THREW " + e);
        }
    }
}
