package io.vigil.formats.input;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.formats.Formats;
import io.vigil.model.RawRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineFramerTest {

    private static final Instant REF = Instant.parse("2024-12-31T00:00:00Z");

    private static List<RawRecord> frame(byte[] input, String format, int max) throws IOException {
        List<RawRecord> out = new ArrayList<>();
        try (RecordFramer framer = new LineFramer(new ByteArrayInputStream(input), "f.log", format, REF, max)) {
            RawRecord r;
            while ((r = framer.next()) != null) {
                out.add(r);
            }
        }
        return out;
    }

    private static String text(RawRecord r) {
        return new String(r.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void crlfEndingsAndAMissingFinalNewline() throws IOException {
        List<RawRecord> records = frame("a\r\nb\r\nc".getBytes(StandardCharsets.UTF_8), Formats.SYSLOG, 1024);
        assertThat(records).extracting(LineFramerTest::text).containsExactly("a", "b", "c");
        assertThat(records).extracting(r -> r.origin().offset()).containsExactly(1L, 2L, 3L);
        assertThat(records).allMatch(r -> !r.truncated() && r.referenceTime().equals(REF));
    }

    @Test
    void blankLinesAreSkippedButKeepLineNumbers() throws IOException {
        try (RecordFramer framer = new LineFramer(
                new ByteArrayInputStream("a\n\n  \nb\n".getBytes(StandardCharsets.UTF_8)), "f", Formats.SYSLOG, REF, 1024)) {
            assertThat(framer.next().origin().offset()).isEqualTo(1);
            assertThat(framer.next().origin().offset()).isEqualTo(4);
            assertThat(framer.next()).isNull();
            assertThat(framer.skipped()).isEqualTo(2);
            assertThat(framer.bytesRead()).isEqualTo(8);
        }
    }

    @Test
    void aTenMegabyteLineIsCutToTheLimitWithItsFullLengthKept() throws IOException {
        int big = 10 * 1024 * 1024;
        // a stream that produces the line without ever holding it: the framer must not either
        InputStream in = new InputStream() {
            long served;
            final byte[] tail = "\nnext line\n".getBytes(StandardCharsets.UTF_8);

            @Override
            public int read() {
                if (served < big) {
                    served++;
                    return 'x';
                }
                int i = (int) (served++ - big);
                return i < tail.length ? tail[i] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (served >= big + tail.length) {
                    return -1;
                }
                int n = 0;
                while (n < len && served < big + tail.length) {
                    b[off + n++] = (byte) read();
                }
                return n;
            }
        };
        List<RawRecord> records = new ArrayList<>();
        try (RecordFramer framer = new LineFramer(in, "big.log", Formats.SYSLOG, REF, 64 * 1024)) {
            RawRecord r;
            while ((r = framer.next()) != null) {
                records.add(r);
            }
        }
        assertThat(records).hasSize(2);
        assertThat(records.get(0).truncated()).isTrue();
        assertThat(records.get(0).truncatedFrom()).isEqualTo(big);
        assertThat(records.get(0).bytes()).hasSize(64 * 1024);
        assertThat(text(records.get(1))).isEqualTo("next line");
        assertThat(records.get(1).origin().offset()).isEqualTo(2);
    }

    @Test
    void zeekHeaderLinesAreContextNotRecordsAndANewBlockReplacesTheOld() throws IOException {
        String log = "#separator \\x09\n#path\tconn\n#fields\tts\tuid\n#types\ttime\tstring\n"
                + "1.0\tC1\n2.0\tC2\n#close\t2023\n"
                + "#separator \\x09\n#path\tdns\n#fields\tts\tquery\n3.0\texample.org\n";
        List<RawRecord> records = frame(log.getBytes(StandardCharsets.UTF_8), Formats.ZEEK, 1024);
        assertThat(records).extracting(LineFramerTest::text).containsExactly("1.0\tC1", "2.0\tC2", "3.0\texample.org");
        assertThat(records.get(0).header()).contains("#path\tconn").contains("#fields\tts\tuid").doesNotContain("dns");
        assertThat(records.get(1).header()).isEqualTo(records.get(0).header());
        assertThat(records.get(2).header()).contains("#path\tdns").doesNotContain("conn").doesNotContain("#close");
        assertThat(records.get(2).origin().offset()).isEqualTo(11);
    }

    @Test
    void aZeekFileNamedAfterItsLogGivesThatPathToRowsBeforeAnyHeader() throws IOException {
        byte[] json = "{\"ts\":1.5,\"uid\":\"C1\"}\n{\"ts\":2.5,\"uid\":\"C2\"}\n".getBytes(StandardCharsets.UTF_8);
        for (String name : new String[] {"conn.log", "logs/2025-08-20/conn.15:00:00-16:00:00.log.gz", "C:\\zeek\\conn.log"}) {
            try (RecordFramer framer = new LineFramer(new ByteArrayInputStream(json), name, Formats.ZEEK, REF, 1024)) {
                assertThat(framer.next().header()).as(name).isEqualTo("#path\tconn");
                assertThat(framer.next().header()).as(name).isEqualTo("#path\tconn");
            }
        }
        for (String name : new String[] {"-", "weird name.log", ".hidden", "a/b/"}) {
            try (RecordFramer framer = new LineFramer(new ByteArrayInputStream(json), name, Formats.ZEEK, REF, 1024)) {
                assertThat(framer.next().header()).as(name).isNull();
            }
        }
        // a TSV header block replaces the name's path entirely
        byte[] tsv = "#separator \\x09\n#fields\tts\tuid\n1.0\tC1\n".getBytes(StandardCharsets.UTF_8);
        try (RecordFramer framer = new LineFramer(new ByteArrayInputStream(tsv), "conn.log", Formats.ZEEK, REF, 1024)) {
            assertThat(framer.next().header()).isEqualTo("#separator \\x09\n#fields\tts\tuid");
        }
        // other formats get no header
        try (RecordFramer framer = new LineFramer(new ByteArrayInputStream(json), "conn.log", Formats.ECS, REF, 1024)) {
            assertThat(framer.next().header()).isNull();
        }
    }

    @Test
    void nonUtf8BytesArePassedThroughUntouched() throws IOException {
        byte[] input = {'a', (byte) 0xff, (byte) 0xfe, 'b', '\n'};
        List<RawRecord> records = frame(input, Formats.SYSLOG, 1024);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).bytes()).containsExactly('a', (byte) 0xff, (byte) 0xfe, 'b');
    }
}
