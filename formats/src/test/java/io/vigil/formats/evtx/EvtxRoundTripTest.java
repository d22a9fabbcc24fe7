package io.vigil.formats.evtx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.formats.DecodeResult;
import io.vigil.formats.DecoderOptions;
import io.vigil.formats.DecoderRegistry;
import io.vigil.formats.Formats;
import io.vigil.formats.evtx.EvtxTypedValue.Type;
import io.vigil.formats.input.Framers;
import io.vigil.formats.input.RecordFramer;
import io.vigil.model.EcsJson;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Events with every value type and every array type written by {@link EvtxWriter}, read back by
 * {@link EvtxReader} and decoded by {@link io.vigil.formats.EvtxDecoder}: each value rendered as
 * evtx_dump renders it (numbers as JSON numbers, HexInt as lower-case {@code 0x…}, GUIDs upper-case
 * without braces, SIDs, FILETIME and SYSTEMTIME as ISO UTC with 7 fractional digits, Binary as
 * upper-case hex, arrays as JSON arrays, an absent optional value as null), and the event's time
 * the written 100 ns tick. The expected JSON is written here by hand from those rules.
 */
class EvtxRoundTripTest {

    private static final Instant T0 = Instant.parse("2024-03-01T10:15:30.1234567Z");
    private static final UUID SYSMON = UUID.fromString("5770385f-c22a-43e0-bf4c-06f5698ffbd9");
    private static final UUID GUID = UUID.fromString("54849625-5478-4994-a5ba-3e3b0328c30d");

    private static EvtxEvent.Builder system(long recordId, Instant time) {
        return EvtxEvent.builder().provider("Microsoft-Windows-Sysmon", SYSMON).eventId(1).qualifiers(16384)
                .version(5).level(4).task(1).opcode(0).keywords(0x8000000000000000L).timeCreated(time)
                .recordId(recordId).activityId(UUID.fromString("12345678-9abc-def0-1234-56789abcdef0"))
                .execution(2345, 3456).channel("Microsoft-Windows-Sysmon/Operational").computer("WS1.corp.example")
                .userId("S-1-5-21-1004336348-1177238915-682003330-512");
    }

