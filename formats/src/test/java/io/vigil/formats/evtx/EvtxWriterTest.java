package io.vigil.formats.evtx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * The layout of the files {@link EvtxWriter} writes, checked byte by byte against the format's
 * description without {@link EvtxReader}: headers, both CRC32s recomputed, records and their binary
 * XML walked token by token (every element's data size must land on its end), templates and names
 * defined once per chunk and referenced afterwards.
 */
class EvtxWriterTest {

    private static final Instant T0 = Instant.parse("2024-03-01T10:15:30.1234567Z");
    private static final UUID SECURITY = UUID.fromString("54849625-5478-4994-a5ba-3e3b0328c30d");

    private static EvtxEvent logon(long recordId, String user) {
        return EvtxEvent.builder()
                .provider("Microsoft-Windows-Security-Auditing", SECURITY)
                .eventId(4624).version(2).task(12544).keywords(0x8020000000000000L)
                .timeCreated(T0.plusSeconds(recordId)).recordId(recordId).execution(636, 4120)
                .channel("Security").computer("DC01.corp.example")
                .data("TargetUserName", EvtxTypedValue.wstring(user))
                .data("LogonType", EvtxTypedValue.uint32(3))
                .build();
    }

    private static EvtxEvent processCreate(long recordId) {
        return EvtxEvent.builder()
                .provider("Microsoft-Windows-Security-Auditing", SECURITY)
                .eventId(4688).version(2).task(13312).keywords(0x8020000000000000L)
                .timeCreated(T0.plusSeconds(recordId)).recordId(recordId).execution(4, 88)
                .channel("Security").computer("DC01.corp.example")
                .data("NewProcessName", EvtxTypedValue.wstring("C:\\Windows\\System32\\cmd.exe"))
                .data("NewProcessId", EvtxTypedValue.hexInt64(0x1a2c))
                .build();
    }

    @Test
    void fileHeaderHasSignatureVersionCountsFlagsAndItsCrc() {
        byte[] file = EvtxWriter.toBytes(List.of(logon(7, "alice"), logon(8, "bob")), new EvtxWriter.Options(true, false));

        ByteBuffer h = le(file);
        assertThat(Arrays.copyOf(file, 8)).isEqualTo("ElfFile\0".getBytes(StandardCharsets.US_ASCII));
        assertThat(file).hasSize(4096 + 65536);
        assertThat(h.getLong(8)).as("first chunk").isZero();
        assertThat(h.getLong(16)).as("last chunk").isZero();
        assertThat(h.getLong(24)).as("next record id").isEqualTo(9);
        assertThat(h.getInt(32)).isEqualTo(128);
        assertThat(h.getShort(36)).as("minor").isEqualTo((short) 1);
        assertThat(h.getShort(38)).as("major").isEqualTo((short) 3);
        assertThat(h.getShort(40)).as("header block").isEqualTo((short) 4096);
        assertThat(h.getShort(42)).as("chunks").isEqualTo((short) 1);
        assertThat(h.getInt(120)).as("flags: dirty").isEqualTo(1);
        assertThat(h.getInt(124)).isEqualTo(crc(file, 0, 120));
        assertThat(Arrays.copyOfRange(file, 128, 4096)).containsOnly(0);

        byte[] full = EvtxWriter.toBytes(List.of(logon(7, "alice")), new EvtxWriter.Options(false, true));
        assertThat(le(full).getInt(120)).as("flags: full").isEqualTo(2);
        assertThat(le(full).getInt(124)).isEqualTo(crc(full, 0, 120));
    }

    @Test
    void chunkHeaderNamesItsRecordsAndCarriesBothCrcs() {
        byte[] file = EvtxWriter.toBytes(List.of(logon(7, "alice"), logon(8, "bob"), processCreate(9)));

        List<Chunk> chunks = chunks(file);
        assertThat(chunks).hasSize(1);
        Chunk c = chunks.get(0);
        ByteBuffer h = le(c.bytes);
        assertThat(Arrays.copyOf(c.bytes, 8)).isEqualTo("ElfChnk\0".getBytes(StandardCharsets.US_ASCII));
        assertThat(h.getLong(8)).as("first record number").isEqualTo(7);
        assertThat(h.getLong(16)).as("last record number").isEqualTo(9);
        assertThat(h.getLong(24)).as("first record id").isEqualTo(7);
        assertThat(h.getLong(32)).as("last record id").isEqualTo(9);
        assertThat(h.getInt(40)).isEqualTo(128);
        List<Rec> records = c.records();
        assertThat(records).extracting(r -> r.id).containsExactly(7L, 8L, 9L);
        assertThat(records.get(0).offset).isEqualTo(512);
        assertThat(h.getInt(44)).as("last record offset").isEqualTo(records.get(2).offset);
        int free = h.getInt(48);
        assertThat(free).as("free space").isEqualTo(records.get(2).offset + records.get(2).size);
        assertThat(h.getInt(52)).as("records CRC32").isEqualTo(crc(c.bytes, 512, free));
        CRC32 header = new CRC32();
        header.update(c.bytes, 0, 120);
        header.update(c.bytes, 128, 384);
        assertThat(h.getInt(124)).as("header CRC32").isEqualTo((int) header.getValue());
        assertThat(Arrays.copyOfRange(c.bytes, free, 65536)).as("after the records").containsOnly(0);
    }

    @Test
    void recordsHaveSignatureSizeAndItsCopyIdAndWrittenTime() {
        Instant written = Instant.parse("2024-03-01T10:15:31.0000001Z");
        EvtxEvent e = EvtxEvent.builder().provider("P", null).eventId(1).timeCreated(T0).written(written)
                .recordId(42).channel("C").computer("H").build();
        Rec r = chunks(EvtxWriter.toBytes(List.of(e))).get(0).records().get(0);

        ByteBuffer b = le(r.chunk);
        assertThat(Arrays.copyOfRange(r.chunk, r.offset, r.offset + 4)).isEqualTo(new byte[] {'*', '*', 0, 0});
        assertThat(b.getInt(r.offset + r.size - 4)).as("size copy").isEqualTo(r.size);
        assertThat(b.getLong(r.offset + 8)).isEqualTo(42);
        assertThat(b.getLong(r.offset + 16)).as("written FILETIME")
                .isEqualTo((written.getEpochSecond() + 11_644_473_600L) * 10_000_000L + 1);
    }

    @Test
    void templateIsDefinedOncePerChunkThenReferencedAndNamesAreShared() {
        byte[] file = EvtxWriter.toBytes(List.of(logon(1, "alice"), logon(2, "bob"), processCreate(3), processCreate(4)));
        List<Rec> records = chunks(file).get(0).records();

        TemplateRef first = records.get(0).template();
        TemplateRef second = records.get(1).template();
        assertThat(first.inline).isTrue();
        assertThat(second.inline).as("same shape: referenced").isFalse();
        assertThat(second.definitionOffset).isEqualTo(first.definitionOffset);
        assertThat(second.id).isEqualTo(first.id);
        assertThat(records.get(1).size).as("no definition: shorter").isLessThan(records.get(0).size / 2);

        TemplateRef other = records.get(2).template();
        assertThat(other.inline).as("new shape: its own definition").isTrue();
        assertThat(other.id).isNotEqualTo(first.id);
        assertThat(records.get(3).template().inline).isFalse();
        assertThat(records.get(3).template().definitionOffset).isEqualTo(other.definitionOffset);

        // names: inline in the chunk's first template, referenced by the second one
        assertThat(contains(first.definition, utf16("EventRecordID"))).isTrue();
        assertThat(contains(other.definition, utf16("EventRecordID"))).as("name already in the chunk").isFalse();
        assertThat(contains(other.definition, utf16("NewProcessName"))).as("names are names, values text").isTrue();
        assertThat(first.definition[first.definition.length - 1]).as("definition ends with end of stream").isZero();
    }

    @Test
    void everyElementSizeAndSubstitutionIsConsistent() {
        EvtxEvent e = EvtxEvent.builder()
                .provider("Microsoft-Windows-Sysmon", UUID.fromString("5770385f-c22a-43e0-bf4c-06f5698ffbd9"))
                .eventId(1).qualifiers(16384).version(5).level(4).task(1).opcode(0).keywords(0x8000000000000000L)
                .timeCreated(T0).recordId(5).activityId(UUID.fromString("00000000-0000-0000-0000-000000000001"))
                .execution(2345, 3456).channel("Microsoft-Windows-Sysmon/Operational").computer("WS1")
                .userId("S-1-5-18")
                .data("Image", EvtxTypedValue.wstring("C:\\Windows\\notepad.exe"))
                .data("Missing", EvtxTypedValue.absent(EvtxTypedValue.Type.UINT32))
                .data("Tags", EvtxTypedValue.array(EvtxTypedValue.Type.WSTRING,
                        List.of(EvtxTypedValue.wstring("a"), EvtxTypedValue.wstring("bc"))))
                .build();
        Rec r = chunks(EvtxWriter.toBytes(List.of(e))).get(0).records().get(0);
        TemplateRef t = r.template();

        BinXmlWalk walk = new BinXmlWalk(r.chunk, t.definitionDataStart);
        walk.fragment();
        assertThat(walk.elementNames).startsWith("Event", "System", "Provider", "EventID");
        assertThat(walk.elementNames).contains("EventData", "Data", "Channel", "Computer", "Security");
        assertThat(walk.pos).as("definition data size").isEqualTo(t.definitionDataStart + t.definitionDataSize);
        // System's substitutions numbered as in Windows' own templates (the SigmaHQ samples' files)
        assertThat(walk.substitutionOf).containsAllEntriesOf(java.util.Map.ofEntries(java.util.Map.entry("Level", 0),
                java.util.Map.entry("Opcode", 1), java.util.Map.entry("Task", 2), java.util.Map.entry("Qualifiers", 4),
                java.util.Map.entry("Keywords", 5), java.util.Map.entry("SystemTime", 6),
                java.util.Map.entry("ActivityID", 7), java.util.Map.entry("ProcessID", 8),
                java.util.Map.entry("ThreadID", 9), java.util.Map.entry("EventRecordID", 10),
                java.util.Map.entry("Version", 11), java.util.Map.entry("UserID", 12),
                java.util.Map.entry("RelatedActivityID", 13)));

        // the substitution array: one descriptor per value, sizes adding up to the record's end
        ByteBuffer b = le(r.chunk);
        int at = walk.pos;
        int count = b.getInt(at);
        assertThat(count).isEqualTo(14 + 3).isEqualTo(walk.maxSubstitution + 1);
        int valuesStart = at + 4 + 4 * count;
        int total = 0;
        for (int i = 0; i < count; i++) {
            total += Short.toUnsignedInt(b.getShort(at + 4 + 4 * i));
        }
        assertThat(r.chunk[at + 4 + 4 * 15 + 2]).as("absent value: NULL type").isEqualTo((byte) 0);
        assertThat(b.getShort(at + 4 + 4 * 15)).as("absent value: no bytes").isZero();
        assertThat(r.chunk[at + 4 + 4 * 16 + 2] & 0xFF).as("string array type").isEqualTo(0x81);
        assertThat(b.getShort(at + 4 + 4 * 16)).as("'a\\0bc\\0' in UTF-16").isEqualTo((short) 10);
        assertThat(r.chunk[valuesStart + total]).as("end of stream after the values").isZero();
        int slack = r.offset + r.size - (valuesStart + total + 1 + 4);
        assertThat(slack).as("padding to a multiple of 8, as Windows' records").isBetween(0, 7);
        assertThat(r.size % 8).isZero();
    }

    @Test
    void recordsSpillIntoNewChunksEachDefiningItsTemplatesAgain() {
        List<EvtxEvent> events = new ArrayList<>();
        for (int i = 1; i <= 600; i++) {
            events.add(i % 3 == 0 ? processCreate(i) : logon(i, "user-" + i + "-" + "x".repeat(i % 50)));
        }
        byte[] file = EvtxWriter.toBytes(events);

        List<Chunk> chunks = chunks(file);
        assertThat(chunks.size()).isGreaterThan(1);
        assertThat(le(file).getShort(42)).isEqualTo((short) chunks.size());
        assertThat(le(file).getLong(16)).isEqualTo(chunks.size() - 1);
        assertThat(le(file).getLong(24)).as("next record id").isEqualTo(601);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            List<Rec> records = c.records();
            assertThat(records.get(0).template().inline).as("a chunk's first record defines its template").isTrue();
            long inline = records.stream().filter(r -> r.template().inline).count();
            assertThat(inline).as("one definition per shape per chunk").isEqualTo(2);
            ByteBuffer h = le(c.bytes);
            assertThat(h.getLong(24)).isEqualTo(records.get(0).id);
            assertThat(h.getLong(32)).isEqualTo(records.get(records.size() - 1).id);
            assertThat(h.getInt(52)).isEqualTo(crc(c.bytes, 512, h.getInt(48)));
            int next = records.get(records.size() - 1).offset + records.get(records.size() - 1).size;
            // libevtx does not see a record ending in the last 4 bytes of its chunk
            assertThat(next).as("the last 4 bytes stay free").isLessThanOrEqualTo(65532);
            if (i < chunks.size() - 1) {
                int nextSize = chunks.get(i + 1).records().get(0).size;
                assertThat(65532 - next).as("the next record did not fit").isLessThan(nextSize);
            }
            records.forEach(r -> ids.add(r.id));
            assertThat(records).allSatisfy(r -> assertThat(r.size % 8).as("record size").isZero());
        }
        assertThat(ids).hasSize(600).isSorted().doesNotHaveDuplicates();
    }

    private static EvtxEvent padded(long recordId, int pad) {
        return EvtxEvent.builder().provider("P", null).eventId(1).timeCreated(T0).recordId(recordId)
                .channel("C").computer("H").data("Pad", EvtxTypedValue.binary(new byte[pad])).build();
    }

    @Test
    void aRecordThatWouldEndTheChunkExactlyGoesToTheNextOne() {
        int first = chunks(EvtxWriter.toBytes(List.of(padded(1, 1000)))).get(0).records().get(0).size;
        int other = chunks(EvtxWriter.toBytes(List.of(padded(1, 1000), padded(2, 1000)))).get(0).records().get(1).size;
        List<EvtxEvent> events = new ArrayList<>(List.of(padded(1, 1000)));
        int end = 512 + first;
        long id = 2;
        while (end + 2 * other <= 65536) {
            events.add(padded(id++, 1000));
            end += other;
        }
        events.add(padded(id, 65536 - end - (other - 1000))); // would end at exactly 65,536

        List<Chunk> chunks = chunks(EvtxWriter.toBytes(events));
        // libevtx (evtxexport 20181227) does not see a record ending in the last 4 bytes of its chunk
        assertThat(le(chunks.get(0).bytes).getInt(48)).isLessThanOrEqualTo(65532);
        assertThat(chunks).hasSize(2);
        assertThat(chunks.get(1).records()).extracting(r -> r.id).containsExactly(id);
    }

    @Test
    void streamWriteEqualsTheArrayAndNoEventsMakeAnEmptyLog() throws Exception {
        List<EvtxEvent> events = List.of(logon(1, "alice"), processCreate(2));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EvtxWriter.write(events, out);
        assertThat(out.toByteArray()).isEqualTo(EvtxWriter.toBytes(events));

        byte[] empty = EvtxWriter.toBytes(List.of());
        assertThat(empty).hasSize(4096);
        assertThat(le(empty).getShort(42)).isZero();
        assertThat(le(empty).getLong(24)).isEqualTo(1);
    }

    @Test
    void eventsThatDifferBetweenTheTwoPassesAreRefused() {
        // the header is laid out from a first pass: a source that changes would make a wrong file
        Iterable<EvtxEvent> growing = new Iterable<>() {
            private int passes;

            @Override
            public java.util.Iterator<EvtxEvent> iterator() {
                int n = ++passes == 1 ? 2 : 300;
                List<EvtxEvent> events = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    events.add(logon(i, "user" + i));
                }
                return events.iterator();
            }
        };
        assertThatThrownBy(() -> EvtxWriter.toBytes(growing)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("differed between the two passes");
        Iterable<EvtxEvent> once = java.util.stream.Stream.of(logon(1, "a"), logon(2, "b"))::iterator;
        assertThatThrownBy(() -> EvtxWriter.write(once, new ByteArrayOutputStream()))
                .isInstanceOf(IllegalStateException.class);
        Iterable<EvtxEvent> fewer = new Iterable<>() {
            private int passes;

            @Override
            public java.util.Iterator<EvtxEvent> iterator() {
                return (++passes == 1 ? List.of(logon(1, "a"), logon(2, "b")) : List.of(logon(1, "a"))).iterator();
            }
        };
        assertThatThrownBy(() -> EvtxWriter.write(fewer, new ByteArrayOutputStream()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("differed between the two passes");
    }

    @Test
    void anEventLargerThanAChunkIsRefused() {
        EvtxEvent huge = EvtxEvent.builder().provider("P", null).eventId(1).timeCreated(T0).recordId(1)
                .channel("C").computer("H")
                .data("A", EvtxTypedValue.binary(new byte[40_000]))
                .data("B", EvtxTypedValue.binary(new byte[40_000]))
                .build();
        assertThatThrownBy(() -> EvtxWriter.toBytes(List.of(huge))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not fit");
    }

    @Test
    void valuesHaveWindowsByteLayouts() {
        assertThat(EvtxTypedValue.sid("S-1-5-21-1004336348-1177238915-682003330-512").bytes()).isEqualTo(new byte[] {
            1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, (byte) 0xdc, (byte) 0xf4, (byte) 0xdc, 0x3b, (byte) 0x83, 0x3d, 0x2b, 0x46,
            (byte) 0x82, (byte) 0x8b, (byte) 0xa6, 0x28, 0, 2, 0, 0});
        assertThat(EvtxTypedValue.guid(UUID.fromString("54849625-5478-4994-a5ba-3e3b0328c30d")).bytes())
                .isEqualTo(new byte[] {0x25, (byte) 0x96, (byte) 0x84, 0x54, 0x78, 0x54, (byte) 0x94, 0x49,
                    (byte) 0xa5, (byte) 0xba, 0x3e, 0x3b, 0x03, 0x28, (byte) 0xc3, 0x0d});
        // 2024-03-01 is a Friday (5); 10:15:30.123
        ByteBuffer st = le(EvtxTypedValue.systemTime(T0).bytes());
        short[] fields = new short[8];
        st.asShortBuffer().get(fields);
        assertThat(fields).containsExactly((short) 2024, (short) 3, (short) 5, (short) 1, (short) 10, (short) 15, (short) 30,
                (short) 123);
        assertThat(le(EvtxTypedValue.fileTime(T0).bytes()).getLong(0)).as("FILETIME keeps the 100 ns tick")
                .isEqualTo((T0.getEpochSecond() + 11_644_473_600L) * 10_000_000L + 1_234_567);
        assertThat(EvtxTypedValue.array(EvtxTypedValue.Type.UINT16,
                List.of(EvtxTypedValue.uint16(1), EvtxTypedValue.uint16(0x0203))).bytes()).containsExactly(1, 0, 3, 2);
    }

    // --- an independent walk of the layout ---

    private record Chunk(byte[] bytes) {
        List<Rec> records() {
            ByteBuffer h = le(bytes);
            int free = h.getInt(48);
            List<Rec> records = new ArrayList<>();
            int at = 512;
            while (at < free) {
                int size = h.getInt(at + 4);
                assertThat(size).isGreaterThan(28);
                records.add(new Rec(bytes, at, size, h.getLong(at + 8)));
                at += size;
            }
            assertThat(at).as("records end at the free space offset").isEqualTo(free);
            return records;
        }
    }

    private record Rec(byte[] chunk, int offset, int size, long id) {
        TemplateRef template() {
            int at = offset + 24;
            assertThat(Arrays.copyOfRange(chunk, at, at + 4)).as("fragment header").isEqualTo(new byte[] {0x0f, 1, 1, 0});
            assertThat(chunk[at + 4]).as("template instance token").isEqualTo((byte) 0x0c);
            ByteBuffer b = le(chunk);
            int id = b.getInt(at + 6);
            int definition = b.getInt(at + 10);
            boolean inline = definition == at + 14;
            if (!inline) {
                assertThat(definition).as("a reference points back into the chunk").isLessThan(offset);
            }
            int dataSize = b.getInt(definition + 20);
            byte[] data = Arrays.copyOfRange(chunk, definition + 24, definition + 24 + dataSize);
            assertThat(b.getInt(definition + 4)).as("template GUID's Data1 is the id").isEqualTo(id);
            return new TemplateRef(id, definition, inline, data, definition + 24, dataSize);
        }
    }

    private record TemplateRef(int id, int definitionOffset, boolean inline, byte[] definition, int definitionDataStart,
            int definitionDataSize) {}

    /** Walks binary XML as written here: fragment header, one element tree, end of stream. */
    private static final class BinXmlWalk {
        final byte[] chunk;
        final ByteBuffer b;
        int pos;
        final List<String> elementNames = new ArrayList<>();
        final java.util.Map<String, Integer> substitutionOf = new java.util.LinkedHashMap<>();
        String lastName;
        int maxSubstitution = -1;

        BinXmlWalk(byte[] chunk, int pos) {
            this.chunk = chunk;
            this.b = le(chunk);
            this.pos = pos;
        }

        void fragment() {
            assertThat(Arrays.copyOfRange(chunk, pos, pos + 4)).isEqualTo(new byte[] {0x0f, 1, 1, 0});
            pos += 4;
            element();
            assertThat(chunk[pos++]).as("end of stream").isZero();
        }

        void element() {
            int token = chunk[pos] & 0xFF;
            assertThat(token & 0xBF).as("open start element at %d", pos).isEqualTo(0x01);
            assertThat(b.getShort(pos + 1)).as("no dependency").isEqualTo((short) -1);
            int dataSize = b.getInt(pos + 3);
            int dataStart = pos + 7;
            pos = dataStart;
            elementNames.add(name());
            if ((token & 0x40) != 0) {
                int listSize = b.getInt(pos);
                int listStart = pos + 4;
                pos = listStart;
                boolean more = true;
                while (more) {
                    int attr = chunk[pos++] & 0xFF;
                    assertThat(attr & 0xBF).as("attribute").isEqualTo(0x06);
                    more = (attr & 0x40) != 0;
                    name();
                    valueOrSubstitution();
                }
                assertThat(pos - listStart).as("attribute list size").isEqualTo(listSize);
            }
            int close = chunk[pos++];
            if (close == 0x02) {
                while (chunk[pos] != 0x04) {
                    if ((chunk[pos] & 0xBF) == 0x01) {
                        element();
                    } else {
                        valueOrSubstitution();
                    }
                }
                pos++;
            } else {
                assertThat(close).as("close empty element").isEqualTo(0x03);
            }
            assertThat(pos - dataStart).as("data size of %s", elementNames.get(elementNames.size() - 1)).isEqualTo(dataSize);
        }

        void valueOrSubstitution() {
            int token = chunk[pos] & 0xFF;
            if (token == 0x05) {
                assertThat(chunk[pos + 1]).as("string value").isEqualTo((byte) 1);
                pos += 4 + 2 * Short.toUnsignedInt(b.getShort(pos + 2));
            } else {
                assertThat(token).as("substitution at %d", pos).isIn(0x0d, 0x0e);
                int index = Short.toUnsignedInt(b.getShort(pos + 1));
                maxSubstitution = Math.max(maxSubstitution, index);
                substitutionOf.putIfAbsent(lastName, index);
                pos += 4;
            }
        }

        String name() {
            int offset = b.getInt(pos);
            pos += 4;
            if (offset == pos) {
                pos += 8 + 2 * Short.toUnsignedInt(b.getShort(pos + 6)) + 2;
            } else {
                assertThat(offset).as("a name referenced is earlier in the chunk").isLessThan(pos);
            }
            int chars = Short.toUnsignedInt(b.getShort(offset + 6));
            String name = new String(chunk, offset + 8, 2 * chars, StandardCharsets.UTF_16LE);
            assertThat(Short.toUnsignedInt(b.getShort(offset + 4))).as("hash of %s", name).isEqualTo(hash(name));
            assertThat(b.getShort(offset + 8 + 2 * chars)).as("terminator").isZero();
            lastName = name;
            return name;
        }
    }

    private static List<Chunk> chunks(byte[] file) {
        assertThat((file.length - 4096) % 65536).isZero();
        List<Chunk> chunks = new ArrayList<>();
        for (int at = 4096; at < file.length; at += 65536) {
            chunks.add(new Chunk(Arrays.copyOfRange(file, at, at + 65536)));
        }
        return chunks;
    }

    private static int hash(String name) {
        int h = 0;
        for (char c : name.toCharArray()) {
            h = h * 65599 + c;
        }
        return h & 0xFFFF;
    }

    private static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int crc(byte[] bytes, int from, int to) {
        CRC32 crc = new CRC32();
        crc.update(bytes, from, to - from);
        return (int) crc.getValue();
    }

    private static byte[] utf16(String s) {
        return s.getBytes(StandardCharsets.UTF_16LE);
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
