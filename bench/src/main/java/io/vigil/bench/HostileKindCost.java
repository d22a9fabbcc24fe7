package io.vigil.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.connectors.kafka.RawRecordKafkaDeserializer;
import io.vigil.formats.DecodeResult;
import io.vigil.formats.DecoderOptions;
import io.vigil.formats.DecoderRegistry;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.config.VigilOptions;
import io.vigil.jobs.decode.EventTimeBounds;
import io.vigil.simulate.HostileCorpus.Item;
import io.vigil.simulate.HostileCorpus.Kind;
import io.vigil.model.DeadLetter;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleEvaluator;
import io.vigil.rules.RulePack;
import io.vigil.rules.verify.RuleSet;
import java.lang.management.ManagementFactory;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * What one record of each {@link Kind} costs the streaming job's per-record work, on one thread and
 * without Flink: the Kafka record made a raw record (the job's deserializer: size limit, topic
 * format and Zeek header), decoded (the job's decoders and limits), judged against the streaming
 * event-time bounds (its Kafka timestamp is the record's ingest time), made a dead letter when
 * refused, and each event evaluated by the packaged rules the way {@code EvaluateRulesFunction}
 * does. Correlation, incidents and output are left out: they see events and hits, not raw records.
 *
 * <p>After {@code warmups} passes over every kind, {@code passes} measured passes; per kind the
 * median (with min and max) of the passes' nanoseconds per record (wall clock, and the thread's CPU
 * time, which a busy machine disturbs less) and bytes allocated per record
 * ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}), and what each record became:
 * events, dead letters by kind, rule hits and rule errors per record.
 */
final class HostileKindCost implements AutoCloseable {

