package io.vigil.bench;

import io.vigil.jobs.stream.StreamingTopology;
import io.vigil.jobs.wiring.RuleSets;
import io.vigil.jobs.wiring.FlinkSettings;
import io.vigil.jobs.wiring.Connections;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.localstack.LocalElasticsearch;
import io.vigil.localstack.LocalKafka;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.decode.DecodeCounters;
import io.vigil.jobs.detect.RuleErrorCounters;
import io.vigil.simulate.HostileCorpus;
import io.vigil.model.EcsJson;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

/**
 * The hostile corpus through the streaming job, Kafka → Vigil → Elasticsearch, with the services
 * the other sections start (an in-process Kafka broker, an Elasticsearch node) and the job's
 * default configuration: one raw topic per corpus format ({@link HostileTopics}), each record with
 * its ingest time as Kafka timestamp, in corpus order. The topics take records of up to
 * {@link HostileTopics#MAX_MESSAGE_BYTES} so the corpus's megabyte records reach the job (a broker
 * refuses larger ones before Vigil sees them; the replay has the 100 MB line). No restart: the job
 * fails on its first failure, and that shows.
 *
 * <p>After the corpus, one quiet record per topic {@link #SENTINEL_AFTER} later than the last
 * record, so the watermark passes every rule window and mass-activity minute of the corpus; once
 * the job has read them, a second round as much later again, since a late alert counts in the
 * mass-activity minute the watermark is in when it comes (which the first round need not pass).
 * The job has consumed everything when its decode counter reaches what was produced; its output is complete
 * when Elasticsearch holds as many dead letters as the job counted and the alert count has not
 * changed for {@link #SETTLED}. Then: job status and restarts (the {@code numRestarts} metric),
 * records produced and consumed, decoded + dead letters, dead letters by kind (the job's counters
 * and Elasticsearch's index), and the signatures of the valid records' alerts in Elasticsearch.
 * They are compared with the replay of the valid records alone ({@code valid_alerts_identical});
 * then the valid records alone go through a job of their own, and the stream's valid alerts with
 * and without the hostile records are compared too ({@code ..._to_stream_valid_only}), and that
 * stream with the replay ({@code valid_only.valid_alerts_identical_to_replay}): where the stream
 * differs from the replay, this says whether the hostile records made the difference.
 */
final class HostileStreamRun {

    /** How long after the corpus's last record the closing records come: past the longest window (1 h). */
    static final Duration SENTINEL_AFTER = Duration.ofHours(2);
    /** Output counts unchanged this long, with every dead letter indexed: the job has written everything. */
    static final Duration SETTLED = Duration.ofSeconds(15);
    /** A decode counter stopped this long short of what was produced is a shortfall. */
    static final Duration STALLED = Duration.ofSeconds(120);
    /** At most this long for the output to settle. */
    static final Duration OUTPUT_DEADLINE = Duration.ofMinutes(5);

    private HostileStreamRun() {}

    /** One job's run: its figures, and the signatures of the valid records' alerts it wrote. */
    private record JobRun(ObjectNode json, Set<String> signatures, boolean completed) {}

