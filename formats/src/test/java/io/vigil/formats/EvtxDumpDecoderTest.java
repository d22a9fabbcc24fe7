package io.vigil.formats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.formats.input.Framers;
import io.vigil.formats.input.RecordFramer;
import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link WindowsEventDecoder} on hand-made documents of evtx_dump's shape ({@code Event.System}, {@code Event.EventData}). */
class EvtxDumpDecoderTest {

    private final WindowsEventDecoder decoder = new WindowsEventDecoder(DecoderOptions.defaults());

    /** An evtx_dump document from its System members and the rest of its Event members. */
    private static String evtx(String system, String rest) {
        return "{\"Event\":{\"#attributes\":{\"xmlns\":\"http://schemas.microsoft.com/win/2004/08/events/event\"},"
                + "\"System\":{" + system + "}" + (rest.isEmpty() ? "" : "," + rest) + "}}";
    }

    /** {@link WindowsEventDecoderTest#WINLOGBEAT_4625} as evtx_dump renders the event's XML. */
    static final String EVTX_4625 = evtx(
            "\"Provider\":{\"#attributes\":{\"Name\":\"Microsoft-Windows-Security-Auditing\","
                    + "\"Guid\":\"54849625-5478-4994-A5BA-3E3B0328C30D\"}},\"EventID\":4625,\"Version\":0,\"Level\":0,"
                    + "\"Task\":12544,\"Opcode\":0,\"Keywords\":\"0x8010000000000000\","
                    + "\"TimeCreated\":{\"#attributes\":{\"SystemTime\":\"2020-10-22T08:29:55.210000Z\"}},"
                    + "\"EventRecordID\":248357,\"Correlation\":null,"
                    + "\"Execution\":{\"#attributes\":{\"ProcessID\":640,\"ThreadID\":4672}},\"Channel\":\"Security\","
                    + "\"Computer\":\"WORKSTATION5.theshire.local\",\"Security\":null",
            "\"EventData\":{\"SubjectUserSid\":\"S-1-5-21-1-2-3-1104\",\"SubjectUserName\":\"pgustavo\","
                    + "\"SubjectDomainName\":\"THESHIRE\",\"SubjectLogonId\":\"0x5d3b4\",\"TargetUserSid\":\"S-1-0-0\","
                    + "\"TargetUserName\":\"lrodriguez\",\"TargetDomainName\":\"THESHIRE\",\"Status\":\"0xc000006d\","
                    + "\"SubStatus\":\"0xc000006a\",\"LogonType\":2,\"WorkstationName\":\"WORKSTATION5\",\"IpAddress\":\"-\","
                    + "\"IpPort\":\"-\",\"ProcessId\":\"0x1d84\","
                    + "\"ProcessName\":\"C:\\\\Users\\\\pgustavo\\\\Downloads\\\\PurpleSharp.exe\",\"EvilKey\":\"x\"}");

    private static final String TIME = "\"TimeCreated\":{\"#attributes\":{\"SystemTime\":\"2024-03-01T10:00:00.1234567Z\"}}";

    private SecurityEvent decodeOk(String json) {
        return WindowsEventDecoderTest.decodeOk(decoder, json);
    }

    private String decodeError(String json) {
        DecodeResult r = decoder.decode(RawRecord.of(json.getBytes(UTF_8), Origin.file("test.json", 3), Formats.WINDOWS));
        assertThat(r.ok()).as("should fail: %s", r).isFalse();
        return r.error();
    }

    @Test
    void theSameEventMapsAsWinlogbeatShipsIt() {
        SecurityEvent evtx = decodeOk(EVTX_4625);
        SecurityEvent wb = decodeOk(WindowsEventDecoderTest.WINLOGBEAT_4625);
        assertThat(ecsView(evtx)).isEqualTo(ecsView(wb));
        Map<String, String> evtxFields = new TreeMap<>(evtx.fields());
        Map<String, String> wbFields = new TreeMap<>(wb.fields());
        // Keywords differ in form only (evtx_dump writes the mask in hex, Winlogbeat the names);
        // only evtx_dump carries the level.
        assertThat(evtxFields.remove("winlog.keywords")).isEqualTo("0x8010000000000000");
        assertThat(wbFields.remove("winlog.keywords")).isEqualTo("Audit Failure");
        assertThat(evtxFields.remove("winlog.level")).isEqualTo("0");
        assertThat(evtxFields).isEqualTo(wbFields);
        assertThat(evtx.eventOutcome()).isEqualTo("failure");
        assertThat(evtx.userName()).isEqualTo("lrodriguez");
        assertThat(evtx.eventSequence()).isEqualTo(248357L);
        assertThat(evtx.fields()).doesNotContainKey("winlog.event_data.EvilKey");
    }

