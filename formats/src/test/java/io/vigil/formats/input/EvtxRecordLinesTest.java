package io.vigil.formats.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** evtx_dump's {@code Record <id>} lines are dropped, and nothing else. */
class EvtxRecordLinesTest {

    private static String filter(String text, int chunk) throws IOException {
        try (InputStream in = new EvtxRecordLines(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
            StringBuilder out = new StringBuilder();
            byte[] b = new byte[chunk];
            int n;
            while ((n = in.read(b, 0, chunk)) >= 0) {
                out.append(new String(b, 0, n, StandardCharsets.UTF_8));
            }
            return out.toString();
        }
    }

    @Test
    void recordLinesGoEverythingElseStays() throws IOException {
        String dump = "Record 1\n{\n  \"a\": \"Record 2\",\n  \"b\": 1\n}\nRecord 18446744073709551615\r\n{\n}\nRecord 3";
        String kept = "{\n  \"a\": \"Record 2\",\n  \"b\": 1\n}\n{\n}\n";
        for (int chunk : new int[] {1, 2, 7, 64, 8192}) {
            assertThat(filter(dump, chunk)).as("read %d bytes at a time", chunk).isEqualTo(kept);
        }
        // lines that only look like one
        String near = "Record\nRecord x\nRecord 1 \n Record 1\nRecord 123456789012345678901\nrecord 1\n";
        assertThat(filter(near, 5)).isEqualTo(near);
    }

    @Test
    void aLongLineIsCopiedWhole() throws IOException {
        String longLine = "{\"v\":\"" + "x".repeat(20_000) + "\"}\nRecord 9\n{}\n";
        assertThat(filter(longLine, 4096)).isEqualTo("{\"v\":\"" + "x".repeat(20_000) + "\"}\n{}\n");
    }

    @Test
    void onlyAHeadThatStartsWithARecordLineAndAnObjectIsEvtxDumpOutput() {
        assertThat(EvtxRecordLines.startsWithOne(bytes("Record 1\n{\n  \"Event\": {"))).isTrue();
        assertThat(EvtxRecordLines.startsWithOne(bytes("Record 7\r\n\r\n{"))).isTrue();
        assertThat(EvtxRecordLines.startsWithOne(bytes("Record 1\nhello"))).isFalse();
        assertThat(EvtxRecordLines.startsWithOne(bytes("{\"Event\":{}}\n"))).isFalse();
        assertThat(EvtxRecordLines.startsWithOne(bytes("Record one\n{"))).isFalse();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
