package io.vigil.jobs.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** Daily index names never name a day after the writer's clock, whatever time a document carries. */
class DailyIndexTest {

    private static final Instant NOW = Instant.parse("2024-06-01T23:58:00Z");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);

    @Test
    void aDocumentOfThePastNamesItsDay() {
        assertThat(Documents.dailyIndex("vigil-alerts", Instant.parse("2024-05-31T10:00:00Z"), NOW))
                .isEqualTo("vigil-alerts-2024.05.31");
        assertThat(Documents.dailyIndex("vigil-alerts", Instant.parse("0001-01-01T00:00:00Z"), NOW))
                .isEqualTo("vigil-alerts-0001.01.01");
    }

    /** Within the allowed skew before midnight, and any forged time in a replay: today's index. */
    @Test
    void aDocumentAheadOfTheClockNamesToday() {
        assertThat(Documents.dailyIndex("vigil-events", Instant.parse("2024-06-02T00:02:00Z"), NOW))
                .isEqualTo("vigil-events-2024.06.01");
        assertThat(Documents.dailyIndex("vigil-alerts", Instant.parse("2099-01-01T00:00:00Z"), NOW))
                .isEqualTo("vigil-alerts-2024.06.01");
    }

    @Test
    void theMappersNameNoDayAfterToday() {
        Instant future = Instant.parse("2099-01-01T00:00:00Z");
        SecurityEvent event = SecurityEvent.builder().timestamp(future).origin(Origin.kafka("t", 0, 1)).build();
        String before = DAY.format(Instant.now());
        String index = new Documents.Events().index(event);
        String after = DAY.format(Instant.now()); // the clock may pass midnight between the readings
        assertThat(index).isIn("vigil-events-" + before, "vigil-events-" + after);
    }
}