    /** The ECS components of an event, without the record text and where it came from. */
    private static String ecsView(SecurityEvent e) {
        return e.toBuilder().eventOriginal(null).message(null).build().toString()
                .replaceAll("fields=\\{[^}]*}", "");
    }

    @Test
    void eventIdWithQualifiersAndTimeTo100Nanoseconds() {
        SecurityEvent e = decodeOk(evtx("\"Provider\":{\"#attributes\":{\"Name\":\"Service Control Manager\","
                + "\"Guid\":\"{555908d1-a6d7-4695-8e1e-26931d2012f4}\",\"EventSourceName\":\"Service Control Manager\"}},"
                + "\"EventID\":{\"#attributes\":{\"Qualifiers\":16384},\"#text\":7045},\"Level\":4," + TIME + ","
                + "\"EventRecordID\":77,\"Channel\":\"System\",\"Computer\":\"WS1\","
                + "\"Security\":{\"#attributes\":{\"UserID\":\"S-1-5-21-1-2-3-500\"}}",
                "\"EventData\":{\"ServiceName\":\"PSEXESVC\",\"ImagePath\":\"%SystemRoot%\\\\PSEXESVC.exe\","
                        + "\"ServiceType\":\"user mode service\",\"StartType\":\"demand start\",\"AccountName\":\"LocalSystem\"}"));
        assertThat(e.eventCode()).isEqualTo("7045");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2024-03-01T10:00:00.123456700Z"));
        assertThat(e.eventAction()).isEqualTo("service-installed");
        assertThat(e.eventProvider()).isEqualTo("Service Control Manager");
        assertThat(e.field("service.name")).isEqualTo("PSEXESVC");
        assertThat(e.field("winlog.user.identifier")).isEqualTo("S-1-5-21-1-2-3-500");
        assertThat(e.field("winlog.record_id")).isEqualTo("77");
        assertThat(e.field("winlog.event_data.ImagePath")).isEqualTo("%SystemRoot%\\PSEXESVC.exe");
        assertThat(e.hostName()).isEqualTo("WS1");
    }

    private static final String APP_SYSTEM = "\"Provider\":{\"#attributes\":{\"Name\":\"Application Error\"}},"
            + "\"EventID\":1000,\"Level\":2," + TIME + ",\"EventRecordID\":5,\"Channel\":\"Application\",\"Computer\":\"WS1\"";

    @Test
    void unnamedDataValuesAreJoinedUnderData() {
        assertThat(decodeOk(evtx(APP_SYSTEM, "\"EventData\":{\"Data\":{\"#text\":[\"MsMpEng.exe\",\"4.18.1\",1234,null]},"
                + "\"#attributes\":{\"Name\":\"x\"}}")).field("winlog.event_data.Data"))
                .isEqualTo("MsMpEng.exe, 4.18.1, 1234");
        assertThat(decodeOk(evtx(APP_SYSTEM, "\"EventData\":{\"Data\":{\"#text\":\"only one\"}}"))
                .field("winlog.event_data.Data")).isEqualTo("only one");
        assertThat(decodeOk(evtx(APP_SYSTEM, "\"EventData\":{\"Data\":\"bare\"}")).field("winlog.event_data.Data"))
                .isEqualTo("bare");
        assertThat(decodeOk(evtx(APP_SYSTEM, "\"EventData\":{\"Data\":[{\"#text\":\"a\"},\"b\",{\"#attributes\":{}}]}"))
                .field("winlog.event_data.Data")).isEqualTo("a, b");
    }

    @Test
    void nullEventDataGivesAnEventWithoutEventDataFields() {
        SecurityEvent e = decodeOk(evtx(APP_SYSTEM, "\"EventData\":null"));
        assertThat(e.eventCode()).isEqualTo("1000");
        assertThat(e.field("winlog.level")).isEqualTo("2");
        assertThat(e.fields().keySet()).noneMatch(k -> k.startsWith("winlog.event_data."));
    }