    /**
     * The corpus through the job, then (the first run's indices removed) the valid records alone
     * through a job of their own: the valid records' alerts are compared with the replay of the valid
     * records alone ({@code valid_alerts_identical}), and with the stream of the valid records alone.
     *
     * @param corpus makes the corpus (it is dropped once in Kafka, so the job's heap is the job's)
     * @param replayValidOnly the valid records' alert signatures, replayed alone
     */
    static ObjectNode run(Supplier<HostileCorpus> corpus, Set<String> replayValidOnly, Path work, PrintWriter out)
            throws Exception {
        try (LocalElasticsearch es = LocalElasticsearch.builder().build().start();
             RestClient rest = RestClient.builder(org.apache.http.HttpHost.create(es.url())).build()) {
            JobRun mixed = runJob(es, rest, "hostile", () -> corpus.get().mixed(), work, out);
            ObjectNode r = mixed.json();
            if (!mixed.completed()) {
                return r;
            }
            deleteVigilIndices(rest);
            JobRun alone = runJob(es, rest, "valid", () -> corpus.get().validOnly(), work, out);
            ObjectNode v = r.putObject("valid_only");
            for (String f : List.of("records_produced", "records_refused_by_kafka", "kafka_refusal", "records_consumed",
                    "records_accounted_for", "job_status", "restarts", "dead_letters", "rule_errors", "late_hits", "alerts",
                    "mass_activity_alerts", "valid_alerts", "elapsed_ms", "records_per_s")) {
                if (alone.json().has(f)) {
                    v.set(f, alone.json().get(f));
                }
            }
            compare(r, "", mixed.signatures(), replayValidOnly);
            compare(r, "_to_stream_valid_only", mixed.signatures(), alone.signatures());
            compare(v, "_to_replay", alone.signatures(), replayValidOnly);
            out.printf("stream: the valid records' alerts (%,d) against the replay of the valid records alone (%,d): %s; "
                            + "against the stream of the valid records alone (%,d): %s; that stream against the replay: %s%n",
                    mixed.signatures().size(), replayValidOnly.size(),
                    r.get("valid_alerts_identical").asBoolean() ? "identical" : "DIFFERENT", alone.signatures().size(),
                    r.get("valid_alerts_identical_to_stream_valid_only").asBoolean() ? "identical" : "DIFFERENT",
                    v.get("valid_alerts_identical_to_replay").asBoolean() ? "identical" : "DIFFERENT");
            return r;
        }
    }

    /**
     * {@code name}: the corpus records {@code items} through a job reading topics {@code name.raw.<format>}
     * of a broker of its own (a second producer to a broker that served a job before saw batches of a new
     * topic expire unsent).
     */
    private static JobRun runJob(LocalElasticsearch es, RestClient rest, String name,
                                 Supplier<List<HostileCorpus.Item>> items, Path work, PrintWriter out) throws Exception {
        try (LocalKafka kafka = LocalKafka.start()) {
            return runJob(kafka, es, rest, name, items, work, out);
        }
    }

