package io.vigil.formats.evtx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.formats.Datasets;
import io.vigil.formats.DecodeResult;
import io.vigil.formats.DecoderOptions;
import io.vigil.formats.DecoderRegistry;
import io.vigil.formats.input.Framers;
import io.vigil.formats.input.RecordFramer;
import io.vigil.model.DeadLetter;
import io.vigil.model.RawRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Damaged evidence: a file cut at every byte, random bytes flipped, checksums that fail, a dirty
 * header, records and chunks that run past their ends. Every good record is still read exactly as
 * from the intact file, every bad piece is one item with its offset and reason, and reading always
 * ends.
 */
class EvtxDamageTest {

    /** Six Sysmon file-creation records in one chunk, the template defined by the first and used by the others. */
    static final String SAMPLE = "sigmahq-rules/regression_data/rules/windows/file/file_event/"
            + "file_event_win_cred_dump_tools_dropped_files/8fbf3271-1ef6-4e94-8210-03c2317947f6.evtx";

    static byte[] intact;
    /** The intact file's records: offset to JSON. */
    static Map<Long, String> records;
    /** The intact file's records: offset to end offset. */
    static Map<Long, Long> ends;

    @BeforeAll
    static void readIntact() throws IOException {
        intact = Files.readAllBytes(Datasets.file(SAMPLE));
        records = new HashMap<>();
        ends = new HashMap<>();
        for (EvtxReader.Item item : read(intact, intact.length)) {
            assertThat(item.ok()).isTrue();
            records.put(item.offset(), new String(item.bytes(), java.nio.charset.StandardCharsets.UTF_8));
            ends.put(item.offset(), item.offset() + ChunkBytes.u32(intact, (int) item.offset() + 4));
        }
        assertThat(records).hasSize(6);
    }

    static List<EvtxReader.Item> read(byte[] file, int length) throws IOException {
        List<EvtxReader.Item> items = new ArrayList<>();
        try (EvtxReader reader = new EvtxReader(new ByteArrayInputStream(file, 0, length))) {
            EvtxReader.Item item;
            while ((item = reader.next()) != null) {
                items.add(item);
                assertThat(items.size()).as("items from %d bytes", length).isLessThan(100);
            }
        }
        return items;
    }

    @Test
    void aFileCutAtEveryByteGivesEveryWholeRecordAndReportsWhatIsMissing() throws IOException {
        long lastRecordEnd = ends.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        int reportedCuts = 0;
        for (int cut = 0; cut <= intact.length; cut++) {
            List<EvtxReader.Item> items = read(intact, cut);
            int whole = 0;
            for (EvtxReader.Item item : items) {
                if (item.ok()) {
                    // a record read from a cut file is the intact file's record at that offset, byte for byte
                    assertThat(new String(item.bytes(), java.nio.charset.StandardCharsets.UTF_8))
                            .as("record at %d of a file cut at %d", item.offset(), cut)
                            .isEqualTo(records.get(item.offset()));
                    whole++;
                } else {
                    assertThat(item.damage()).isNotBlank();
                    assertThat(item.offset()).isBetween(0L, (long) cut);
                    assertThat(item.bytes().length).isLessThanOrEqualTo(EvtxReader.CHUNK_BYTES);
                }
            }
            final int c = cut;
            long expectedWhole = ends.values().stream().filter(e -> e <= c).count();
            assertThat(whole).as("whole records before %d", cut).isEqualTo(expectedWhole);
            boolean lost = cut < lastRecordEnd;
            boolean damage = items.stream().anyMatch(i -> !i.ok());
            // records lost to the cut are reported; a cut in the unused end of the chunk loses nothing
            assertThat(damage).as("damage reported for a cut at %d", cut).isEqualTo(lost);
            if (damage) {
                reportedCuts++;
            }
        }
        assertThat(reportedCuts).isEqualTo((int) lastRecordEnd);
    }