    @Test
    void valuesKeepTheTextWindowsRendersAndOnlyAllowListedNamesAreKept() {
        SecurityEvent e = decodeOk(evtx(APP_SYSTEM.replace("\"Channel\":\"Application\"",
                "\"Channel\":\"Microsoft-Windows-Sysmon/Operational\"").replace("1000", "1"),
                "\"EventData\":{\"ProcessId\":7680,\"Signed\":true,\"Hashes\":null,\"GrantedAccess\":\"0x1FFFFF\","
                        + "\"TerminalSessionId\":1.5,\"Image\":{\"#attributes\":{\"a\":1},\"#text\":\"C:\\\\x.exe\"},"
                        + "\"CommandLine\":{\"nested\":{\"deeper\":\"x\"}},\"Evil Key\":\"x\",\"winlog\":\"y\"}"));
        assertThat(e.field("winlog.event_data.ProcessId")).isEqualTo("7680");
        assertThat(e.field("winlog.event_data.Signed")).isEqualTo("true");
        assertThat(e.field("winlog.event_data.Hashes")).isNull();
        assertThat(e.field("winlog.event_data.GrantedAccess")).isEqualTo("0x1FFFFF");
        assertThat(e.field("winlog.event_data.TerminalSessionId")).isEqualTo("1.5");
        assertThat(e.field("winlog.event_data.Image")).isEqualTo("C:\\x.exe");
        assertThat(e.field("winlog.event_data.CommandLine")).as("an element without text").isNull();
        assertThat(e.processPid()).isEqualTo(7680L);
        assertThat(e.fields().keySet()).allMatch(k -> !k.contains("Evil") && !k.endsWith(".winlog"));
    }

    @Test
    void userDataChildrenAreTheFields() {
        SecurityEvent e = decodeOk(evtx("\"Provider\":{\"#attributes\":{\"Name\":\"Microsoft-Windows-Eventlog\"}},"
                + "\"EventID\":1102,\"Level\":4," + TIME + ",\"EventRecordID\":9,\"Channel\":\"Security\",\"Computer\":\"DC1\"",
                "\"UserData\":{\"LogFileCleared\":{\"#attributes\":{\"xmlns\":\"http://manifests.microsoft.com/win/2004/08/windows/eventlog\"},"
                        + "\"SubjectUserSid\":\"S-1-5-21-1-2-3-1104\",\"SubjectUserName\":\"pgustavo\","
                        + "\"SubjectDomainName\":\"THESHIRE\",\"SubjectLogonId\":\"0x3e7\"}}"));
        assertThat(e.userName()).isEqualTo("pgustavo");
        assertThat(e.userDomain()).isEqualTo("THESHIRE");
        assertThat(e.field("winlog.event_data.SubjectLogonId")).isEqualTo("0x3e7");
    }

    @Test
    void fieldsOfOtherProvidersThatSigmaRulesReadAreKept() {
        SecurityEvent ps = decodeOk(evtx("\"Provider\":{\"#attributes\":{\"Name\":\"Microsoft-Windows-PowerShell\"}},"
                + "\"EventID\":4104,\"Level\":5," + TIME + ",\"EventRecordID\":3,"
                + "\"Channel\":\"Microsoft-Windows-PowerShell/Operational\",\"Computer\":\"WS1\"",
                "\"EventData\":{\"MessageNumber\":1,\"MessageTotal\":1,\"ScriptBlockText\":\"IEX (New-Object Net.WebClient)\","
                        + "\"ScriptBlockId\":\"0f6b\",\"Path\":\"C:\\\\t\\\\a.ps1\"}"));
        assertThat(ps.field("winlog.event_data.ScriptBlockText")).isEqualTo("IEX (New-Object Net.WebClient)");
        assertThat(ps.field("winlog.event_data.Path")).isEqualTo("C:\\t\\a.ps1");
        assertThat(ps.field("winlog.level")).isEqualTo("5");

        // Defender names its fields with spaces; Sigma rules read them without
        SecurityEvent defender = decodeOk(evtx("\"Provider\":{\"#attributes\":{\"Name\":\"Microsoft-Windows-Windows Defender\"}},"
                + "\"EventID\":1116,\"Level\":3," + TIME + ",\"EventRecordID\":4,"
                + "\"Channel\":\"Microsoft-Windows-Windows Defender/Operational\",\"Computer\":\"WS1\"",
                "\"EventData\":{\"Source Name\":\"AMSI\",\"Process Name\":\"C:\\\\w\\\\powershell.exe\","
                        + "\"Feature Name\":\"Tamper Protection\",\"Threat Name\":\"x\"}"));
        assertThat(defender.field("winlog.event_data.SourceName")).isEqualTo("AMSI");
        assertThat(defender.field("winlog.event_data.ProcessName")).isEqualTo("C:\\w\\powershell.exe");
        assertThat(defender.field("winlog.event_data.Feature_Name")).isEqualTo("Tamper Protection");
        assertThat(defender.fields().keySet()).noneMatch(k -> k.contains("Threat"));
    }