    /** @param items made here and dropped once in Kafka, so that the job's heap is the job's */
    private static JobRun runJob(LocalKafka kafka, LocalElasticsearch es, RestClient rest, String name,
                                 Supplier<List<HostileCorpus.Item>> items, Path work, PrintWriter out) throws Exception {
        String prefix = name + ".raw.";
        String deadLetterTopic = name + ".dead-letters";
        String alertsTopic = name + ".alerts";
        ObjectNode r = BenchJson.object();
        createTopics(kafka, prefix, deadLetterTopic, alertsTopic);
        Instant last = produce(kafka, prefix, items.get(), r, out);
        // the first closing round is part of the backlog the job starts with
        long produced = r.get("records_produced").asLong() + closingRound(kafka, prefix, last.plus(SENTINEL_AFTER));

        HeapPeak.reset();
        MetricsTap.clear();
        JobClient job = startJob(kafka, es, work.resolve("chk-" + name), name, prefix, deadLetterTopic, alertsTopic);
        Progress progress = new Progress();
        progress.awaitConsumed(job, produced);
        long first = progress.first;
        long lastChange = progress.lastChange;
        long consumed = progress.consumed;
        if (!progress.status.isGloballyTerminalState() && consumed == produced) {
            // a late alert counts in the mass-activity minute the watermark is in when it comes, which the first
            // round's watermark need not pass: a second round passes it
            produced += closingRound(kafka, prefix, last.plus(SENTINEL_AFTER.multipliedBy(2)));
            progress.awaitConsumed(job, produced);
            consumed = progress.consumed;
        }
        JobStatus status = progress.status;
        Map<String, Object> acc = progress.acc;
        r.put("records_produced", produced);
        r.put("closing_records", 2 * HostileCorpus.FILES.size());
        double secs = first == 0 ? 0 : (lastChange - first) / 1e9;
        long restarts = numRestarts();
        r.put("records_consumed", consumed);
        r.put("elapsed_ms", Math.round(secs * 1000));
        r.put("records_per_s", secs > 0 ? Math.round(consumed / secs) : 0);
        r.setAll(HeapPeak.json());
        if (status.isGloballyTerminalState()) {
            r.put("job_status", status.name());
            r.put("job_failure", failure(job));
            putRestarts(r, restarts);
            out.printf("stream %s: the job ended %s after %,d of %,d records: %s%n", name, status, consumed, produced,
                    r.get("job_failure").asText());
            return new JobRun(r, Set.of(), false);
        }

        long deadInJob = counter(acc, DecodeCounters.DEAD_LETTERS);
        long ruleErrors = counter(acc, RuleErrorCounters.RULE_ERRORS);
        Settled settled = awaitOutput(rest, deadInJob + ruleErrors);
        status = job.getJobStatus().get(10, TimeUnit.SECONDS);
        acc = status.isGloballyTerminalState() ? acc : job.getAccumulators().get(10, TimeUnit.SECONDS);
        restarts = Math.max(restarts, numRestarts());
        r.put("job_status", status.name());
        putRestarts(r, restarts);
        r.put("records_decoded", counter(acc, DecodeCounters.DECODED));
        r.put("events", counter(acc, DecodeCounters.EVENTS));
        r.put("dead_letters", counter(acc, DecodeCounters.DEAD_LETTERS));
        r.set("dead_letters_by_kind", EcsJson.MAPPER.valueToTree(acc.getOrDefault(DecodeCounters.DEAD_BY_KIND, Map.of())));
        r.put("records_accounted_for", counter(acc, DecodeCounters.DECODED) + counter(acc, DecodeCounters.DEAD_LETTERS)
                == produced && consumed == produced);
        r.put("rule_errors", counter(acc, RuleErrorCounters.RULE_ERRORS));
        r.set("dead_letters_in_elasticsearch_by_kind", EcsJson.MAPPER.valueToTree(settled.deadLettersByKind()));
        r.put("dead_letters_in_elasticsearch_with_reason", deadLettersWithReason(rest));
        r.put("output_settled", settled.settled());
        Path alertsFile = work.resolve("stream-" + name + "-alerts.ndjson");
        Set<String> signatures = readAlerts(rest, r, alertsFile);
        r.put("alerts_file", alertsFile.toString());
        // hits behind the watermark when they reached correlation: applied at once, in arrival order
        r.put("late_hits", metricSum("lateHits"));
        if (!status.isGloballyTerminalState()) {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
        out.printf("stream %s: job %s, %s restarts; %,d records produced, %,d consumed = %,d decoded + %,d dead letters "
                        + "%s (%s; in Elasticsearch %s), %,d events, %,d rule errors, %,d late hits; %,d alerts "
                        + "(%,d mass activity, %,d of valid records); %.1f s from the first decode report, %,d records/s; "
                        + "peak heap %,d MB of %,d MB%n",
                name, status, r.get("restarts").asText(), produced, consumed, r.get("records_decoded").asLong(),
                r.get("dead_letters").asLong(),
                r.get("records_accounted_for").asBoolean() ? "(all accounted for)" : "(NOT ACCOUNTED FOR)",
                r.get("dead_letters_by_kind"), r.get("dead_letters_in_elasticsearch_by_kind"),
                r.get("events").asLong(), r.get("rule_errors").asLong(), r.get("late_hits").asLong(),
                r.get("alerts").asLong(), r.get("mass_activity_alerts").asLong(), signatures.size(), secs, r.get("records_per_s").asLong(),
                r.get("peak_heap_used_bytes").asLong() >> 20, r.get("max_heap_bytes").asLong() >> 20);
        return new JobRun(r, signatures, true);
    }

    /** How far a job has read: its decode counter, polled until it reaches what was produced, stalls, or the job ends. */
    private static final class Progress {
        long first;
        long consumed;
        long lastChange = System.nanoTime();
        JobStatus status = JobStatus.RUNNING;
        Map<String, Object> acc = Map.of();

        void awaitConsumed(JobClient job, long produced) throws Exception {
            lastChange = System.nanoTime();
            while (consumed < produced && System.nanoTime() - lastChange < STALLED.toNanos()) {
                status = job.getJobStatus().get(10, TimeUnit.SECONDS);
                if (status.isGloballyTerminalState()) {
                    return;
                }
                acc = job.getAccumulators().get(10, TimeUnit.SECONDS);
                long now = acc.get(DecodeCounters.RECORDS) instanceof Long l ? l : 0;
                if (now > 0 && first == 0) {
                    first = System.nanoTime();
                }
                if (now != consumed) {
                    consumed = now;
                    lastChange = System.nanoTime();
                }
                Thread.sleep(200);
            }
        }
    }

    /** One closing record per topic at {@code t} ({@link StreamSentinels}); how many Kafka took. */
    private static long closingRound(LocalKafka kafka, String prefix, Instant t) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        long acked = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (String format : HostileCorpus.FILES.keySet()) {
                sent.add(producer.send(new ProducerRecord<>(HostileTopics.topic(prefix, format), null, t.toEpochMilli(),
                        null, StreamSentinels.record(format, t))));
            }
            for (java.util.concurrent.Future<?> f : sent) {
                f.get(60, TimeUnit.SECONDS);
                acked++;
            }
        }
        return acked;
    }

    private static void createTopics(LocalKafka kafka, String prefix, String... others) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (String t : HostileTopics.all(prefix)) {
            topics.add(new NewTopic(t, 1, (short) 1)
                    .configs(Map.of("max.message.bytes", Integer.toString(HostileTopics.MAX_MESSAGE_BYTES))));
        }
        for (String t : others) {
            topics.add(new NewTopic(t, 1, (short) 1));
        }
        try (var admin = kafka.admin()) {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
            // created is not yet writable: a batch for a partition without a leader can expire unsent
            List<String> names = topics.stream().map(NewTopic::name).toList();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                    .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the topics " + names + " have no leader after 60 s");
                }
                Thread.sleep(100);
            }
        }
    }

    /** Puts the corpus in Kafka; records what was produced in {@code r}. Returns the latest ingest time. */
    private static Instant produce(LocalKafka kafka, String prefix, List<HostileCorpus.Item> items, ObjectNode r,
                                PrintWriter out) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // the topic's limit decides: a record the broker refuses is counted, not hidden by the client
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 * HostileTopics.MAX_MESSAGE_BYTES));
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        AtomicLong acked = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicReference<Exception> why = new AtomicReference<>();
        Map<String, Long> byKind = new TreeMap<>();
        long largest = 0;
        Instant last = Instant.EPOCH;
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (String topic : HostileTopics.all(prefix)) {
                producer.partitionsFor(topic); // the producer knows every topic's leader before the first batch
            }
            for (HostileCorpus.Item item : items) {
                send(producer, HostileTopics.topic(prefix, item.format()), item.ingest(), item.bytes(), acked, refused, why);
                byKind.merge(item.kind().id(), 1L, Long::sum);
                largest = Math.max(largest, item.bytes().length);
                last = item.ingest().isAfter(last) ? item.ingest() : last;
            }
            producer.flush();
            r.put("records_produced", acked.get());
            r.put("records_refused_by_kafka", refused.get());
            if (why.get() != null) {
                r.put("kafka_refusal", why.get().getMessage());
            }
            r.set("records_by_kind", EcsJson.MAPPER.valueToTree(byKind));
            r.put("largest_record_bytes", largest);
            r.put("topic_max_message_bytes", HostileTopics.MAX_MESSAGE_BYTES);
            out.printf("stream: put %,d records in Kafka (%,d refused%s) in %.1f s; the largest %,d bytes%n", acked.get(),
                    refused.get(), why.get() == null ? "" : ": " + why.get(), (System.nanoTime() - t0) / 1e9, largest);
            return last;
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, Instant time, byte[] value,
                             AtomicLong acked, AtomicLong refused, AtomicReference<Exception> why) {
        producer.send(new ProducerRecord<>(topic, null, time.toEpochMilli(), null, value), (m, e) -> {
            if (e == null) {
                acked.incrementAndGet();
            } else {
                refused.incrementAndGet();
                why.compareAndSet(null, e);
            }
        });
    }

    private static JobClient startJob(LocalKafka kafka, LocalElasticsearch es, Path chk, String name, String prefix,
                                      String deadLetterTopic, String alertsTopic) throws Exception {
        Map<String, String> m = new HashMap<>(HostileTopics.settings(prefix));
        m.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        m.put("kafka.group-id", name);
        m.put("kafka.dead-letter-topic", deadLetterTopic);
        m.put("kafka.alerts-topic", alertsTopic);
        m.put("elasticsearch.urls", es.url());
        m.put("checkpoints.dir", chk.toString());
        // everything else, detection.mass-activity.max-new-keys-per-minute included, at its default
        VigilConfig config = VigilConfig.of(m, "hostile");
        Connections.installTemplates(Connections.elasticsearch(config));
        Configuration conf = FlinkSettings.flinkConfig(config);
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        // the first failure ends the job: a restart would hide it
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.setString("metrics.reporter.tap.factory.class", MetricsTap.Factory.class.getName());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        StreamingTopology.build(config, RuleSets.load(config), env);
        return env.executeAsync(name);
    }

    /** The sum of the job's metrics named {@code name} (counters of every subtask), -1 when none is registered. */
    private static long metricSum(String name) {
        long n = -1;
        for (MetricsTap.Registered m : MetricsTap.all()) {
            if (m.name().equals(name) && m.number() != null) {
                n = Math.max(n, 0) + m.number().longValue();
            }
        }
        return n;
    }

    /** The job's {@code numRestarts} gauge, -1 when it is not (or no longer) registered. */
    private static long numRestarts() {
        long n = -1;
        for (MetricsTap.Registered m : MetricsTap.all()) {
            if (m.name().equals("numRestarts") && m.number() != null) {
                n = Math.max(n, m.number().longValue());
            }
        }
        return n;
    }

    private static void putRestarts(ObjectNode r, long restarts) {
        if (restarts < 0) {
            r.putNull("restarts"); // the metric was not seen: the job status is the figure
        } else {
            r.put("restarts", restarts);
        }
    }

    private static String failure(JobClient job) {
        try {
            job.getJobExecutionResult().get(30, TimeUnit.SECONDS);
            return "";
        } catch (Exception e) {
            Throwable t = e;
            StringBuilder b = new StringBuilder();
            while (t != null) {
                b.append(b.isEmpty() ? "" : " <- ").append(t);
                t = t.getCause();
            }
            return b.toString();
        }
    }

    private static long counter(Map<String, Object> acc, String name) {
        return acc.get(name) instanceof Long l ? l : 0;
    }

    /** What Elasticsearch holds once the job's output settled. */
    private record Settled(boolean settled, Map<String, Long> deadLettersByKind) {}

    private static Settled awaitOutput(RestClient rest, long deadLetters) throws Exception {
        long deadline = System.nanoTime() + OUTPUT_DEADLINE.toNanos();
        long alerts = -1;
        long since = System.nanoTime();
        Map<String, Long> dead = Map.of();
        while (System.nanoTime() < deadline) {
            dead = deadLettersByKind(rest);
            long a = count(rest, "vigil-alerts-*");
            if (a != alerts) {
                alerts = a;
                since = System.nanoTime();
            }
            long indexed = dead.values().stream().mapToLong(Long::longValue).sum();
            if (indexed >= deadLetters && System.nanoTime() - since >= SETTLED.toNanos()) {
                return new Settled(true, dead);
            }
            Thread.sleep(1000);
        }
        return new Settled(false, dead);
    }

    private static Map<String, Long> deadLettersByKind(RestClient rest) throws Exception {
        JsonNode body = search(rest, "vigil-dead-letters-*", "{\"size\":0,\"track_total_hits\":true,\"aggs\":{\"k\":"
                + "{\"terms\":{\"field\":\"vigil.dead_letter.kind\",\"size\":20}}}}");
        Map<String, Long> out = new TreeMap<>();
        body.at("/aggregations/k/buckets").forEach(b -> out.put(b.get("key").asText(), b.get("doc_count").asLong()));
        return out;
    }

    private static boolean deadLettersWithReason(RestClient rest) throws Exception {
        JsonNode body = search(rest, "vigil-dead-letters-*", "{\"size\":0,\"track_total_hits\":true,\"query\":{\"bool\":"
                + "{\"should\":[{\"bool\":{\"must_not\":{\"exists\":{\"field\":\"reason\"}}}},"
                + "{\"bool\":{\"must_not\":{\"exists\":{\"field\":\"vigil.origin.source\"}}}}]}}}");
        return body.at("/hits/total/value").asLong() == 0;
    }

    private static long count(RestClient rest, String index) throws Exception {
        return search(rest, index, "{\"size\":0,\"track_total_hits\":true}").at("/hits/total/value").asLong();
    }

    private static JsonNode search(RestClient rest, String index, String body) throws Exception {
        rest.performRequest(refresh(index));
        Request search = new Request("GET", "/" + index + "/_search");
        search.addParameter("ignore_unavailable", "true");
        search.addParameter("allow_no_indices", "true");
        search.setJsonEntity(body);
        return EcsJson.MAPPER.readTree(rest.performRequest(search).getEntity().getContent());
    }

    private static Request refresh(String index) {
        Request r = new Request("POST", "/" + index + "/_refresh");
        r.addParameter("ignore_unavailable", "true");
        r.addParameter("allow_no_indices", "true");
        return r;
    }

    /**
     * Every alert in Elasticsearch, read with a scroll and kept in {@code file} (to compare with the
     * replay's {@code alerts.ndjson}): counts in {@code r}; the signatures of the valid records'
     * alerts returned. (The closing records raise none: they are quiet.)
     */
    private static Set<String> readAlerts(RestClient rest, ObjectNode r, Path file) throws Exception {
        rest.performRequest(refresh("vigil-alerts-*"));
        Set<String> signatures = new TreeSet<>();
        long alerts = 0;
        long mass = 0;
        Request first = new Request("POST", "/vigil-alerts-*/_search");
        first.addParameter("scroll", "1m");
        first.addParameter("ignore_unavailable", "true");
        first.addParameter("allow_no_indices", "true");
        first.setJsonEntity("{\"size\":1000,\"sort\":[\"_doc\"]}");
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            JsonNode page = EcsJson.MAPPER.readTree(rest.performRequest(first).getEntity().getContent());
            while (page.at("/hits/hits").size() > 0) {
                for (JsonNode hit : page.at("/hits/hits")) {
                    JsonNode alert = hit.get("_source");
                    w.write(EcsJson.toJson(alert));
                    w.write('\n');
                    alerts++;
                    if (alert.at("/vigil/alert/mass_activity").isObject()) {
                        mass++;
                    }
                    String s = HostileCorpus.validAlertSignature(alert);
                    if (s != null) {
                        signatures.add(s);
                    }
                }
                Request next = new Request("POST", "/_search/scroll");
                next.setJsonEntity("{\"scroll\":\"1m\",\"scroll_id\":\"" + page.get("_scroll_id").asText() + "\"}");
                page = EcsJson.MAPPER.readTree(rest.performRequest(next).getEntity().getContent());
            }
        }
        r.put("alerts", alerts);
        r.put("mass_activity_alerts", mass);
        r.put("valid_alerts", signatures.size());
        return signatures;
    }

    /** {@code valid_alerts_identical<suffix>} in {@code r}, with samples of the differences when they differ. */
    static void compare(ObjectNode r, String suffix, Set<String> got, Set<String> expected) {
        r.put("valid_alerts_identical" + suffix, got.equals(expected));
        if (!got.equals(expected)) {
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(got);
            Set<String> extra = new TreeSet<>(got);
            extra.removeAll(expected);
            r.put("valid_alerts_missing" + suffix, missing.size());
            r.put("valid_alerts_extra" + suffix, extra.size());
            r.set("valid_alerts_missing" + suffix + "_sample", EcsJson.MAPPER.valueToTree(missing.stream().limit(10).toList()));
            r.set("valid_alerts_extra" + suffix + "_sample", EcsJson.MAPPER.valueToTree(extra.stream().limit(10).toList()));
        }
    }

    /** Removes the indices of a run (Elasticsearch refuses wildcard deletes: by name). */
    private static void deleteVigilIndices(RestClient rest) throws Exception {
        Request list = new Request("GET", "/_cat/indices/vigil-*");
        list.addParameter("format", "json");
        list.addParameter("h", "index");
        for (JsonNode i : EcsJson.MAPPER.readTree(rest.performRequest(list).getEntity().getContent())) {
            rest.performRequest(new Request("DELETE", "/" + i.get("index").asText()));
        }
    }
}