    /** One value of every type, then an array of every type but Binary, then an absent value. */
    private static EvtxEvent everyType(long recordId, Instant time) {
        return system(recordId, time)
                .data("WString", EvtxTypedValue.wstring("C:\\Windows\\notepad.exe \"<&>\" é ✓ 𝄞"))
                .data("AnsiString", EvtxTypedValue.ansiString("ansi café"))
                .data("Int8", EvtxTypedValue.int8((byte) -128))
                .data("UInt8", EvtxTypedValue.uint8(255))
                .data("Int16", EvtxTypedValue.int16((short) -300))
                .data("UInt16", EvtxTypedValue.uint16(65535))
                .data("Int32", EvtxTypedValue.int32(Integer.MIN_VALUE))
                .data("UInt32", EvtxTypedValue.uint32(4_294_967_295L))
                .data("Int64", EvtxTypedValue.int64(Long.MIN_VALUE))
                .data("UInt64", EvtxTypedValue.uint64(-1L))
                .data("Real32", EvtxTypedValue.real32(0.1f))
                .data("Real64", EvtxTypedValue.real64(-2.5e-300))
                .data("Bool", EvtxTypedValue.bool(true))
                .data("BoolFalse", EvtxTypedValue.bool(false))
                .data("Binary", EvtxTypedValue.binary(new byte[] {0x0a, (byte) 0xbc, 0x01, (byte) 0xff}))
                .data("Guid", EvtxTypedValue.guid(GUID))
                .data("SizeT", EvtxTypedValue.sizeT(0x7ff6_1234_abcdL))
                .data("FileTime", EvtxTypedValue.fileTime(Instant.parse("2023-12-31T23:59:59.9999999Z")))
                .data("SystemTime", EvtxTypedValue.systemTime(Instant.parse("2024-02-29T01:02:03.456Z")))
                .data("Sid", EvtxTypedValue.sid("S-1-5-18"))
                .data("HexInt32", EvtxTypedValue.hexInt32(0xBEEF))
                .data("HexInt64", EvtxTypedValue.hexInt64(0xFFFF_FFFF_FFFF_FFFFL))
                .data("WStrings", array(Type.WSTRING, EvtxTypedValue.wstring("a"), EvtxTypedValue.wstring(""),
                        EvtxTypedValue.wstring("bc")))
                .data("AnsiStrings", array(Type.ANSI_STRING, EvtxTypedValue.ansiString("x"), EvtxTypedValue.ansiString("yz")))
                .data("Int8s", array(Type.INT8, EvtxTypedValue.int8((byte) -1), EvtxTypedValue.int8((byte) 2)))
                .data("UInt8s", array(Type.UINT8, EvtxTypedValue.uint8(0), EvtxTypedValue.uint8(200)))
                .data("Int16s", array(Type.INT16, EvtxTypedValue.int16((short) -2), EvtxTypedValue.int16((short) 3)))
                .data("UInt16s", array(Type.UINT16, EvtxTypedValue.uint16(1), EvtxTypedValue.uint16(40000)))
                .data("Int32s", array(Type.INT32, EvtxTypedValue.int32(-3), EvtxTypedValue.int32(4)))
                .data("UInt32s", array(Type.UINT32, EvtxTypedValue.uint32(5), EvtxTypedValue.uint32(3_000_000_000L)))
                .data("Int64s", array(Type.INT64, EvtxTypedValue.int64(-6), EvtxTypedValue.int64(7)))
                .data("UInt64s", array(Type.UINT64, EvtxTypedValue.uint64(8), EvtxTypedValue.uint64(-2L)))
                .data("Real32s", array(Type.REAL32, EvtxTypedValue.real32(1.5f), EvtxTypedValue.real32(-0.25f)))
                .data("Real64s", array(Type.REAL64, EvtxTypedValue.real64(2.5), EvtxTypedValue.real64(1e10)))
                .data("Bools", array(Type.BOOL, EvtxTypedValue.bool(false), EvtxTypedValue.bool(true)))
                .data("Guids", array(Type.GUID, EvtxTypedValue.guid(GUID),
                        EvtxTypedValue.guid(UUID.fromString("00000000-0000-0000-0000-000000000001"))))
                .data("SizeTs", array(Type.SIZE_T, EvtxTypedValue.sizeT(1), EvtxTypedValue.sizeT(0xff)))
                .data("FileTimes", array(Type.FILETIME, EvtxTypedValue.fileTime(T0),
                        EvtxTypedValue.fileTime(Instant.parse("1601-01-01T00:00:00Z"))))
                .data("SystemTimes", array(Type.SYSTEMTIME, EvtxTypedValue.systemTime(T0)))
                .data("Sids", array(Type.SID, EvtxTypedValue.sid("S-1-5-32-544"), EvtxTypedValue.sid("S-1-1-0")))
                .data("HexInt32s", array(Type.HEX_INT32, EvtxTypedValue.hexInt32(0), EvtxTypedValue.hexInt32(-1)))
                .data("HexInt64s", array(Type.HEX_INT64, EvtxTypedValue.hexInt64(0x10), EvtxTypedValue.hexInt64(0x3e7)))
                .data("Absent", EvtxTypedValue.absent(Type.UINT32))
                .build();
    }

    private static EvtxTypedValue array(Type type, EvtxTypedValue... items) {
        return EvtxTypedValue.array(type, List.of(items));
    }

