package io.vigil.jobs.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.formats.Formats;
import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Progress bytes: a line counts its length, a record of an .evtx file the span of the file it covers. */
class InputBytesTest {

    private static RawRecord evtx(String file, long offset) {
        // the JSON rendering, far longer than the record's bytes in the file
        byte[] json = ("{\"Event\":{\"System\":{\"EventRecordID\":" + offset + "}}}" + " ".repeat(3000))
                .getBytes(StandardCharsets.UTF_8);
        return new RawRecord(json, Origin.file(file, offset), Formats.EVTX, null, null, -1);
    }

    @Test
    void recordsOfAnEventLogFileAddUpToTheOffsetOfTheLastOneFileByFile() {
        InputBytes bytes = new InputBytes();

        // the first record after the 4 KiB file header and the 512-byte chunk header
        assertThat(bytes.of(evtx("a.evtx", 4608))).isEqualTo(4608);
        assertThat(bytes.of(evtx("a.evtx", 5400))).isEqualTo(792);
        // a damaged chunk: its offset, its bytes kept as evidence
        assertThat(bytes.of(new RawRecord(new byte[65536], Origin.file("a.evtx", 69632), Formats.EVTX,
                "bad chunk checksum", null, -1))).isEqualTo(69632 - 5400);
        // the next file starts from its own beginning
        assertThat(bytes.of(evtx("b.evtx", 4608))).isEqualTo(4608);
    }

    @Test
    void aLineCountsItsOwnBytesOrItsFullLengthWhenCut() {
        InputBytes bytes = new InputBytes();
        byte[] line = "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster".getBytes(StandardCharsets.UTF_8);

        assertThat(bytes.of(RawRecord.of(line, Origin.file("auth.log", 7), Formats.SYSLOG))).isEqualTo(line.length);
        assertThat(bytes.of(new RawRecord(line, Origin.file("auth.log", 8), Formats.SYSLOG, null, null, 200_000)))
                .isEqualTo(200_000);
    }
}
