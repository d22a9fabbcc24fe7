package io.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.simulate.HostileCorpus;
import io.vigil.simulate.HostileCorpus.Kind;
import io.vigil.model.DeadLetter;
import io.vigil.rules.verify.RuleSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-kind part of the hostile section counts what each record became the way the streaming job
 * does (its deserializer, decoders, event-time bounds and rules), so its figures describe the job:
 * every record is decoded or one dead letter of the right kind, and the stream's closing records
 * decode. No timing is asserted.
 */
class HostileKindCostTest {

    static HostileCorpus corpus;
    static Map<Kind, List<ConsumerRecord<byte[], byte[]>>> byKind;
    static HostileKindCost cost;

    @BeforeAll
    static void corpus() {
        corpus = new HostileCorpus(HostileInput.SEED, HostileInput.START, 1_000, 3);
        byKind = HostileKindCost.byKind(corpus.mixed());
        cost = new HostileKindCost(VigilConfig.of(HostileTopics.settings(), "test"), RuleSet.packaged());
    }

    @AfterAll
    static void close() {
        cost.close();
    }

    @Test
    void everyRecordOfEveryKindIsDecodedOrOneDeadLetter() {
        assertThat(byKind.keySet()).containsExactlyInAnyOrder(Kind.values());
        for (Map.Entry<Kind, List<ConsumerRecord<byte[], byte[]>>> e : byKind.entrySet()) {
            HostileKindCost.Outcome o = cost.pass(e.getValue());
            assertThat(o.records()).as("%s records", e.getKey()).isEqualTo((long) corpus.counts().get(e.getKey()));
            assertThat(o.decoded() + o.deadLetterCount()).as("%s decoded + dead letters", e.getKey())
                    .isEqualTo(o.records());
            assertThat(o.ruleErrors()).as("%s rule errors", e.getKey()).isZero();
        }
    }

    @Test
    void theStreamingLimitsAndBoundsDecideTheDeadLetters() {
        // valid records decode whole, each into one event at least
        HostileKindCost.Outcome valid = cost.pass(byKind.get(Kind.VALID));
        assertThat(valid.deadLetters()).isEmpty();
        assertThat(valid.events()).isGreaterThanOrEqualTo(valid.records());
        // the decoder's 64 KiB limit: every megabyte line is a decode letter
        assertThat(cost.pass(byKind.get(Kind.MEGABYTE_LINE)).deadLetters())
                .containsExactlyEntriesOf(Map.of(DeadLetter.DECODE, 3L));
        // the streaming bounds around the Kafka timestamp (a replay accepts these): event-time letters
        assertThat(cost.pass(byKind.get(Kind.FUTURE_TIME)).deadLetters())
                .containsExactlyEntriesOf(Map.of(DeadLetter.EVENT_TIME, (long) corpus.counts().get(Kind.FUTURE_TIME)));
        assertThat(cost.pass(byKind.get(Kind.FORGED_TIME)).deadLetters())
                .containsExactlyEntriesOf(Map.of(DeadLetter.EVENT_TIME, (long) corpus.counts().get(Kind.FORGED_TIME)));
        // one "message repeated 10000 times" line is ten thousand events, each through the rules
        HostileKindCost.Outcome repeated = cost.pass(byKind.get(Kind.MESSAGE_REPEATED));
        assertThat(repeated.events()).isEqualTo(10_000L * repeated.records());
        assertThat(repeated.ruleHits()).isPositive();
    }

    @Test
    void measuringReportsEveryKindAgainstValid() {
        ObjectNode r = cost.measure(byKind, 0, 1);
        for (Kind kind : Kind.values()) {
            JsonNode k = r.get(kind.id());
            assertThat(k).as(kind.id()).isNotNull();
            assertThat(k.get("records").asLong()).isEqualTo((long) corpus.counts().get(kind));
            assertThat(k.at("/ns_per_record/runs").asInt()).isEqualTo(1);
            assertThat(k.at("/allocated_bytes_per_record/median").asLong()).isPositive();
            assertThat(k.has("ns_vs_valid")).isTrue();
            assertThat(k.get("decoded_per_record").asDouble() + k.get("dead_letters_per_record").asDouble())
                    .isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.011));
        }
        assertThat(r.at("/valid/ns_vs_valid").asDouble()).isEqualTo(1.0);
        assertThat(r.at("/random-bytes/dead_letters_by_kind/decode").asLong())
                .isEqualTo((long) corpus.counts().get(Kind.RANDOM_BYTES));
    }

    @Test
    void theClosingRecordOfEveryTopicDecodesWithinTheStreamingBounds() {
        // a closing record that were a dead letter would not move its topic's watermark
        Instant t = Instant.parse("2026-03-02T12:00:00Z");
        List<ConsumerRecord<byte[], byte[]>> closing = new ArrayList<>();
        for (String format : HostileCorpus.FILES.keySet()) {
            byte[] value = StreamSentinels.record(format, t);
            closing.add(new ConsumerRecord<>(HostileTopics.topic(format), 0, closing.size(), t.toEpochMilli(),
                    TimestampType.CREATE_TIME, 0, value.length, null, value, new RecordHeaders(),
                    java.util.Optional.empty()));
        }
        HostileKindCost.Outcome o = cost.pass(closing);
        assertThat(o.deadLetters()).isEmpty();
        assertThat(o.decoded()).isEqualTo(HostileCorpus.FILES.size());
        assertThat(o.ruleHits()).as("quiet records").isZero();
    }
}