    /** What the records of one kind became in one pass: the same in every pass. */
    record Outcome(long records, long bytes, long decoded, long events, Map<String, Long> deadLetters,
                   long ruleHits, long ruleErrors) {

        long deadLetterCount() {
            return deadLetters.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final RawRecordKafkaDeserializer deserializer;
    private final DecoderRegistry decoders;
    private final EventTimeBounds bounds;
    private final RuleEvaluator evaluator;
    private final com.sun.management.ThreadMXBean threads;

    /** @param config the streaming job's configuration (its topics, Zeek headers, limits and bounds) */
    HostileKindCost(VigilConfig config, RuleSet rules) {
        // as VigilKafka.rawSource and StreamingTopology.build make them
        this.deserializer = new RawRecordKafkaDeserializer(config.get(VigilOptions.KAFKA_TOPICS), null,
                config.get(VigilOptions.MAX_RECORD_BYTES)).withHeaders(config.zeekHeaders());
        this.decoders = new DecoderRegistry(new DecoderOptions(null, ZoneId.of(config.get(VigilOptions.TIMEZONE)),
                config.get(VigilOptions.MAX_RECORD_BYTES)));
        this.bounds = EventTimeBounds.aroundIngest(config.get(VigilOptions.MAX_FUTURE_SKEW),
                config.get(VigilOptions.MAX_EVENT_AGE));
        // as EvaluateRulesFunction.open makes it
        this.evaluator = RulePack.compile(rules.sources()).newEvaluator(rules.active().keySet(),
                config.get(VigilOptions.RULE_QUARANTINE_AFTER));
        this.threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    }

    /** The corpus's records as the Kafka records the stream reads, per kind, in corpus order. */
    static Map<Kind, List<ConsumerRecord<byte[], byte[]>>> byKind(List<Item> items) {
        Map<Kind, List<ConsumerRecord<byte[], byte[]>>> out = new EnumMap<>(Kind.class);
        long offset = 0;
        for (Item item : items) {
            out.computeIfAbsent(item.kind(), k -> new ArrayList<>()).add(new ConsumerRecord<>(
                    HostileTopics.topic(item.format()), 0, offset++, item.ingest().toEpochMilli(),
                    TimestampType.CREATE_TIME, 0, item.bytes().length, null, item.bytes(), new RecordHeaders(),
                    Optional.empty()));
        }
        return out;
    }

    /** One pass over {@code records}: what they became. */
    Outcome pass(List<ConsumerRecord<byte[], byte[]>> records) {
        long bytes = 0;
        long decoded = 0;
        long events = 0;
        long hits = 0;
        long errors = 0;
        Map<String, Long> dead = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            bytes += r.value().length;
            RawRecord raw = deserializer.toRawRecord(r);
            DecodeResult result = decoders.decode(raw);
            DeadLetter letter = null;
            if (!result.ok()) {
                letter = DeadLetter.of(raw, result.error());
            } else {
                String outOfBounds = bounds.violation(raw, result.events(), System.currentTimeMillis());
                if (outOfBounds != null) {
                    letter = DeadLetter.of(raw, outOfBounds, DeadLetter.EVENT_TIME);
                }
            }
            if (letter != null) {
                dead.merge(letter.kind(), 1L, Long::sum);
                continue;
            }
            decoded++;
            for (SecurityEvent event : result.events()) {
                events++;
                RuleEvaluator.Evaluation e = evaluator.evaluateWithErrors(event);
                hits += e.hits().size();
                errors += e.errors().size();
            }
        }
        return new Outcome(records.size(), bytes, decoded, events, dead, hits, errors);
    }

    /** Every kind of {@code byKind} measured: the JSON object per kind ({@code kind.id()}), {@code valid} first. */
    ObjectNode measure(Map<Kind, List<ConsumerRecord<byte[], byte[]>>> byKind, int warmups, int passes) {
        for (int w = 0; w < warmups; w++) {
            byKind.values().forEach(this::pass);
        }
        Map<Kind, double[]> ns = new EnumMap<>(Kind.class);
        Map<Kind, double[]> cpu = new EnumMap<>(Kind.class);
        Map<Kind, double[]> allocated = new EnumMap<>(Kind.class);
        Map<Kind, Outcome> outcomes = new EnumMap<>(Kind.class);
        long thread = Thread.currentThread().getId();
        for (int p = 0; p < passes; p++) {
            for (Map.Entry<Kind, List<ConsumerRecord<byte[], byte[]>>> e : byKind.entrySet()) {
                int n = e.getValue().size();
                long a0 = threads.getThreadAllocatedBytes(thread);
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                Outcome o = pass(e.getValue());
                long t1 = System.nanoTime();
                long c1 = threads.getCurrentThreadCpuTime();
                long a1 = threads.getThreadAllocatedBytes(thread);
                ns.computeIfAbsent(e.getKey(), k -> new double[passes])[p] = (t1 - t0) / (double) n;
                cpu.computeIfAbsent(e.getKey(), k -> new double[passes])[p] = (c1 - c0) / (double) n;
                allocated.computeIfAbsent(e.getKey(), k -> new double[passes])[p] = (a1 - a0) / (double) n;
                outcomes.putIfAbsent(e.getKey(), o);
            }
        }
        ObjectNode out = BenchJson.object();
        double validNs = ns.containsKey(Kind.VALID) ? BenchJson.stats(ns.get(Kind.VALID)).get("median").asDouble() : 0;
        double validAlloc = allocated.containsKey(Kind.VALID)
                ? BenchJson.stats(allocated.get(Kind.VALID)).get("median").asDouble() : 0;
        for (Kind kind : byKind.keySet()) {
            Outcome o = outcomes.get(kind);
            ObjectNode k = out.putObject(kind.id());
            k.put("records", o.records());
            k.put("bytes_per_record", Math.round((double) o.bytes() / o.records()));
            ObjectNode time = BenchJson.stats(ns.get(kind));
            k.set("ns_per_record", time);
            k.set("cpu_ns_per_record", BenchJson.stats(cpu.get(kind)));
            ObjectNode alloc = BenchJson.stats(allocated.get(kind));
            k.set("allocated_bytes_per_record", alloc);
            if (validNs > 0) {
                k.put("ns_vs_valid", round2(time.get("median").asDouble() / validNs));
            }
            if (validAlloc > 0) {
                k.put("allocated_vs_valid", round2(alloc.get("median").asDouble() / validAlloc));
            }
            k.put("decoded_per_record", round2((double) o.decoded() / o.records()));
            k.put("events_per_record", round2((double) o.events() / o.records()));
            k.put("dead_letters_per_record", round2((double) o.deadLetterCount() / o.records()));
            ObjectNode byLetter = k.putObject("dead_letters_by_kind");
            o.deadLetters().forEach(byLetter::put);
            k.put("rule_hits_per_record", round2((double) o.ruleHits() / o.records()));
            k.put("rule_errors", o.ruleErrors());
        }
        out.put("passes", passes);
        out.put("warmup_passes", warmups);
        return out;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** Hands back the evaluator's session. */
    @Override
    public void close() {
        evaluator.close();
    }
}
