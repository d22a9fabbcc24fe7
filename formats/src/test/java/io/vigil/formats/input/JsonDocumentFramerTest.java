package io.vigil.formats.input;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.formats.Formats;
import io.vigil.model.RawRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonDocumentFramerTest {

    private static List<String> frame(String doc, String format) throws IOException {
        List<String> out = new ArrayList<>();
        try (RecordFramer framer = Framers.open(
                new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8)), "doc.json", format, null, 1 << 16)) {
            RawRecord r;
            while ((r = framer.next()) != null) {
                out.add(r.origin().offset() + " " + new String(r.bytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Test
    void aPrettyPrintedCloudTrailFileYieldsOneRecordPerElementWithExactIntegers() throws IOException {
        String doc = "{\n  \"Records\": [\n    {\"eventName\": \"ListBuckets\", \"n\": -9214364837600034816},\n"
                + "    {\"eventName\": \"GetObject\"}\n  ],\n  \"other\": 1\n}\n";
        assertThat(frame(doc, null)).containsExactly(
                "1 {\"eventName\":\"ListBuckets\",\"n\":-9214364837600034816}",
                "2 {\"eventName\":\"GetObject\"}");
    }

    @Test
    void aTopLevelArrayAndConsecutivePrettyObjects() throws IOException {
        assertThat(frame("[{\"EventID\":1},\n{\"EventID\":2}]", Formats.WINDOWS))
                .containsExactly("1 {\"EventID\":1}", "2 {\"EventID\":2}");
        assertThat(frame("{\n \"EventID\": 1\n}\n{\n \"EventID\": 2\n}\n", Formats.WINDOWS))
                .containsExactly("1 {\"EventID\":1}", "2 {\"EventID\":2}");
    }

    @Test
    void ndjsonStaysLineFramed() throws IOException {
        assertThat(frame("{\"EventID\":1}\n{\"EventID\":2}\n", Formats.WINDOWS))
                .containsExactly("1 {\"EventID\":1}", "2 {\"EventID\":2}");
    }

    @Test
    void aSyntaxErrorBecomesOneRecordThatNamesIt() throws IOException {
        List<String> records = frame("[{\"EventID\":1},\n{\"EventID\": oops}]", Formats.WINDOWS);
        assertThat(records).hasSize(2);
        assertThat(records.get(1)).startsWith("2 unparseable JSON after record 1").contains("line 2");
    }
}