    private static final String EVERY_TYPE_EVENT_DATA = """
            {"WString": "C:\\\\Windows\\\\notepad.exe \\"<&>\\" é ✓ 𝄞",
             "AnsiString": "ansi café",
             "Int8": -128, "UInt8": 255, "Int16": -300, "UInt16": 65535,
             "Int32": -2147483648, "UInt32": 4294967295,
             "Int64": -9223372036854775808, "UInt64": 18446744073709551615,
             "Real32": 0.1, "Real64": -2.5e-300,
             "Bool": true, "BoolFalse": false,
             "Binary": "0ABC01FF",
             "Guid": "54849625-5478-4994-A5BA-3E3B0328C30D",
             "SizeT": "0x7ff61234abcd",
             "FileTime": "2023-12-31T23:59:59.9999999Z",
             "SystemTime": "2024-02-29T01:02:03.4560000Z",
             "Sid": "S-1-5-18",
             "HexInt32": "0xbeef", "HexInt64": "0xffffffffffffffff",
             "WStrings": ["a", "", "bc"],
             "AnsiStrings": ["x", "yz"],
             "Int8s": [-1, 2], "UInt8s": [0, 200], "Int16s": [-2, 3], "UInt16s": [1, 40000],
             "Int32s": [-3, 4], "UInt32s": [5, 3000000000], "Int64s": [-6, 7], "UInt64s": [8, 18446744073709551614],
             "Real32s": [1.5, -0.25], "Real64s": [2.5, 1e10],
             "Bools": [false, true],
             "Guids": ["54849625-5478-4994-A5BA-3E3B0328C30D", "00000000-0000-0000-0000-000000000001"],
             "SizeTs": ["0x1", "0xff"],
             "FileTimes": ["2024-03-01T10:15:30.1234567Z", "1601-01-01T00:00:00.0000000Z"],
             "SystemTimes": ["2024-03-01T10:15:30.1230000Z"],
             "Sids": ["S-1-5-32-544", "S-1-1-0"],
             "HexInt32s": ["0x0", "0xffffffff"], "HexInt64s": ["0x10", "0x3e7"],
             "Absent": null}
            """;

    private static final String SYSTEM = """
            {"Provider": {"#attributes": {"Name": "Microsoft-Windows-Sysmon",
                                          "Guid": "{5770385F-C22A-43E0-BF4C-06F5698FFBD9}"}},
             "EventID": {"#attributes": {"Qualifiers": 16384}, "#text": 1},
             "Version": 5, "Level": 4, "Task": 1, "Opcode": 0, "Keywords": "0x8000000000000000",
             "TimeCreated": {"#attributes": {"SystemTime": "%s"}},
             "EventRecordID": %d,
             "Correlation": {"#attributes": {"ActivityID": "12345678-9ABC-DEF0-1234-56789ABCDEF0"}},
             "Execution": {"#attributes": {"ProcessID": 2345, "ThreadID": 3456}},
             "Channel": "Microsoft-Windows-Sysmon/Operational",
             "Computer": "WS1.corp.example",
             "Security": {"#attributes": {"UserID": "S-1-5-21-1004336348-1177238915-682003330-512"}}}
            """;

    private static List<EvtxReader.Item> read(byte[] file) throws IOException {
        List<EvtxReader.Item> items = new ArrayList<>();
        try (EvtxReader reader = new EvtxReader(new ByteArrayInputStream(file))) {
            EvtxReader.Item item;
            while ((item = reader.next()) != null) {
                items.add(item);
            }
        }
        return items;
    }

    private static JsonNode json(EvtxReader.Item item) throws IOException {
        assertThat(item.damage()).as("record %d", item.recordId()).isNull();
        return EcsJson.MAPPER.readTree(item.bytes());
    }

    private static JsonNode tree(String json) throws IOException {
        return EcsJson.MAPPER.readTree(json);
    }