    @Test
    void randomFlipsNeverStopTheReaderAndAlteredRecordsComeWithAChecksumMismatch() throws IOException {
        Random random = new Random(17);
        long lastRecordEnd = ends.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        int altered = 0;
        int letters = 0;
        for (int round = 0; round < 3000; round++) {
            byte[] file = intact.clone();
            int flips = 1 + random.nextInt(8);
            for (int f = 0; f < flips; f++) {
                // mostly where the records are, sometimes anywhere
                int at = random.nextInt(4) == 0 ? random.nextInt(file.length) : 4096 + random.nextInt((int) lastRecordEnd - 4096);
                file[at] ^= (byte) (1 + random.nextInt(255));
            }
            List<EvtxReader.Item> items = read(file, file.length);
            boolean chunkFlagged = items.stream().anyMatch(i -> !i.ok() && i.offset() == 4096);
            for (EvtxReader.Item item : items) {
                if (item.ok()) {
                    String original = records.get(item.offset());
                    if (!new String(item.bytes(), java.nio.charset.StandardCharsets.UTF_8).equals(original)) {
                        altered++;
                        assertThat(chunkFlagged).as("round %d: a record differs from the intact one, so its chunk is flagged", round)
                                .isTrue();
                    }
                } else {
                    letters++;
                }
            }
        }
        assertThat(altered).isPositive();
        assertThat(letters).isPositive();
    }

    @Test
    void anAlteredValueIsReadAndTheChunkReportsItsRecordsChecksum() throws IOException {
        byte[] file = intact.clone();
        int at = indexOfUtf16(file, "procdump64.exe");
        file[at] = 'q'; // "qrocdump64.exe"
        List<EvtxReader.Item> items = read(file, file.length);
        assertThat(items.get(0).ok()).isFalse();
        assertThat(items.get(0).offset()).isEqualTo(4096);
        assertThat(items.get(0).damage()).contains("chunk 0 records checksum mismatch");
        assertThat(items.stream().filter(EvtxReader.Item::ok)).hasSize(6);
        assertThat(new String(items.get(1).bytes(), java.nio.charset.StandardCharsets.UTF_8)).contains("qrocdump64.exe");
    }

    @Test
    void aDirtyFileIsReadWholeWithoutComplaint() throws IOException {
        byte[] file = intact.clone();
        file[120] |= 0x1; // dirty: Windows did not close the log
        fixFileHeaderChecksum(file);
        List<EvtxReader.Item> items = read(file, file.length);
        assertThat(items).hasSize(6).allMatch(EvtxReader.Item::ok);
    }