    /** evtx_dump --separate-json-attributes, as Chainsaw and Hayabusa read EVTX: the same event. */
    @Test
    void separateAttributesGiveTheSameEvent() {
        String separate = EVTX_4625
                .replace("\"Provider\":{\"#attributes\":{", "\"Provider\":null,\"Provider_attributes\":{")
                .replace("\"Guid\":\"54849625-5478-4994-A5BA-3E3B0328C30D\"}}", "\"Guid\":\"54849625-5478-4994-A5BA-3E3B0328C30D\"}")
                .replace("\"TimeCreated\":{\"#attributes\":{\"SystemTime\":\"2020-10-22T08:29:55.210000Z\"}}",
                        "\"TimeCreated_attributes\":{\"SystemTime\":\"2020-10-22T08:29:55.210000Z\"},\"TimeCreated\":\"\"")
                .replace("\"EventID\":4625", "\"EventID_attributes\":{\"Qualifiers\":0},\"EventID\":4625")
                .replace("\"Security\":null", "\"Security_attributes\":{\"UserID\":\"S-1-5-18\"},\"Security\":\"\"");
        assertThat(separate).contains("Provider_attributes", "TimeCreated_attributes", "Security_attributes");
        SecurityEvent e = decodeOk(separate);
        SecurityEvent attributes = decodeOk(EVTX_4625);
        assertThat(ecsView(e)).isEqualTo(ecsView(attributes));
        Map<String, String> fields = new TreeMap<>(e.fields());
        assertThat(fields.remove("winlog.user.identifier")).isEqualTo("S-1-5-18");
        assertThat(fields).isEqualTo(attributes.fields());
        assertThat(e.eventProvider()).isEqualTo("Microsoft-Windows-Security-Auditing");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2020-10-22T08:29:55.210Z"));
    }

    @Test
    void malformedDocumentsAreRefusedWithAReason() {
        assertThat(decodeError("{\"Event\":{\"EventData\":{\"Image\":\"x\"}}}"))
                .isEqualTo("evtx_dump document without an Event.System object");
        assertThat(decodeError("{\"Event\":\"not an element\"}"))
                .isEqualTo("evtx_dump document without an Event.System object");
        assertThat(decodeError("{\"Event\":{\"System\":[1,2]}}"))
                .isEqualTo("evtx_dump document without an Event.System object");
        assertThat(decodeError(evtx("\"Channel\":\"Security\"," + TIME, ""))).isEqualTo("no Event.System.EventID");
        assertThat(decodeError(evtx("\"EventID\":{\"#attributes\":{\"Qualifiers\":0}}," + TIME, "")))
                .isEqualTo("no Event.System.EventID");
        assertThat(decodeError(evtx("\"EventID\":{\"#text\":\"abc\"}," + TIME, "")))
                .isEqualTo("EventID is not an event id: 'abc'");
        assertThat(decodeError(evtx("\"EventID\":4624,\"Channel\":\"Security\"", ""))).isEqualTo("no event time (Event.System.TimeCreated.SystemTime)");
        assertThat(decodeError(evtx("\"EventID\":4624,\"TimeCreated\":{\"#attributes\":{\"SystemTime\":\"yesterday\"}}", "")))
                .isEqualTo("no readable event time (Event.System.TimeCreated.SystemTime)");
        assertThat(decodeError(EVTX_4625.substring(0, 200))).startsWith("invalid JSON");
    }

    @Test
    void aBrokenDocumentInAFileIsOneDeadLetterAfterTheGoodOnes() throws IOException {
        String pretty = EVTX_4625.replace(",", ",\n  ") + "\n" + EVTX_4625.replace(",", ",\n  ") + "\n{\n \"Event\": {\"System\": oops\n}\n";
        List<String> outcomes = new ArrayList<>();
        try (RecordFramer framer = Framers.open(new ByteArrayInputStream(pretty.getBytes(UTF_8)), "three.json", null,
                Instant.EPOCH, 1 << 20)) {
            RawRecord r;
            while ((r = framer.next()) != null) {
                DecodeResult d = decoder.decode(r);
                outcomes.add(r.origin().offset() + " " + r.format() + " " + (d.ok() ? "event " + d.events().get(0).eventCode()
                        : "dead letter: " + d.error()));
            }
        }
        assertThat(outcomes).hasSize(3);
        assertThat(outcomes.get(0)).isEqualTo("1 windows event 4625");
        assertThat(outcomes.get(1)).isEqualTo("2 windows event 4625");
        assertThat(outcomes.get(2)).startsWith("3 windows dead letter: invalid JSON");
    }
}