    @Test
    void everyValueTypeAndArrayIsRenderedAsEvtxDumpDoes() throws IOException {
        List<EvtxReader.Item> items = read(EvtxWriter.toBytes(List.of(everyType(7, T0))));

        assertThat(items).hasSize(1);
        EvtxReader.Item item = items.get(0);
        assertThat(item.recordId()).isEqualTo(7);
        assertThat(item.offset()).as("first record of the first chunk").isEqualTo(4096 + 512);
        JsonNode event = json(item).path("Event");
        assertThat(event.path("#attributes")).isEqualTo(
                tree("{\"xmlns\": \"http://schemas.microsoft.com/win/2004/08/events/event\"}"));
        assertThat(event.path("System")).isEqualTo(tree(SYSTEM.formatted("2024-03-01T10:15:30.1234567Z", 7)));
        JsonNode data = event.path("EventData");
        JsonNode expected = tree(EVERY_TYPE_EVENT_DATA);
        List<String> names = new ArrayList<>();
        data.fieldNames().forEachRemaining(names::add);
        List<String> expectedNames = new ArrayList<>();
        expected.fieldNames().forEachRemaining(expectedNames::add);
        assertThat(names).as("EventData names in written order").isEqualTo(expectedNames);
        expected.fields().forEachRemaining(e -> assertThat(data.path(e.getKey())).as(e.getKey()).isEqualTo(e.getValue()));
    }

    @Test
    void userDataAndAbsentSystemValuesAreRendered() throws IOException {
        EvtxEvent cleared = EvtxEvent.builder().provider("Microsoft-Windows-Eventlog", null).eventId(1102).level(4)
                .task(104).keywords(0x4020000000000000L).timeCreated(T0).recordId(3).execution(1052, 1096)
                .channel("Security").computer("DC01")
                .userData(new EvtxEvent.UserData("LogFileCleared",
                        "http://manifests.microsoft.com/win/2004/08/windows/eventlog",
                        List.of(new EvtxEvent.Data("SubjectUserSid", EvtxTypedValue.sid("S-1-5-21-1-2-3-500")),
                                new EvtxEvent.Data("SubjectUserName", EvtxTypedValue.wstring("admin")),
                                new EvtxEvent.Data("SubjectLogonId", EvtxTypedValue.hexInt64(0x3e7)))))
                .build();

        JsonNode event = json(read(EvtxWriter.toBytes(List.of(cleared))).get(0)).path("Event");

        assertThat(event.at("/System/EventID")).as("no Qualifiers: the number alone").isEqualTo(tree("1102"));
        assertThat(event.at("/System/Provider")).isEqualTo(
                tree("{\"#attributes\": {\"Name\": \"Microsoft-Windows-Eventlog\"}}"));
        assertThat(event.at("/System/Correlation").isNull()).as("no activity id").isTrue();
        assertThat(event.at("/System/Security").isNull()).as("no user id").isTrue();
        assertThat(event.at("/System/Keywords").asText()).isEqualTo("0x4020000000000000");
        assertThat(event.path("UserData")).isEqualTo(tree("""
                {"LogFileCleared": {
                   "#attributes": {"xmlns": "http://manifests.microsoft.com/win/2004/08/windows/eventlog"},
                   "SubjectUserSid": "S-1-5-21-1-2-3-500", "SubjectUserName": "admin", "SubjectLogonId": "0x3e7"}}
                """));
        assertThat(event.has("EventData")).isFalse();
    }

