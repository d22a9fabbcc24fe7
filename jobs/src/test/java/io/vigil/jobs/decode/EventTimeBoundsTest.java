package io.vigil.jobs.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.formats.DecoderOptions;
import io.vigil.model.DeadLetter;
import io.vigil.model.Origin;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Records whose event time is out of bounds become one event-time dead letter each, in the decode
 * step, before any event reaches the watermark: the streaming bounds around the record's ingest
 * time, and for every job the years 1 to 9999. The task's clock is the harness's.
 */
class EventTimeBoundsTest {

    /** The task's clock in these tests. */
    private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");
    private static final EventTimeBounds STREAMING = EventTimeBounds.aroundIngest(Duration.ofMinutes(5), Duration.ofDays(30));
    private static final AtomicLong OFFSETS = new AtomicLong();

    private OneInputStreamOperatorTestHarness<RawRecord, SecurityEvent> harness;
    private DecodeFunction function;

    private void open(EventTimeBounds bounds) throws Exception {
        function = new DecodeFunction(DecoderOptions.defaults(), bounds);
        harness = ProcessFunctionTestHarnesses.forProcessFunction(function);
        harness.setProcessingTime(NOW.toEpochMilli());
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static RawRecord ecs(String timestamp, Instant recordTimestamp) {
        String doc = "{\"@timestamp\":\"" + timestamp + "\",\"event\":{\"action\":\"test\"},\"source\":{\"ip\":\"203.0.113.9\"}}";
        return new RawRecord(doc.getBytes(StandardCharsets.UTF_8), Origin.kafka("vigil.raw.ecs", 0, OFFSETS.incrementAndGet()),
                "ecs", null, recordTimestamp, -1);
    }

    private List<SecurityEvent> events() {
        return harness.extractOutputValues();
    }

    private List<DeadLetter> deadLetters() {
        return harness.getSideOutput(DecodeFunction.DEAD_LETTERS) == null ? List.of()
                : harness.getSideOutput(DecodeFunction.DEAD_LETTERS).stream().map(StreamRecord::getValue).toList();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Long> byKind() {
        return (Map<String, Long>) function.getRuntimeContext().getAccumulator(DecodeCounters.DEAD_BY_KIND).getLocalValue();
    }

    private long counter(String name) {
        return (Long) function.getRuntimeContext().getAccumulator(name).getLocalValue();
    }

    @Test
    void eventsWithinTheBoundsPass() throws Exception {
        open(STREAMING);
        Instant stamped = Instant.parse("2024-06-01T11:59:00Z");
        harness.processElement(ecs("2024-06-01T12:03:59Z", stamped), 0); // 4:59 after the record timestamp
        harness.processElement(ecs("2024-05-02T11:59:00Z", stamped), 0); // 30 days before it
        harness.processElement(ecs("2023-01-01T00:00:00Z", Instant.parse("2023-01-01T00:00:01Z")), 0); // old, stamped old
        assertThat(events()).hasSize(3);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void aForgedFutureTimeIsAnEventTimeDeadLetterNamingBothTimesAndTheKey() throws Exception {
        open(STREAMING);
        harness.processElement(ecs("2099-01-01T00:00:00Z", Instant.parse("2024-06-01T11:59:00Z")), 0);
        assertThat(events()).isEmpty();
        DeadLetter letter = deadLetters().get(0);
        assertThat(letter.kind()).isEqualTo(DeadLetter.EVENT_TIME);
        assertThat(letter.reason()).contains("2099-01-01T00:00:00Z", "2024-06-01T11:59:00Z", "5 min",
                "the record timestamp", "detection.max-future-skew");
        assertThat(letter.raw()).contains("\"@timestamp\":\"2099-01-01T00:00:00Z\"");
        assertThat(letter.origin().source()).isEqualTo("vigil.raw.ecs");
        assertThat(counter(DecodeCounters.RECORDS)).isEqualTo(1);
        assertThat(counter(DecodeCounters.DECODED)).isZero();
        assertThat(counter(DecodeCounters.DEAD_LETTERS)).isEqualTo(1);
        assertThat(byKind()).containsExactlyEntriesOf(Map.of(DeadLetter.EVENT_TIME, 1L));
    }

    /** A producer stamping records from a clock that runs ahead cannot vouch for future times. */
    @Test
    void aRecordTimestampInTheFutureCountsAsTheTasksClock() throws Exception {
        open(STREAMING);
        harness.processElement(ecs("2099-01-01T00:00:00Z", Instant.parse("2099-01-01T00:00:00Z")), 0);
        harness.processElement(ecs("2024-06-01T12:04:00Z", null), 0); // no timestamp: the clock too
        harness.processElement(ecs("2024-06-01T12:06:00Z", null), 0);
        assertThat(events()).extracting(SecurityEvent::timestamp).containsExactly(Instant.parse("2024-06-01T12:04:00Z"));
        assertThat(deadLetters()).hasSize(2).allSatisfy(d -> assertThat(d.kind()).isEqualTo(DeadLetter.EVENT_TIME));
        assertThat(deadLetters().get(0).reason()).contains("ingest time 2024-06-01T12:00:00Z",
                "the record timestamp 2099-01-01T00:00:00Z is in the future");
        assertThat(deadLetters().get(1).reason()).contains("the record has no timestamp");
    }

    @Test
    void aForgedOldTimeTellsHowToReplayOldLogs() throws Exception {
        open(STREAMING);
        harness.processElement(ecs("0001-01-01T00:00:00Z", Instant.parse("2024-06-01T11:59:00Z")), 0);
        harness.processElement(ecs("2024-05-02T11:58:59Z", Instant.parse("2024-06-01T11:59:00Z")), 0);
        assertThat(events()).isEmpty();
        assertThat(deadLetters()).hasSize(2);
        assertThat(deadLetters().get(0).reason()).contains("0001-01-01T00:00:00Z", "30 d", "2024-06-01T11:59:00Z",
                "detection.max-event-age", "give each record its event time as timestamp");
        assertThat(byKind()).containsEntry(DeadLetter.EVENT_TIME, 2L);
    }

    /** "message repeated 3 times" is three events of one record: one dead letter, not three. */
    @Test
    void aRecordOfSeveralEventsIsJudgedWhole() throws Exception {
        open(STREAMING);
        String line = "<38>1 2099-01-01T00:00:00Z bastion sshd 77 - - message repeated 3 times: "
                + "[ Failed password for root from 203.0.113.50 port 40000 ssh2]";
        harness.processElement(new RawRecord(line.getBytes(StandardCharsets.UTF_8), Origin.kafka("vigil.raw.syslog", 0, 9),
                "syslog", null, Instant.parse("2024-06-01T11:59:00Z"), -1), 0);
        assertThat(events()).isEmpty();
        assertThat(deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(DeadLetter.EVENT_TIME);
            assertThat(d.reason()).contains("event 1 of the record's 3");
        });
        assertThat(counter(DecodeCounters.RECORDS)).isEqualTo(counter(DecodeCounters.DECODED) + counter(DecodeCounters.DEAD_LETTERS));
    }

    /** The replay keeps any time of the years 1 to 9999, and only those: others are no Flink timestamp. */
    @Test
    void theReplayAcceptsAnyYearFrom1To9999() throws Exception {
        open(EventTimeBounds.anyYear());
        harness.processElement(ecs("0001-01-01T00:00:00Z", null), 0);
        harness.processElement(ecs("2099-01-01T00:00:00Z", null), 0);
        harness.processElement(ecs("9999-12-31T23:59:59.999Z", null), 0);
        harness.processElement(ecs("+999999999-01-01T00:00:00Z", null), 0);
        harness.processElement(ecs("-0005-01-01T00:00:00Z", null), 0);
        harness.processElement(ecs("not a time", null), 0);
        assertThat(events()).hasSize(3);
        assertThat(deadLetters()).extracting(DeadLetter::kind)
                .containsExactly(DeadLetter.EVENT_TIME, DeadLetter.EVENT_TIME, DeadLetter.DECODE);
        assertThat(deadLetters().get(0).reason()).contains("+999999999-01-01T00:00:00Z", "outside the years 1 to 9999");
        assertThat(byKind()).containsExactlyInAnyOrderEntriesOf(Map.of(DeadLetter.EVENT_TIME, 2L, DeadLetter.DECODE, 1L));
    }
}
