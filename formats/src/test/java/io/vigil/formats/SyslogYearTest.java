package io.vigil.formats;

import static io.vigil.formats.SyslogTesting.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Where an RFC 3164 timestamp, which has no year, lands. */
class SyslogYearTest {

    private static Instant at(SyslogDecoder d, String line, String source, long n, Instant reference) {
        DecodeResult r = d.decode(record(line.getBytes(StandardCharsets.UTF_8), source, n, reference));
        assertThat(r.error()).isNull();
        return r.events().get(0).timestamp();
    }

    private static SyslogDecoder byReference() {
        return new SyslogDecoder(DecoderOptions.defaults(), SyslogTesting.CLOCK);
    }

    @Test
    void yearOfTheReferenceTime() {
        Instant ref = Instant.parse("2005-07-28T00:00:00Z");
        assertThat(at(byReference(), "Jun 14 15:16:01 combo x: y", "m", 1, ref))
                .isEqualTo(Instant.parse("2005-06-14T15:16:01Z"));
    }

    @Test
    void decemberLinesInAFileWrittenInJanuaryAreLastYear() {
        Instant ref = Instant.parse("2025-01-03T08:00:00Z");
        SyslogDecoder d = byReference();
        assertThat(at(d, "Dec 31 23:59:59 h x: y", "a", 1, ref)).isEqualTo(Instant.parse("2024-12-31T23:59:59Z"));
        assertThat(at(d, "Jan  1 00:00:01 h x: y", "a", 2, ref)).isEqualTo(Instant.parse("2025-01-01T00:00:01Z"));
    }

    @Test
    void aLineUpToADayAfterTheReferenceTimeStaysInItsYear() {
        // clocks of senders run a little ahead of the file's mtime; a day of slack keeps them this year
        Instant ref = Instant.parse("2024-06-15T12:00:00Z");
        assertThat(at(byReference(), "Jun 16 11:00:00 h x: y", "a", 1, ref))
                .isEqualTo(Instant.parse("2024-06-16T11:00:00Z"));
        assertThat(at(byReference(), "Jun 16 13:00:00 h x: y", "a", 1, ref))
                .isEqualTo(Instant.parse("2023-06-16T13:00:00Z"));
    }

    @Test
    void leapDayGoesBackToTheLastLeapYear() {
        Instant ref = Instant.parse("2025-03-10T00:00:00Z");
        assertThat(at(byReference(), "Feb 29 10:00:00 h x: y", "a", 1, ref))
                .isEqualTo(Instant.parse("2024-02-29T10:00:00Z"));
    }

    @Test
    void withoutReferenceTimeTheClockDecides() {
        // CLOCK is 2019-03-01: a March line is 2019, a December line 2018
        assertThat(at(byReference(), "Mar  1 00:00:00 h x: y", "a", 1, null))
                .isEqualTo(Instant.parse("2019-03-01T00:00:00Z"));
        assertThat(at(byReference(), "Dec  1 00:00:00 h x: y", "a", 1, null))
                .isEqualTo(Instant.parse("2018-12-01T00:00:00Z"));
    }

    @Test
    void zoneOfTheReferenceYearAndTheTimestamp() {
        SyslogDecoder d = new SyslogDecoder(DecoderOptions.defaults().withZone(ZoneId.of("America/New_York")),
                SyslogTesting.CLOCK);
        Instant ref = Instant.parse("2024-07-01T00:00:00Z");
        assertThat(at(d, "Jun 30 12:00:00 h x: y", "a", 1, ref)).isEqualTo(Instant.parse("2024-06-30T16:00:00Z"));
    }

    @Test
    void configuredYearIsTheFirstRecordsAndAdvancesAtNewYear() {
        SyslogDecoder d = new SyslogDecoder(DecoderOptions.defaults().withYear(2023), SyslogTesting.CLOCK);
        Instant ref = Instant.parse("2030-01-01T00:00:00Z"); // ignored when a year is configured
        assertThat(at(d, "Dec 31 23:59:58 h x: y", "s", 1, ref)).isEqualTo(Instant.parse("2023-12-31T23:59:58Z"));
        assertThat(at(d, "Jan  1 00:00:02 h x: y", "s", 2, ref)).isEqualTo(Instant.parse("2024-01-01T00:00:02Z"));
        // a late line from the old year does not move the stream
        assertThat(at(d, "Dec 31 23:59:59 h x: y", "s", 3, ref)).isEqualTo(Instant.parse("2023-12-31T23:59:59Z"));
        assertThat(at(d, "Jan  1 00:00:03 h x: y", "s", 4, ref)).isEqualTo(Instant.parse("2024-01-01T00:00:03Z"));
        assertThat(at(d, "Mar  1 00:00:00 h x: y", "s", 5, ref)).isEqualTo(Instant.parse("2024-03-01T00:00:00Z"));
        // slight disorder across a month boundary is not a new year
        assertThat(at(d, "Feb 29 23:59:59 h x: y", "s", 6, ref)).isEqualTo(Instant.parse("2024-02-29T23:59:59Z"));
        assertThat(at(d, "Dec  1 00:00:00 h x: y", "s", 7, ref)).isEqualTo(Instant.parse("2024-12-01T00:00:00Z"));
        assertThat(at(d, "Jan  5 00:00:00 h x: y", "s", 8, ref)).isEqualTo(Instant.parse("2025-01-05T00:00:00Z"));
    }

    @Test
    void configuredYearIsPerStream() {
        SyslogDecoder d = new SyslogDecoder(DecoderOptions.defaults().withYear(2023), SyslogTesting.CLOCK);
        assertThat(at(d, "Dec 31 23:00:00 h x: y", "one", 1, null)).isEqualTo(Instant.parse("2023-12-31T23:00:00Z"));
        assertThat(at(d, "Jan  1 01:00:00 h x: y", "one", 2, null)).isEqualTo(Instant.parse("2024-01-01T01:00:00Z"));
        // another file starts at the configured year, whatever the first one did
        assertThat(at(d, "Jan  1 01:00:00 h x: y", "two", 1, null)).isEqualTo(Instant.parse("2023-01-01T01:00:00Z"));
    }

    @Test
    void leapDayInAConfiguredNonLeapYearFails() {
        SyslogDecoder d = new SyslogDecoder(DecoderOptions.defaults().withYear(2023), SyslogTesting.CLOCK);
        DecodeResult r = d.decode(record("Feb 29 10:00:00 h x: y".getBytes(StandardCharsets.UTF_8), "s", 1, null));
        assertThat(r.ok()).isFalse();
        assertThat(r.error()).contains("2023");
    }

    @Test
    void isoTimestampsKeepTheirOwnYear() {
        SyslogDecoder d = new SyslogDecoder(DecoderOptions.defaults().withYear(2001), SyslogTesting.CLOCK);
        assertThat(at(d, "2024-01-02T03:04:05Z h x: y", "s", 1, null)).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
    }
}