    @Test
    void manyChunksReadBackRecordByRecordWithTheirTicksAndDecode() throws IOException {
        List<EvtxEvent> events = new ArrayList<>();
        for (int i = 1; i <= 400; i++) {
            Instant time = T0.plusSeconds(i).plusNanos(100L * i); // a different 100 ns tick each
            events.add(i % 2 == 0 ? everyType(i, time) : system(i, time)
                    .data("Image", EvtxTypedValue.wstring("C:\\Temp\\tool" + i + ".exe"))
                    .data("ProcessId", EvtxTypedValue.uint32(4L * i))
                    .data("LogonId", EvtxTypedValue.hexInt64(0x3e7 + i))
                    .data("LogonGuid", EvtxTypedValue.guid(GUID))
                    .data("SubjectUserSid", EvtxTypedValue.sid("S-1-5-21-1-2-3-" + i))
                    .data("KeyLength", EvtxTypedValue.uint32(128))
                    .data("Hashes", EvtxTypedValue.absent(Type.WSTRING))
                    .build());
        }
        byte[] file = EvtxWriter.toBytes(events);
        assertThat(file.length).as("several chunks").isGreaterThan(4096 + 3 * 65536);

        DecoderRegistry decoders = new DecoderRegistry(DecoderOptions.defaults());
        List<RawRecord> records = new ArrayList<>();
        try (RecordFramer framer = Framers.open(new ByteArrayInputStream(file), "written.evtx", null, Instant.EPOCH,
                DecoderOptions.defaults().maxRecordBytes())) {
            RawRecord r;
            while ((r = framer.next()) != null) {
                records.add(r);
            }
        }
        assertThat(records).hasSize(400);
        for (int i = 0; i < 400; i++) {
            EvtxEvent written = events.get(i);
            RawRecord r = records.get(i);
            assertThat(r.format()).isEqualTo(Formats.EVTX);
            assertThat(r.header()).as("record %d damage", written.recordId()).isNull();
            JsonNode event = EcsJson.MAPPER.readTree(r.bytes()).path("Event");
            String tick = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSS'Z'")
                    .withZone(java.time.ZoneOffset.UTC).format(written.timeCreated());
            assertThat(event.path("System")).isEqualTo(tree(SYSTEM.formatted(tick, written.recordId())));
            if (written.recordId() % 2 == 0) {
                assertThat(event.path("EventData")).isEqualTo(tree(EVERY_TYPE_EVENT_DATA));
            } else {
                assertThat(event.path("EventData")).isEqualTo(tree("{\"Image\": \"C:\\\\Temp\\\\tool" + written.recordId()
                        + ".exe\", \"ProcessId\": " + 4 * written.recordId() + ", \"LogonId\": \"0x"
                        + Long.toHexString(0x3e7 + written.recordId()) + "\", \"LogonGuid\": "
                        + "\"54849625-5478-4994-A5BA-3E3B0328C30D\", \"SubjectUserSid\": \"S-1-5-21-1-2-3-"
                        + written.recordId() + "\", \"KeyLength\": 128, \"Hashes\": null}"));
            }

            DecodeResult decoded = decoders.decode(r);
            assertThat(decoded.ok()).as("record %d decodes", written.recordId()).isTrue();
            SecurityEvent e = decoded.events().get(0);
            assertThat(e.timestamp()).as("the written 100 ns tick").isEqualTo(written.timeCreated());
            assertThat(e.field("winlog.record_id")).isEqualTo(Long.toString(written.recordId()));
            assertThat(e.field("winlog.computer_name")).isEqualTo("WS1.corp.example");
            assertThat(e.eventCode()).isEqualTo("1");
            if (written.recordId() % 2 == 1) {
                // names outside the decoder's allow-list are not kept: these are Sysmon's and Security's own
                assertThat(e.processExecutable()).isEqualTo("C:\\Temp\\tool" + written.recordId() + ".exe");
                assertThat(e.processPid()).isEqualTo(4L * written.recordId());
                assertThat(e.field("winlog.event_data.LogonId")).isEqualTo("0x" + Long.toHexString(0x3e7 + written.recordId()));
                assertThat(e.field("winlog.event_data.LogonGuid")).isEqualTo("54849625-5478-4994-A5BA-3E3B0328C30D");
                assertThat(e.field("winlog.event_data.SubjectUserSid")).isEqualTo("S-1-5-21-1-2-3-" + written.recordId());
                assertThat(e.field("winlog.event_data.KeyLength")).isEqualTo("128");
                assertThat(e.field("winlog.event_data.Hashes")).as("absent").isNull();
            }
        }
        assertThat(new String(records.get(0).bytes(), StandardCharsets.UTF_8)).startsWith("{\"Event\":");
    }
}
