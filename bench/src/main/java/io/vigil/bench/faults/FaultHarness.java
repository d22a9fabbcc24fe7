package io.vigil.bench.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vigil.bench.BenchJson;
import io.vigil.cli.flink.FlinkRest;
import io.vigil.localstack.LocalElasticsearch;
import io.vigil.localstack.LocalKafka;
import io.vigil.localstack.flink.LocalFlinkCluster;
import io.vigil.model.EcsJson;
import io.vigil.simulate.GeneratedRecord;
import io.vigil.simulate.ScenarioGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * The stage of the fault scenarios: a real Kafka broker ({@link LocalKafka}), a real Elasticsearch
 * node ({@link LocalElasticsearch}), a Flink standalone cluster of separate JobManager and
 * TaskManager processes ({@link LocalFlinkCluster}) running the job jar submitted through Flink's
 * REST API ({@link FlinkRest}), and a webhook receiver on loopback ({@link FaultReceiver}).
 *
 * <p>One {@link #run run} feeds the same generated records (fixed seed and timestamps) to topics of
 * its own, read by a job of its own (its consumer group, checkpoint directory and output topics),
 * while a scenario injects its fault; then closing records move the watermark past every window, the
 * outputs settle, and the alert and incident ids in Elasticsearch and the deliveries the receiver
 * accepted are collected. The Vigil indices are emptied between runs, so each run's outputs are its own.
 *
 * <p>The records are produced while the job runs, at {@link Settings#ratePerSecond()} records per
 * second of wall clock, by an idempotent producer ({@code acks=all}), so a broker restart neither
 * loses, duplicates nor reorders input; every record carries its event time as Kafka timestamp.
 */
public final class FaultHarness implements AutoCloseable {

    /** The variable the JobManager and TaskManagers read the webhook signing secret from. */
    public static final String SECRET_ENV = "VIGIL_FAULTS_WEBHOOK_SECRET";
    /** The signing secret of the loopback receiver (a test value, on loopback only). */
    static final String SECRET = "vigil-faults-loopback-secret";
    /** Event time of the first record. */
    public static final Instant START = Instant.parse("2024-11-20T08:00:00Z");
    static final String ENTRY_CLASS = "io.vigil.jobs.stream.StreamingMain";
    static final List<String> FORMATS = List.of(GeneratedRecord.SYSLOG, GeneratedRecord.WINDOWS, GeneratedRecord.ACCESS);
    /** Partitions per raw topic: 6 splits, so parallelism 2 and 4 both have work on every reader. */
    static final int PARTITIONS = 2;
    /** Closing records come this long after the last one, twice: past the longest window (1 h). */
    static final Duration CLOSING_AFTER = Duration.ofHours(2);
    static final String ENDPOINT = "faults";

    /**
     * What a series of runs shares.
     *
     * @param records generated records per run
     * @param attackEvery one attack scenario per this many benign records
     * @param ratePerSecond records produced per second of wall clock while the job runs
     * @param taskManagers TaskManagers of the cluster at the start of each run
     * @param slots slots per TaskManager
     * @param parallelism the job's parallelism
     * @param checkpointInterval the job's checkpoint interval
     * @param settle outputs unchanged this long (and the receiver quiet): the run has written everything
     * @param deadline the longest any wait of a run may take
     * @param outage how long the Elasticsearch node stays down
     */
    public record Settings(long records, long seed, int attackEvery, long ratePerSecond, int taskManagers, int slots,
                           int parallelism, Duration checkpointInterval, Duration settle, Duration deadline,
                           Duration outage) {

        /** The full bench run: 1M records. */
        public static Settings full() {
            return new Settings(1_000_000, 19, 1000, 20_000, 2, 2, 2, Duration.ofSeconds(1), Duration.ofSeconds(10),
                    Duration.ofMinutes(10), Duration.ofSeconds(60));
        }

        /** {@code --quick} and the tests: a few tens of thousands of records. */
        public static Settings quick(long records) {
            return new Settings(records, 19, 100, 4_000, 2, 2, 2, Duration.ofSeconds(1), Duration.ofSeconds(4),
                    Duration.ofMinutes(3), Duration.ofSeconds(5));
        }

        public Settings withRecords(long n) {
            return new Settings(n, seed, attackEvery, ratePerSecond, taskManagers, slots, parallelism,
                    checkpointInterval, settle, deadline, outage);
        }
    }

    /** The ids a run wrote, each with how many times it was found, and the webhook deliveries. */
    public record Outputs(Map<String, Long> alerts, Map<String, Long> incidents, Map<String, Integer> accepted,
                          Map<String, String> deadLettered) {}

    /** A run: its outputs and its figures (times, checkpoints, receiver answers, the scenario's own). */
    public record Result(String name, Outputs outputs, ObjectNode figures) {}

    private final Settings settings;
    private final Path work;
    private final Path jobJar;
    private final PrintWriter log;
    private final LocalKafka kafka;
    private final LocalElasticsearch es;
    private final RestClient rest;
    private final LocalFlinkCluster cluster;
    private final FlinkRest flink;
    private String jarId;

    private FaultHarness(Settings settings, Path work, Path jobJar, PrintWriter log, LocalKafka kafka,
                         LocalElasticsearch es, LocalFlinkCluster cluster) {
        this.settings = settings;
        // the JobManager reads the configuration files: absolute paths
        this.work = work.toAbsolutePath();
        this.jobJar = jobJar;
        this.log = log;
        this.kafka = kafka;
        this.es = es;
        this.rest = RestClient.builder(org.apache.http.HttpHost.create(es.url())).build();
        this.cluster = cluster;
        this.flink = new FlinkRest(cluster.restUrl(), Duration.ofSeconds(60));
    }

    /** Starts the broker, the node and the cluster; {@code jobJar} is the job jar submitted to it. */
    public static FaultHarness start(Settings settings, Path work, Path jobJar, PrintWriter log) throws IOException {
        if (!Files.isRegularFile(jobJar)) {
            throw new IOException("no job jar at " + jobJar + ": build it with ./mvnw -o -q -B install -DskipTests");
        }
        LocalKafka kafka = LocalKafka.start();
        LocalElasticsearch es = null;
        LocalFlinkCluster cluster = null;
        try {
            es = LocalElasticsearch.builder().build().start();
            cluster = LocalFlinkCluster.builder().workDir(work.toAbsolutePath().resolve("flink")).taskManagers(settings.taskManagers())
                    .slots(settings.slots()).restPort(0)
                    // a TaskManager killed with -9 is noticed in seconds, not the default 50 s
                    .set("heartbeat.interval", "2000").set("heartbeat.timeout", "10000")
                    // every failure is retried, at once: the job must come back, whatever the fault
                    .set("restart-strategy.type", "fixed-delay")
                    .set("restart-strategy.fixed-delay.attempts", Integer.toString(Integer.MAX_VALUE))
                    .set("restart-strategy.fixed-delay.delay", "1 s")
                    .environment(Map.of(SECRET_ENV, SECRET))
                    .build().start();
            log.printf("fault harness: Kafka %s, Elasticsearch %s, Flink %s (%d TaskManagers × %d slots)%n",
                    kafka.bootstrapServers(), es.url(), cluster.restUrl(), settings.taskManagers(), settings.slots());
            log.flush();
            return new FaultHarness(settings, work, jobJar, log, kafka, es, cluster);
        } catch (IOException | RuntimeException e) {
            if (cluster != null) {
                cluster.stop();
            }
            if (es != null) {
                es.close();
            }
            kafka.close();
            throw e;
        }
    }

    public Settings settings() {
        return settings;
    }

    public LocalFlinkCluster cluster() {
        return cluster;
    }

    public LocalKafka kafka() {
        return kafka;
    }

    public LocalElasticsearch elasticsearch() {
        return es;
    }

    public FlinkRest flink() {
        return flink;
    }

    PrintWriter log() {
        return log;
    }

    /** Runs the records through a job of their own while {@code scenario} injects its fault. */
    public Result run(FaultScenario scenario) throws Exception {
        return new Run(scenario).execute();
    }

    /** One run: what a scenario uses to inject its fault and measure the recovery. */
    public final class Run {
        final FaultScenario scenario;
        final String name;
        final ObjectNode figures = BenchJson.object();
        final AtomicLong produced = new AtomicLong();
        final Path checkpoints;
        private final AtomicReference<Exception> producerFailure = new AtomicReference<>();
        private final java.util.concurrent.Semaphore pause = new java.util.concurrent.Semaphore(1);
        private FaultReceiver receiver;
        private volatile String jobId;
        private Instant lastRecordTime = START;

        Run(FaultScenario scenario) {
            this.scenario = scenario;
            this.name = scenario.id();
            this.checkpoints = cluster.checkpointDir().resolve(name);
        }

        /**
         * The raw topics have the same names in every run, recreated empty: an event's id derives from
         * its origin (topic, partition, offset), and so the alert ids from it.
         */
        String topic(String format) {
            return "faults.raw." + format;
        }

        String jobId() {
            return jobId;
        }

        Settings settings() {
            return settings;
        }

        FaultHarness harness() {
            return FaultHarness.this;
        }

        Result execute() throws Exception {
            long t0 = System.nanoTime();
            cleanOutputs();
            matchTaskManagers(settings.taskManagers());
            recreateRawTopics();
            kafka.createTopics(1, name + ".dead-letters", name + ".alerts");
            Files.createDirectories(work);
            receiver = scenario.faultyReceiver()
                    ? FaultReceiver.faulty(SECRET, 0.5, settings.seed(), WEBHOOK_TIMEOUT.plusMillis(500))
                    : FaultReceiver.healthy(SECRET);
            try {
                jobId = submit(settings.parallelism(), null);
                awaitRunning(jobId);
                // every task running: a first checkpoint completed (a savepoint needs them all)
                awaitCheckpoints(1);
                figures.put("job_running_ms", (System.nanoTime() - t0) / 1_000_000);
                Thread producer = new Thread(this::produce, "fault-producer");
                producer.setDaemon(true);
                producer.start();
                log.printf("%s: job %s running, producing %,d records at %,d/s%n", name, jobId, settings.records(),
                        scenario.ratePerSecond(settings));
                log.flush();
                scenario.inject(this);
                producer.join(settings.deadline().toMillis());
                if (producerFailure.get() != null) {
                    throw new IllegalStateException("producing the records failed", producerFailure.get());
                }
                figures.put("produced_ms", (System.nanoTime() - t0) / 1_000_000);
                awaitConsumed("the records");
                figures.put("caught_up_ms", (System.nanoTime() - t0) / 1_000_000);
                for (int round = 1; round <= 2; round++) {
                    closingRound(lastRecordTime.plus(CLOSING_AFTER.multipliedBy(round)), round);
                    awaitConsumed("closing round " + round);
                }
                figures.put("closed_ms", (System.nanoTime() - t0) / 1_000_000);
                // the input as the job read it: the same in every run, or the comparison compares other records
                figures.put("input_records", endOffsets());
                awaitCheckpoints(2);
                awaitSettled();
                Outputs outputs = collect();
                FlinkRest.Checkpoints c = flink.checkpoints(jobId);
                ObjectNode chk = figures.putObject("checkpoints");
                chk.put("completed", c.completed());
                chk.put("failed", c.failed());
                chk.put("restored", c.restored());
                figures.put("job_state", flink.job(jobId).state());
                figures.set("receiver", EcsJson.MAPPER.valueToTree(receiver.answers()));
                figures.put("elapsed_ms", (System.nanoTime() - t0) / 1_000_000);
                log.printf("%s: %,d alerts, %,d incidents, %,d webhook keys accepted, %,d dead-lettered in %.0f s (%s)%n",
                        name, outputs.alerts().size(), outputs.incidents().size(), outputs.accepted().size(),
                        outputs.deadLettered().size(), (System.nanoTime() - t0) / 1e9, figures);
                log.flush();
                return new Result(name, outputs, figures);
            } catch (Exception | AssertionError e) {
                log.printf("%s failed: %s%n--- cluster logs ---%n%s%n", name, e, cluster.logTail());
                log.flush();
                throw e;
            } finally {
                cancelQuietly();
                receiver.close();
            }
        }

        /** The job from the yaml of this run at {@code parallelism}, restoring {@code savepoint} when not null. */
        String submit(int parallelism, String savepoint) throws IOException {
            Path yaml = writeConfig(parallelism);
            if (jarId == null) {
                jarId = flink.uploadJar(jobJar);
            }
            try {
                return flink.runJar(jarId, ENTRY_CLASS, List.of("--config", yaml.toString()), parallelism, savepoint, false);
            } catch (IOException e) {
                // a JobManager started again has no jars: upload it once more
                jarId = flink.uploadJar(jobJar);
                return flink.runJar(jarId, ENTRY_CLASS, List.of("--config", yaml.toString()), parallelism, savepoint, false);
            }
        }

        /** A JobManager started again knows no jar. */
        void forgetJar() {
            jarId = null;
        }

        void jobId(String id) {
            this.jobId = id;
        }

        private Path writeConfig(int parallelism) throws IOException {
            Map<String, String> c = new LinkedHashMap<>();
            c.put("kafka.bootstrap-servers", kafka.bootstrapServers());
            StringBuilder topics = new StringBuilder();
            for (String f : FORMATS) {
                topics.append(topics.isEmpty() ? "" : ",").append(topic(f)).append(':').append(f);
            }
            c.put("kafka.topics", topics.toString());
            c.put("kafka.group-id", name);
            c.put("kafka.dead-letter-topic", name + ".dead-letters");
            c.put("kafka.alerts-topic", name + ".alerts");
            c.put("elasticsearch.urls", es.url());
            c.put("elasticsearch.bulk.flush-interval", "200ms");
            // every partition gets records, the closing ones too, so no subtask needs to be declared idle:
            // idleness is wall-clock time, and a subtask idled under load lets the others' watermark pass
            // its records, which then count late, in arrival order (docs/faults.md#what-the-runs-found)
            c.put("detection.idle-timeout", "0ms");
            // watermarks are made after decoding, per subtask, over the records of all the partitions it
            // reads: the event times of two partitions drift apart by what one fetch or a backlog holds,
            // and with the default bound (500 ms) the records of the slower partition came late and were
            // applied in arrival order, so two fault-free runs differed (docs/faults.md#what-the-runs-found)
            c.put("detection.out-of-orderness", OUT_OF_ORDERNESS.toSeconds() + "s");
            c.put("checkpoints.interval", settings.checkpointInterval().toMillis() + "ms");
            c.put("checkpoints.dir", checkpoints.toString());
            c.put("parallelism", Integer.toString(parallelism));
            String p = "webhooks.endpoints." + ENDPOINT + ".";
            c.put(p + "url", receiver.url("/hooks/vigil"));
            c.put(p + "secret-env", SECRET_ENV);
            c.put(p + "send", "alerts;incidents");
            c.put(p + "timeout", WEBHOOK_TIMEOUT.toMillis() + "ms");
            c.put(p + "initial-backoff", "100ms");
            c.put(p + "max-backoff", "1s");
            c.put(p + "rate-limit", "0");
            c.put(p + "max-in-flight", "16");
            Path yaml = work.resolve(name + "-p" + parallelism + ".yaml");
            Files.createDirectories(work);
            new ObjectMapper(new YAMLFactory()).writeValue(yaml.toFile(), c);
            return yaml;
        }

        /** The records, paced, by an idempotent producer; the last one's event time is kept for the closing rounds. */
        private void produce() {
            ScenarioGenerator gen = new ScenarioGenerator(settings.seed(), START, 1000, settings.attackEvery());
            // each format's records go round its partitions: the same record at the same offset in every run
            Map<String, Integer> next = new HashMap<>();
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                long start = System.nanoTime();
                long rate = scenario.ratePerSecond(settings);
                for (long i = 0; i < settings.records(); i++) {
                    GeneratedRecord r = gen.next();
                    if (!pause.tryAcquire()) {
                        // paused: what was sent is acknowledged before the pause begins
                        producer.flush();
                        pause.acquire();
                    }
                    pause.release();
                    long due = start + i * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 1_000_000) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    int partition = next.merge(r.format(), 1, Integer::sum) % PARTITIONS;
                    producer.send(new ProducerRecord<>(topic(r.format()), partition, r.time().toEpochMilli(), null, r.bytes()),
                            (m, e) -> {
                                if (e != null) {
                                    producerFailure.compareAndSet(null, e);
                                }
                            });
                    lastRecordTime = r.time();
                    produced.incrementAndGet();
                }
                producer.flush();
            } catch (Exception e) {
                producerFailure.compareAndSet(null, e);
            }
        }

        /** Deletes the raw topics left by the run before, waits until they are gone, and creates them empty. */
        private void recreateRawTopics() throws Exception {
            List<String> raw = FORMATS.stream().map(this::topic).toList();
            try (Admin admin = kafka.admin()) {
                List<String> old = raw.stream().filter(t -> {
                    try {
                        return admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(t);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
                if (!old.isEmpty()) {
                    admin.deleteTopics(old).all().get(30, TimeUnit.SECONDS);
                }
                await("the raw topics of the last run deleted", () -> {
                    try {
                        return admin.listTopics().names().get(10, TimeUnit.SECONDS).stream().noneMatch(raw::contains);
                    } catch (Exception e) {
                        return false;
                    }
                });
            }
            kafka.createTopics(PARTITIONS, raw.toArray(String[]::new));
            // every partition known, and empty
            await("the raw topics created again, empty", () -> {
                try {
                    return endOffsets() == 0;
                } catch (Exception e) {
                    return false;
                }
            });
        }

        /** One benign record on every partition of every raw topic at {@code time}: the watermark passes every window. */
        private void closingRound(Instant time, int round) throws Exception {
            ScenarioGenerator gen = new ScenarioGenerator(settings.seed() + round, time, 1000, 0);
            Map<String, GeneratedRecord> one = new HashMap<>();
            while (one.size() < FORMATS.size()) {
                GeneratedRecord r = gen.next();
                one.putIfAbsent(r.format(), r);
            }
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                for (String f : FORMATS) {
                    GeneratedRecord r = one.get(f);
                    for (int p = 0; p < PARTITIONS; p++) {
                        producer.send(new ProducerRecord<>(topic(f), p, r.time().toEpochMilli(), null, r.bytes())).get();
                    }
                }
            }
        }

        /**
         * Runs {@code action} with production paused and every record sent so far acknowledged: the
         * shipper waits while the broker restarts, so the input is the same records at the same offsets
         * as in the fault-free run (an event's id, and so an alert's, derives from its offset).
         */
        void whileProductionPaused(FaultScenario.Action action) throws Exception {
            pause.acquire();
            try {
                // the producer has flushed what it sent and waits (or has produced everything)
                await("the producer paused", () -> pause.hasQueuedThreads() || produced.get() >= settings.records());
                action.run();
            } finally {
                pause.release();
            }
        }

        /** Produced fraction reached (or production over). */
        void awaitProduced(double fraction) throws InterruptedException {
            long target = Math.round(settings.records() * fraction);
            await("produced " + target, () -> produced.get() >= target || producerFailure.get() != null);
        }

        /** Until the job is running, a checkpoint completed after {@code since}: the time from {@code since}. */
        Duration awaitRecovery(Instant since) throws InterruptedException {
            await("a checkpoint completed after " + since, () -> {
                String id = jobId;
                if (id == null || !"RUNNING".equals(state(id))) {
                    return false;
                }
                try {
                    Instant latest = flink.checkpoints(id).latestCompleted();
                    return latest != null && latest.isAfter(since);
                } catch (IOException e) {
                    return false;
                }
            });
            return Duration.between(since, Instant.now());
        }

        void awaitRunning(String id) throws InterruptedException {
            await("job " + id + " running", () -> "RUNNING".equals(state(id)));
        }

        /** The job's state, or {@code null} while the REST API does not answer. */
        private String state(String id) {
            try {
                return flink.job(id).state();
            } catch (IOException e) {
                return null;
            }
        }

        /** Every record in the raw topics read and committed with a checkpoint. */
        private void awaitConsumed(String what) throws InterruptedException {
            await("the job to have read " + what, () -> {
                try {
                    return lag() == 0;
                } catch (Exception e) {
                    return false;
                }
            });
        }

        /** Records in the raw topics not yet committed by the run's consumer group. */
        long lag() throws Exception {
            return offsets(true);
        }

        /** Records in the raw topics. */
        long endOffsets() throws Exception {
            return offsets(false);
        }

        private long offsets(boolean lagOnly) throws Exception {
            try (Admin admin = kafka.admin()) {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (String f : FORMATS) {
                    for (int p = 0; p < PARTITIONS; p++) {
                        latest.put(new TopicPartition(topic(f), p), OffsetSpec.latest());
                    }
                }
                var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(name)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                long lag = 0;
                for (var e : ends.entrySet()) {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    lag += e.getValue().offset() - (c == null || !lagOnly ? 0 : c.offset());
                }
                return lag;
            }
        }

        /**
         * {@code n} more checkpoints completed: the sinks flush on every checkpoint barrier, and a
         * barrier after the watermark the closing records moved follows everything that watermark fired.
         */
        private void awaitCheckpoints(int n) throws Exception {
            long from = flink.checkpoints(jobId).completed();
            await(n + " more checkpoints", () -> {
                try {
                    return flink.checkpoints(jobId).completed() >= from + n;
                } catch (IOException e) {
                    return false;
                }
            });
        }

        /** Output counts and the receiver unchanged for {@link Settings#settle()}. */
        private void awaitSettled() throws Exception {
            long deadline = System.nanoTime() + settings.deadline().toNanos();
            List<Long> last = null;
            long since = System.nanoTime();
            while (true) {
                List<Long> now = List.of(count("vigil-alerts-*"), count(INCIDENTS), count(DEAD_LETTERS),
                        receiver.requests());
                if (!now.equals(last)) {
                    last = now;
                    since = System.nanoTime();
                } else if (System.nanoTime() - since >= settings.settle().toNanos()
                        && receiver.quietFor().compareTo(settings.settle()) >= 0) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + ": outputs did not settle within " + settings.deadline()
                            + "; last counts " + last);
                }
                Thread.sleep(500);
            }
        }

        private Outputs collect() throws IOException {
            refresh();
            Map<String, Long> alerts = ids("vigil-alerts-*");
            // what each alert is, beside the ids: to look up what a comparison names
            StringBuilder tsv = new StringBuilder("id\tindex\trule\tstart\ttimestamp\tgroup\n");
            for (JsonNode hit : scroll("vigil-alerts-*", "rule.id,event.start,@timestamp,vigil.alert.group_key")) {
                JsonNode src = hit.path("_source");
                tsv.append(hit.path("_id").asText()).append('\t').append(hit.path("_index").asText()).append('\t')
                        .append(src.at("/rule/id").asText()).append('\t').append(src.at("/event/start").asText())
                        .append('\t').append(src.path("@timestamp").asText()).append('\t')
                        .append(src.at("/vigil/alert/group_key").asText()).append('\n');
            }
            Files.writeString(work.resolve(name + "-alerts.tsv"), tsv.toString());
            Map<String, Long> incidents = ids(INCIDENTS);
            Map<String, String> dead = new TreeMap<>();
            for (JsonNode hit : scroll(DEAD_LETTERS, "decoder,reason,vigil.origin")) {
                JsonNode s = hit.path("_source");
                if (!"webhook".equals(s.path("decoder").asText())) {
                    continue;
                }
                // origin webhook:<endpoint>/<idempotency key>
                String source = s.at("/vigil/origin/source").asText();
                String key = source.startsWith(ENDPOINT + "/") ? source.substring(ENDPOINT.length() + 1) : source;
                dead.put(key, s.path("reason").asText());
            }
            return new Outputs(alerts, incidents, receiver.accepted(), dead);
        }

        private void cancelQuietly() {
            String id = jobId;
            if (id == null) {
                return;
            }
            List<String> ended = List.of("FINISHED", "CANCELED", "FAILED");
            try {
                if (!ended.contains(flink.job(id).state())) {
                    flink.cancel(id);
                }
                await("job " + id + " to stop", () -> ended.contains(state(id)));
            } catch (Exception e) {
                log.printf("%s: cancelling job %s: %s%n", name, id, e);
            }
        }

        void await(String what, BooleanSupplier condition) throws InterruptedException {
            FaultHarness.this.await(name + ": " + what, condition);
        }
    }

    /** The webhook client's timeout; the receiver's "timeout" holds a request longer. */
    static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(3);
    /** Larger than any drift between the partitions one subtask reads (see {@code writeConfig}). */
    static final Duration OUT_OF_ORDERNESS = Duration.ofMinutes(2);
    static final String INCIDENTS = "vigil-incidents";
    static final String DEAD_LETTERS = "vigil-dead-letters-*";

    /** Polls {@code condition} every 200 ms until it holds; fails after the settings' deadline. */
    void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + settings.deadline().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + settings.deadline() + " waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    /** Starts or kills TaskManagers until {@code n} are alive (an earlier run may have killed or added some). */
    private void matchTaskManagers(int n) throws IOException {
        List<Integer> live = cluster.liveTaskManagers();
        for (int i = live.size(); i < n; i++) {
            cluster.startTaskManager();
        }
        for (int i = n; i < live.size(); i++) {
            cluster.killTaskManager(live.get(i));
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // a broker restart takes seconds: keep retrying well past it
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "300000");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Deletes the Vigil indices a run writes (the templates stay): each run's outputs are its own. */
    private void cleanOutputs() throws IOException {
        for (String pattern : List.of("vigil-alerts-*", INCIDENTS, "vigil-timeline-*", DEAD_LETTERS,
                "vigil-deliveries-*", "vigil-events-*")) {
            Request r = new Request("DELETE", "/" + pattern);
            r.addParameter("ignore_unavailable", "true");
            r.addParameter("allow_no_indices", "true");
            rest.performRequest(r);
        }
    }

    private void refresh() throws IOException {
        Request r = new Request("POST", "/vigil-*/_refresh");
        r.addParameter("ignore_unavailable", "true");
        r.addParameter("allow_no_indices", "true");
        rest.performRequest(r);
    }

    private long count(String index) {
        try {
            refresh();
            Request r = new Request("GET", "/" + index + "/_count");
            r.addParameter("ignore_unavailable", "true");
            r.addParameter("allow_no_indices", "true");
            return EcsJson.MAPPER.readTree(rest.performRequest(r).getEntity().getContent()).path("count").asLong();
        } catch (IOException e) {
            // the node is down (an outage) or the index not there yet
            return -1;
        }
    }

    /** Each document id of {@code index} (a pattern), with the number of indices holding it. */
    private Map<String, Long> ids(String index) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        for (JsonNode hit : scroll(index, null)) {
            out.merge(hit.path("_id").asText(), 1L, Long::sum);
        }
        return out;
    }

    /** Every hit of {@code index}, with only {@code fields} of the source (none when null). */
    private List<JsonNode> scroll(String index, String fields) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        Request first = new Request("POST", "/" + index + "/_search");
        first.addParameter("scroll", "1m");
        first.addParameter("ignore_unavailable", "true");
        first.addParameter("allow_no_indices", "true");
        first.setJsonEntity("{\"size\":5000,\"sort\":[\"_doc\"],\"_source\":"
                + (fields == null ? "false" : "[\"" + String.join("\",\"", fields.split(",")) + "\"]") + "}");
        JsonNode page = EcsJson.MAPPER.readTree(rest.performRequest(first).getEntity().getContent());
        while (true) {
            JsonNode hits = page.path("hits").path("hits");
            hits.forEach(out::add);
            String scrollId = page.path("_scroll_id").asText(null);
            if (hits.isEmpty() || scrollId == null) {
                if (scrollId != null) {
                    Request clear = new Request("DELETE", "/_search/scroll");
                    clear.setJsonEntity("{\"scroll_id\":\"" + scrollId + "\"}");
                    try {
                        rest.performRequest(clear);
                    } catch (ResponseException ignored) {
                        // expired already
                    }
                }
                return out;
            }
            Request next = new Request("POST", "/_search/scroll");
            next.setJsonEntity("{\"scroll\":\"1m\",\"scroll_id\":\"" + scrollId + "\"}");
            page = EcsJson.MAPPER.readTree(rest.performRequest(next).getEntity().getContent());
        }
    }

    /** The job jar the build wrote: {@code jobs/target/vigil-jobs-*-job.jar} under {@code root}. */
    public static Path jobJar(Path root) throws IOException {
        Path target = root.resolve("jobs/target");
        if (Files.isDirectory(target)) {
            try (var files = Files.list(target)) {
                var jar = files.filter(f -> f.getFileName().toString().matches("vigil-jobs-.*-job\\.jar")).findFirst();
                if (jar.isPresent()) {
                    return jar.get();
                }
            }
        }
        throw new IOException("no job jar in " + target.toAbsolutePath() + ": run ./mvnw -o -q -B install -DskipTests");
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    @Override
    public void close() {
        try {
            rest.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                cluster.stop();
            } finally {
                try {
                    es.close();
                } finally {
                    kafka.close();
                }
            }
        }
    }
}