    @Test
    void inAChunkWithABadHeaderABrokenRecordLosesOnlyItself() throws IOException {
        byte[] file = intact.clone();
        long second = ends.keySet().stream().sorted().skip(1).findFirst().orElseThrow();
        file[(int) second] = 'X'; // the second record loses its signature
        file[4096 + 60] ^= 0x55; // and the chunk header its checksum (a byte of its unused area)
        List<EvtxReader.Item> items = read(file, file.length);
        assertThat(items.get(0).damage()).contains("header checksum mismatch");
        assertThat(items.stream().filter(i -> !i.ok() && i.offset() == second).findFirst().orElseThrow().damage())
                .contains("no record in sequence");
        List<EvtxReader.Item> good = items.stream().filter(EvtxReader.Item::ok).toList();
        assertThat(good).extracting(EvtxReader.Item::recordId).containsExactly(1L, 3L, 4L, 5L, 6L);
        for (EvtxReader.Item item : good) {
            assertThat(new String(item.bytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(records.get(item.offset()));
        }
    }

    @Test
    void aRecordRunningPastItsChunkIsOneItemAndTheRecordsAfterItAreStillRead() throws IOException {
        byte[] file = intact.clone();
        long second = ends.keySet().stream().sorted().skip(1).findFirst().orElseThrow();
        putU32(file, (int) second + 4, 0x20000); // a size larger than a chunk
        List<EvtxReader.Item> items = read(file, file.length);
        List<EvtxReader.Item> bad = items.stream().filter(i -> !i.ok() && i.offset() == second).toList();
        assertThat(bad).hasSize(1);
        assertThat(bad.get(0).damage()).contains("runs past its chunk");
        assertThat(items.stream().filter(EvtxReader.Item::ok)).hasSize(5);
    }

    @Test
    void aChunkWithoutSignatureIsOneItemAndTheNextChunkIsRead() throws IOException {
        byte[] chunk = Arrays.copyOfRange(intact, 4096, 4096 + EvtxReader.CHUNK_BYTES);
        byte[] file = new byte[4096 + 2 * EvtxReader.CHUNK_BYTES];
        System.arraycopy(intact, 0, file, 0, 4096);
        System.arraycopy(chunk, 0, file, 4096, chunk.length);
        System.arraycopy(chunk, 0, file, 4096 + chunk.length, chunk.length);
        file[4096] = 'X'; // the first chunk loses its signature
        List<EvtxReader.Item> items = read(file, file.length);
        assertThat(items.get(0).ok()).isFalse();
        assertThat(items.get(0).offset()).isEqualTo(4096);
        assertThat(items.get(0).damage()).contains("chunk 0 has no ElfChnk signature");
        assertThat(items.get(0).bytes()).hasSize(EvtxReader.CHUNK_BYTES);
        assertThat(items.subList(1, items.size())).hasSize(6).allMatch(EvtxReader.Item::ok)
                .allMatch(i -> i.offset() > 4096 + EvtxReader.CHUNK_BYTES);
    }

    @Test
    void aZeroedChunkTheHeaderCountsIsReported() throws IOException {
        byte[] file = new byte[4096 + 2 * EvtxReader.CHUNK_BYTES];
        System.arraycopy(intact, 0, file, 0, 4096 + EvtxReader.CHUNK_BYTES);
        putU16(file, 42, 2); // the header counts two chunks; the second is all zeros
        fixFileHeaderChecksum(file);
        List<EvtxReader.Item> items = read(file, file.length);
        assertThat(items.stream().filter(EvtxReader.Item::ok)).hasSize(6);
        assertThat(items.get(6).damage()).contains("chunk 1 is all zeros, though the file header counts 2 chunks");
        assertThat(items.get(6).offset()).isEqualTo(4096 + EvtxReader.CHUNK_BYTES);

        putU16(file, 42, 1); // counted one: the zeros are space kept for the next chunk
        fixFileHeaderChecksum(file);
        assertThat(read(file, file.length)).hasSize(6).allMatch(EvtxReader.Item::ok);
    }

    @Test
    void aTemplateThatInstantiatesItselfEndsAsABadRecord() {
        // fragment header, then a template instance whose definition (inline, at offset 14) holds a
        // fragment header and an instance of itself: a loop only the nesting limit ends
        byte[] chunk = new byte[EvtxReader.CHUNK_BYTES];
        int p = 0;
        chunk[p++] = 0x0f; chunk[p++] = 1; chunk[p++] = 1; chunk[p++] = 0;
        chunk[p++] = 0x0c; chunk[p++] = 1;
        p += 4; // template id
        putU32(chunk, p, 14); p += 4; // the definition follows
        p += 4 + 16; // next definition offset, GUID
        putU32(chunk, p, 14); p += 4; // body size
        int body = p;
        chunk[p++] = 0x0f; chunk[p++] = 1; chunk[p++] = 1; chunk[p++] = 0;
        chunk[p++] = 0x0c; chunk[p++] = 1;
        p += 4;
        putU32(chunk, p, 14); p += 4; // itself
        putU32(chunk, body + 14, 0); // (outside the body) an empty substitution array
        BinXmlParser parser = new BinXmlParser();
        parser.chunk(chunk, chunk.length);
        assertThatThrownBy(() -> parser.record(0, 200)).isInstanceOf(BinXmlParser.BadRecord.class);
    }

    @Test
    void aValueUsedThousandsOfTimesIsRefusedBeforeItFillsTheMemory() throws IOException {
        // one record: a template whose element holds substitution 0 (a 30,000-character string) 1,000
        // times: 60 MB of JSON from a 62 KB record
        byte[] chunk = Arrays.copyOfRange(intact, 4096, 4096 + EvtxReader.CHUNK_BYTES);
        Arrays.fill(chunk, 512, chunk.length, (byte) 0);
        int r = 512;
        int p = r + 24;
        chunk[p++] = 0x0f; chunk[p++] = 1; chunk[p++] = 1; chunk[p++] = 0;
        chunk[p++] = 0x0c; chunk[p++] = 1;
        p += 4;
        putU32(chunk, p, p + 4); p += 4; // the definition follows
        p += 4 + 16;
        int sizeAt = p;
        p += 4;
        int body = p;
        chunk[p++] = 0x0f; chunk[p++] = 1; chunk[p++] = 1; chunk[p++] = 0;
        chunk[p++] = 0x01; chunk[p++] = (byte) 0xff; chunk[p++] = (byte) 0xff;
        p += 4; // data size
        putU32(chunk, p, p + 4); p += 4; // the name follows
        p += 4 + 2; putU16(chunk, p, 1); p += 2; chunk[p] = 'E'; p += 2; p += 2; // name "E"
        chunk[p++] = 0x02;
        for (int i = 0; i < 1000; i++) {
            chunk[p++] = 0x0d; p += 2; chunk[p++] = 0x01; // substitution 0, a string
        }
        chunk[p++] = 0x04;
        chunk[p++] = 0x00;
        putU32(chunk, sizeAt, p - body);
        putU32(chunk, p, 1); p += 4; // one value
        putU16(chunk, p, 60_000); chunk[p + 2] = 0x01; p += 4;
        for (int i = 0; i < 30_000; i++) {
            chunk[p++] = 'A'; chunk[p++] = 0;
        }
        chunk[p++] = 0x00; // end of the record's fragment
        int size = p + 4 - r;
        chunk[r] = 0x2a; chunk[r + 1] = 0x2a;
        putU32(chunk, r + 4, size);
        putU32(chunk, r + 8, 1);
        putU32(chunk, r + size - 4, size);
        putU32(chunk, 48, r + size);
        CRC32 crc = new CRC32();
        crc.update(chunk, 512, size);
        putU32(chunk, 52, (int) crc.getValue());
        crc.reset();
        crc.update(chunk, 0, 120);
        crc.update(chunk, 128, 384);
        putU32(chunk, 124, (int) crc.getValue());
        byte[] file = new byte[4096 + chunk.length];
        System.arraycopy(intact, 0, file, 0, 4096);
        System.arraycopy(chunk, 0, file, 4096, chunk.length);
        List<EvtxReader.Item> items = read(file, file.length);
        assertThat(items).hasSize(1);
        assertThat(items.get(0).ok()).isFalse();
        assertThat(items.get(0).damage()).contains("record 1: the record renders to more than 16777216 bytes of JSON");
        assertThat(items.get(0).offset()).isEqualTo(4096 + 512);
    }

    @Test
    void aDamagedRecordBecomesADeadLetterWithFileOffsetReasonAndBytes() throws IOException {
        byte[] file = intact.clone();
        long third = ends.keySet().stream().sorted().skip(2).findFirst().orElseThrow();
        putU32(file, (int) third + 4, 0x20000);
        DecoderRegistry registry = new DecoderRegistry(DecoderOptions.defaults());
        List<DeadLetter> letters = new ArrayList<>();
        int events = 0;
        try (RecordFramer framer = Framers.open(new ByteArrayInputStream(file), "host1/Sysmon.evtx", null,
                Instant.EPOCH, DecoderOptions.DEFAULT_MAX_RECORD_BYTES)) {
            RawRecord r;
            while ((r = framer.next()) != null) {
                DecodeResult result = registry.decode(r);
                if (result.ok()) {
                    events += result.events().size();
                } else {
                    letters.add(DeadLetter.of(r, result.error()));
                }
            }
        }
        assertThat(events).isEqualTo(5);
        assertThat(letters).hasSize(2);
        // the size was changed, so the chunk's records checksum fails too: reported first, at the chunk
        assertThat(letters.get(0).origin().offset()).isEqualTo(4096);
        assertThat(letters.get(0).reason()).contains("records checksum mismatch");
        DeadLetter letter = letters.get(1);
        assertThat(letter.origin().source()).isEqualTo("host1/Sysmon.evtx");
        assertThat(letter.origin().offset()).isEqualTo(third);
        assertThat(letter.decoder()).isEqualTo("evtx");
        assertThat(letter.reason()).contains("record 3 size 131072 runs past its chunk");
        assertThat(letter.rawEncoding()).isEqualTo(DeadLetter.BASE64);
        byte[] held = java.util.Base64.getDecoder().decode(letter.raw());
        assertThat(Arrays.copyOfRange(held, 0, 4)).containsExactly(0x2a, 0x2a, 0, 0);
    }

    private static int indexOfUtf16(byte[] file, String text) {
        byte[] needle = text.getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        outer:
        for (int i = 0; i + needle.length <= file.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (file[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(text + " not in the sample");
    }

    private static void fixFileHeaderChecksum(byte[] file) {
        CRC32 crc = new CRC32();
        crc.update(file, 0, 120);
        putU32(file, 124, (int) crc.getValue());
    }

    private static void putU32(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >> 8);
        b[p + 2] = (byte) (v >> 16);
        b[p + 3] = (byte) (v >> 24);
    }

    private static void putU16(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >> 8);
    }
}
