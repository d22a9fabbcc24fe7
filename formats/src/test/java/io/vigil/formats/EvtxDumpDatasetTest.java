package io.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.vigil.formats.input.Framers;
import io.vigil.formats.input.RecordFramer;
import io.vigil.formats.windows.EventDataNames;
import io.vigil.model.EcsJson;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The evtx_dump JSON samples of SigmaHQ's regression data, read as {@code vigil replay} reads a
 * file: format detected, documents framed, each decoded. Expected values come from the samples
 * themselves, parsed independently with Jackson's tree model.
 */
class EvtxDumpDatasetTest {

    static final String DIR = "sigmahq-rules/regression_data";

    /** Read by hand from its first document (Sysmon 11, procdump64.exe dropped by explorer.exe). */
    static final String HAND_CHECKED = DIR + "/rules/windows/file/file_event/file_event_win_cred_dump_tools_dropped_files/"
            + "8fbf3271-1ef6-4e94-8210-03c2317947f6.json";

    static List<Path> samples() throws IOException {
        try (Stream<Path> files = Files.walk(Datasets.root().resolve(DIR))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** The documents of a file, counted by Jackson reading top-level values one after another. */
    static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = EcsJson.MAPPER.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                docs.add(it.next());
            }
        }
        return docs;
    }

    /** Frames and decodes a file as replay does: format detected, not given. */
    static List<DecodeResult> replay(Path file) throws IOException {
        WindowsEventDecoder decoder = new WindowsEventDecoder(DecoderOptions.defaults());
        List<DecodeResult> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file);
                RecordFramer framer = Framers.open(in, file.getFileName().toString(), null, Instant.EPOCH, 1 << 20)) {
            RawRecord r;
            while ((r = framer.next()) != null) {
                assertThat(r.format()).as("detected format of %s", file).isEqualTo(Formats.WINDOWS);
                assertThat(r.truncated()).isFalse();
                out.add(decoder.decode(r));
            }
        }
        return out;
    }

    @Test
    void everySampleDocumentDecodesToOneEventWithItsSystemAndEventDataValues() throws IOException {
        List<Path> files = samples();
        assertThat(files).hasSize(82);
        int documents = 0;
        int values = 0;
        for (Path file : files) {
            List<JsonNode> docs = documents(file);
            List<DecodeResult> results = replay(file);
            assertThat(results).as("records of %s", file).hasSize(docs.size());
            for (int i = 0; i < docs.size(); i++) {
                DecodeResult r = results.get(i);
                assertThat(r.ok()).as("%s #%d: %s", file, i + 1, r.error()).isTrue();
                SecurityEvent e = r.events().get(0);
                JsonNode system = docs.get(i).path("Event").path("System");
                String where = file.getFileName() + " #" + (i + 1);
                assertThat(e.field("winlog.event_id")).as(where).isEqualTo(system.path("EventID").asText());
                assertThat(e.field("winlog.record_id")).as(where).isEqualTo(system.path("EventRecordID").asText());
                assertThat(e.field("winlog.channel")).as(where).isEqualTo(system.path("Channel").asText());
                assertThat(e.field("winlog.computer_name")).as(where).isEqualTo(system.path("Computer").asText());
                assertThat(e.timestamp()).as(where).isEqualTo(
                        Instant.parse(system.path("TimeCreated").path("#attributes").path("SystemTime").asText()));
                values += assertDataValues(where, e, docs.get(i).path("Event"));
            }
            documents += docs.size();
        }
        assertThat(documents).isEqualTo(94); // sigmahq-rules: 82 samples, 94 events (python json.raw_decode count)
        assertThat(values).isGreaterThan(1_500);
    }

    /** Every allow-listed EventData/UserData value is on the event with its text; returns how many. */
    private static int assertDataValues(String where, SecurityEvent e, JsonNode event) {
        JsonNode data = event.path("EventData");
        if (!data.isObject()) {
            Iterator<JsonNode> user = event.path("UserData").elements();
            data = user.hasNext() ? user.next() : data;
        }
        int n = 0;
        for (Map.Entry<String, JsonNode> f : data.properties()) {
            if (EventDataNames.ALLOWED.contains(f.getKey()) && f.getValue().isValueNode() && !f.getValue().isNull()) {
                assertThat(e.field("winlog.event_data." + f.getKey())).as("%s %s", where, f.getKey())
                        .isEqualTo(f.getValue().asText());
                n++;
            }
        }
        return n;
    }

    /**
     * evtx_dump's default {@code -o json} prints {@code Record <id>} before each document (the
     * samples were written without): every sample in that form gives the same events.
     */
    @Test
    void theDefaultOutputWithRecordLinesGivesTheSameEvents() throws IOException {
        int events = 0;
        for (Path file : samples()) {
            String text = Files.readString(file);
            StringBuilder withRecordLines = new StringBuilder();
            int n = 0;
            for (String line : text.split("\n", -1)) {
                if (line.equals("{")) {
                    withRecordLines.append("Record ").append(++n).append('\n');
                }
                withRecordLines.append(line).append('\n');
            }
            assertThat(n).as("documents of %s", file).isEqualTo(documents(file).size());
            List<String> expected = new ArrayList<>();
            for (DecodeResult r : replay(file)) {
                expected.add(EcsJson.write(r.events().get(0)));
            }
            List<String> actual = new ArrayList<>();
            WindowsEventDecoder decoder = new WindowsEventDecoder(DecoderOptions.defaults());
            try (InputStream in = new java.io.ByteArrayInputStream(withRecordLines.toString().getBytes(
                    java.nio.charset.StandardCharsets.UTF_8));
                    RecordFramer framer = Framers.open(in, file.getFileName().toString(), null, Instant.EPOCH, 1 << 20)) {
                RawRecord r;
                while ((r = framer.next()) != null) {
                    assertThat(r.format()).isEqualTo(Formats.WINDOWS);
                    DecodeResult d = decoder.decode(r);
                    assertThat(d.ok()).as("%s: %s", file, d.error()).isTrue();
                    actual.add(EcsJson.write(d.events().get(0)));
                }
            }
            assertThat(actual).as("events of %s with Record lines", file).isEqualTo(expected);
            events += actual.size();
        }
        assertThat(events).isEqualTo(94);
    }

    @Test
    void theHandCheckedSysmonEventMapsFieldByField() throws IOException {
        DecodeResult r = replay(Datasets.file(HAND_CHECKED)).get(0);
        assertThat(r.ok()).as("%s", r).isTrue();
        SecurityEvent e = r.events().get(0);

        assertThat(e.timestamp()).isEqualTo(Instant.parse("2025-10-24T23:43:34.136421Z"));
        assertThat(e.eventSequence()).isEqualTo(26359L);
        assertThat(e.eventCode()).isEqualTo("11");
        assertThat(e.eventProvider()).isEqualTo("Microsoft-Windows-Sysmon");
        assertThat(e.eventModule()).isEqualTo("sysmon");
        assertThat(e.hostName()).isEqualTo("ar-win-dc.attackrange.local");
        assertThat(e.userName()).isEqualTo("Administrator");
        assertThat(e.userDomain()).isEqualTo("ATTACKRANGE");
        assertThat(e.userId()).isEqualTo("S-1-5-18");
        assertThat(e.processExecutable()).isEqualTo("C:\\Windows\\explorer.exe");
        assertThat(e.processName()).isEqualTo("explorer.exe");
        assertThat(e.processPid()).isEqualTo(7680L);

        Map<String, String> expected = new TreeMap<>();
        expected.put("winlog.channel", "Microsoft-Windows-Sysmon/Operational");
        expected.put("winlog.event_id", "11");
        expected.put("winlog.provider_name", "Microsoft-Windows-Sysmon");
        expected.put("winlog.computer_name", "ar-win-dc.attackrange.local");
        expected.put("winlog.record_id", "26359");
        expected.put("winlog.keywords", "0x8000000000000000");
        expected.put("winlog.level", "4");
        expected.put("winlog.user.identifier", "S-1-5-18");
        expected.put("file.path", "C:\\Users\\Administrator\\Downloads\\procdump64.exe");
        expected.put("winlog.event_data.RuleName", "-");
        expected.put("winlog.event_data.UtcTime", "2025-10-24 23:43:34.134");
        expected.put("winlog.event_data.ProcessGuid", "5AA13A44-D070-68FB-1A18-000000004002");
        expected.put("winlog.event_data.ProcessId", "7680");
        expected.put("winlog.event_data.Image", "C:\\Windows\\explorer.exe");
        expected.put("winlog.event_data.TargetFilename", "C:\\Users\\Administrator\\Downloads\\procdump64.exe");
        expected.put("winlog.event_data.CreationUtcTime", "2025-10-24 23:43:34.134");
        expected.put("winlog.event_data.User", "ATTACKRANGE\\Administrator");
        assertThat(new TreeMap<>(e.fields())).isEqualTo(expected);
    }

    @Test
    void userDataFieldsAreReadFromTheirElement() throws IOException {
        Path file;
        try (Stream<Path> s = samples().stream()) {
            file = s.filter(p -> p.toString().contains("win_wmi_activity_nteventlogfile_cleareventlog")).findFirst()
                    .orElseThrow();
        }
        SecurityEvent e = replay(file).get(0).events().get(0);
        assertThat(e.eventCode()).isEqualTo("5858");
        assertThat(e.field("winlog.level")).isEqualTo("2");
        assertThat(e.field("winlog.event_data.User")).isEqualTo("swachchhanda\\xodih");
        assertThat(e.field("winlog.event_data.ClientProcessId")).isEqualTo("25920");
        assertThat(e.field("winlog.event_data.Operation")).startsWith("Start IWbemServices::ExecMethod - ROOT\\CIMV2")
                .endsWith("::cleareventlog");
    }
}
