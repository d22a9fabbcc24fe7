package io.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Shared helpers of the syslog decoder tests: fixed options, fixed reference time, fixed clock. */
final class SyslogTesting {

    /** Reference time of the unit-test records: mid-2024, so "Jun" lines land in 2024. */
    static final Instant REFERENCE = Instant.parse("2024-06-15T12:00:00Z");
    /** The clock behind a record without reference time; far from REFERENCE so a mix-up shows. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2019-03-01T00:00:00Z"), ZoneOffset.UTC);

    private SyslogTesting() {}

    static SyslogDecoder decoder() {
        return new SyslogDecoder(DecoderOptions.defaults(), CLOCK);
    }

    static RawRecord record(String line) {
        return record(line.getBytes(StandardCharsets.UTF_8), "auth.log", 1, REFERENCE);
    }

    static RawRecord record(byte[] bytes, String source, long line, Instant reference) {
        return new RawRecord(bytes, Origin.file(source, line), Formats.SYSLOG, null, reference, -1);
    }

    /** Decodes one line expecting exactly one event. */
    static SecurityEvent one(String line) {
        DecodeResult r = decoder().decode(record(line));
        assertThat(r.error()).as("decode error of %s", line).isNull();
        assertThat(r.events()).hasSize(1);
        return r.events().get(0);
    }
}
