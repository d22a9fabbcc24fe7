package io.vigil.cli.stream;

import io.vigil.jobs.stream.StreamingJobTest;
import io.vigil.jobs.stream.StreamingServices;

import io.vigil.jobs.stream.StreamingTopology;
import io.vigil.jobs.wiring.FlinkSettings;
import io.vigil.jobs.wiring.Connections;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.cli.VigilCli;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.decode.DecodeCounters;
import io.vigil.jobs.replay.ReplayRunner;
import io.vigil.simulate.HostileCorpus;
import io.vigil.simulate.HostileCorpus.Item;
import io.vigil.simulate.HostileCorpus.Kind;
import io.vigil.model.DeadLetter;
import io.vigil.model.EcsJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.elasticsearch.client.Request;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The hostile-input suite through the streaming job (issue 13): the corpus of {@link
 * io.vigil.jobs.replay.HostileReplayTest} (over a hundred thousand records, every hostile kind, the
 * 1 MB records on topics that take them), one Kafka topic per format, each record stamped with its
 * ingest time, read by the job at parallelism 2 into Elasticsearch with restarts switched off: a
 * record that failed the job would fail this test. The job runs as {@code vigil stream} runs it on
 * its embedded default (a local environment of its own), so the replay of the valid records can
 * run beside it. Every record is counted as decoded or as one
 * dead letter with a reason, only hostile records are dead letters, forged times are event-time
 * dead letters, and the valid records raise exactly the alerts a replay of them alone raises.
 *
 * <p>Determinism: the out-of-orderness is longer than the corpus, so no record is late whatever
 * order the job reads the topics in, and one record far later, sent once every other was read,
 * moves the watermark past every window and suppression.
 */
class HostileStreamingTest {

    private static final String PREFIX = "hs";
    private static final Duration DEADLINE = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    @BeforeAll
    static void services() {
        StreamingJobTest.services();
    }

    /** A condition of the running system. */
    private interface Check {
        boolean holds() throws Exception;
    }

    @Test
    void theHostileCorpusThroughKafkaNeitherStopsDetectionNorChangesTheValidAlerts() throws Exception {
        HostileCorpus corpus = new HostileCorpus(13, Instant.parse("2026-03-02T08:00:00Z"), 90_000, 1_200);
        Map<String, String> topicOf = new LinkedHashMap<>();
        HostileCorpus.FILES.keySet().forEach(format -> topicOf.put(format, PREFIX + "." + format));
        createTopics(topicOf.values());

        // what was produced where: a dead letter's origin says which record it stands for
        Map<String, Item> byOrigin = new HashMap<>();
        Map<String, Long> offsets = new HashMap<>();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (Item item : corpus.mixed()) {
            String topic = topicOf.get(item.format());
            long offset = offsets.merge(topic, 1L, Long::sum) - 1;
            byOrigin.put(topic + "/0@" + offset, item);
            records.add(new ProducerRecord<>(topic, 0, item.ingest().toEpochMilli(), null, item.bytes()));
        }
        produce(records);

        Map<String, String> settings = new StreamingJobTest().settings(PREFIX, dir.resolve("chk").toString());
        StringBuilder topics = new StringBuilder();
        topicOf.forEach((format, topic) -> topics.append(topics.isEmpty() ? "" : ",").append(topic).append(':')
                .append(HostileCorpus.vigilFormat(format)));
        settings.put("kafka.topics", topics.toString());
        settings.put("kafka.zeek-headers." + topicOf.get(HostileCorpus.ZEEK), HostileCorpus.ZEEK_CONN_HEADER);
        settings.put("detection.out-of-orderness", "1h");
        settings.put("parallelism", "2");
        VigilConfig config = VigilConfig.of(settings, "test");
        Configuration flink = FlinkSettings.flinkConfig(config, null);
        // any failure fails the job, and this test: no restart hides it
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        Connections.installTemplates(Connections.elasticsearch(config));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        StreamingTopology.build(config, StreamingServices.RULES, env);
        JobClient job = env.executeAsync("hostile streaming test");
        try {
            long produced = records.size();
            await("every record read", job, () -> counter(job, DecodeCounters.RECORDS) >= produced);
            // far after the flood: the watermark passes every window and suppression of the corpus
            Instant last = corpus.validEnd().plus(Duration.ofHours(3));
            StreamingJobTest.produce(List.of(StreamingJobTest.record(topicOf.get(HostileCorpus.ECS), last,
                    "{\"@timestamp\":\"" + last + "\",\"event\":{\"action\":\"flow\"},\"host\":{\"name\":\"gw01\"}}")));

            // the valid records alone, replayed
            Set<String> expected = replayValidAlerts(corpus);
            assertThat(expected).as("the valid corpus raises alerts of its own").hasSizeGreaterThan(20);
            List<JsonNode> alerts = new ArrayList<>();
            await("the valid records' alerts and the flood's mass-activity alert", job, () -> {
                alerts.clear();
                alerts.addAll(alertsOfThisTest());
                // (the job's counters reach the client with its heartbeats: the closing record too)
                return validSignatures(alerts).equals(expected) && alerts.stream()
                        .anyMatch(a -> a.at("/vigil/alert/mass_activity").isObject())
                        && counter(job, DecodeCounters.RECORDS) == produced + 1;
            });

            Map<String, Object> acc = job.getAccumulators().get();
            long read = (Long) acc.get(DecodeCounters.RECORDS);
            assertThat(read).isEqualTo(produced + 1);
            long dead = (Long) acc.get(DecodeCounters.DEAD_LETTERS);
            assertThat((Long) acc.get(DecodeCounters.DECODED) + dead).isEqualTo(read);
            // forged and future times are event-time dead letters, all of them, and only they
            Map<Kind, Integer> counts = corpus.counts();
            @SuppressWarnings("unchecked")
            Map<String, Long> byKind = new TreeMap<>((Map<String, Long>) acc.get(DecodeCounters.DEAD_BY_KIND));
            assertThat(byKind.keySet()).isSubsetOf(DeadLetter.DECODE, DeadLetter.EVENT_TIME);
            assertThat(byKind.get(DeadLetter.EVENT_TIME))
                    .isEqualTo((long) counts.get(Kind.FORGED_TIME) + counts.get(Kind.FUTURE_TIME));

            // every dead letter in Kafka has a reason and stands for a hostile record
            List<ConsumerRecord<String, String>> letters = StreamingJobTest.consume(PREFIX + ".dead-letters", (int) dead);
            assertThat(letters).hasSize((int) dead);
            Map<Kind, Long> deadByCorpusKind = new TreeMap<>();
            for (ConsumerRecord<String, String> r : letters) {
                JsonNode letter = EcsJson.MAPPER.readTree(r.value());
                assertThat(letter.path("reason").asText()).as("reason of %s", r.key()).isNotBlank();
                Item item = byOrigin.get(r.key());
                assertThat(item).as("the record of dead letter %s", r.key()).isNotNull();
                assertThat(item.hostile()).as("dead letter %s: %s", r.key(), letter.path("reason").asText()).isTrue();
                deadByCorpusKind.merge(item.kind(), 1L, Long::sum);
            }
            // the records no decoder can read are dead letters, every one
            for (Kind k : List.of(Kind.RANDOM_BYTES, Kind.DEEP_JSON, Kind.MEGABYTE_LINE, Kind.FORGED_TIME,
                    Kind.FUTURE_TIME)) {
                assertThat(deadByCorpusKind.get(k)).as("dead letters of %s", k).isEqualTo((long) counts.get(k));
            }
            // and they reached Elasticsearch too
            assertThat(count("vigil-dead-letters-*")).isEqualTo(dead);
            // no index for a day after the records' ingest
            assertThat(indices("vigil-*-2099.*,vigil-*-0001.*,vigil-*-1970.*")).isEmpty();

            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            StreamingJobTest.cancel(job);
            removeDocumentsOfThisTest(corpus);
        }
    }

    /**
     * Removes what the job wrote: the corpus's documentation addresses (203.0.113.0/24,
     * 198.51.100.0/24) are other streaming tests' too, and the Elasticsearch node is shared.
     */
    private static void removeDocumentsOfThisTest(HostileCorpus corpus) throws Exception {
        String from = corpus.mixed().get(0).ingest().toString();
        Request days = new Request("DELETE", "/vigil-*-2026.03.*");
        days.addParameter("ignore_unavailable", "true");
        days.addParameter("expand_wildcards", "all");
        StreamingServices.REST.performRequest(days);
        // (the node has no reindex module, so no _delete_by_query: the incidents are found, then deleted)
        Request refresh = new Request("POST", "/vigil-incidents/_refresh");
        refresh.addParameter("ignore_unavailable", "true");
        StreamingServices.REST.performRequest(refresh);
        Request search = new Request("GET", "/vigil-incidents/_search");
        search.addParameter("ignore_unavailable", "true");
        search.setJsonEntity("{\"size\":10000,\"_source\":false,\"query\":{\"range\":{\"vigil.incident.first_seen\":"
                + "{\"gte\":\"" + from + "\",\"lt\":\"2026-03-03T00:00:00Z\"}}}}");
        StringBuilder deletes = new StringBuilder();
        EcsJson.MAPPER.readTree(StreamingServices.REST.performRequest(search).getEntity().getContent())
                .at("/hits/hits").forEach(h -> deletes.append("{\"delete\":{\"_index\":")
                        .append(h.get("_index")).append(",\"_id\":").append(h.get("_id")).append("}}\n"));
        if (!deletes.isEmpty()) {
            Request bulk = new Request("POST", "/_bulk");
            bulk.addParameter("refresh", "true");
            bulk.setJsonEntity(deletes.toString());
            StreamingServices.REST.performRequest(bulk);
        }
    }

    private static void createTopics(Iterable<String> formats) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        // the 1 MB records: Kafka's own default limit is about 1 MB
        for (String topic : formats) {
            topics.add(new NewTopic(topic, 1, (short) 1).configs(Map.of("max.message.bytes", String.valueOf(4 << 20))));
        }
        topics.add(new NewTopic(PREFIX + ".dead-letters", 1, (short) 1));
        topics.add(new NewTopic(PREFIX + ".alerts", 1, (short) 1));
        try (Admin admin = StreamingServices.KAFKA.admin()) {
            admin.createTopics(topics).all().get();
        }
    }

    private static void produce(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, StreamingServices.KAFKA.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(4 << 20));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        List<Exception> failures = new CopyOnWriteArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(r, (meta, e) -> {
                    if (e != null) {
                        failures.add(e);
                    }
                });
            }
            producer.flush();
        }
        assertThat(failures).as("records Kafka refused").isEmpty();
    }

    private static long counter(JobClient job, String name) throws Exception {
        return job.getAccumulators().get().get(name) instanceof Long l ? l : 0;
    }

    /** Polls {@code condition} until it holds, failing at once when the job is no longer running. */
    private static void await(String what, JobClient job, Check condition) throws Exception {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            JobStatus status = job.getJobStatus().get();
            if (status == JobStatus.FAILING || status == JobStatus.RESTARTING || status.isGloballyTerminalState()) {
                Throwable cause = null;
                try {
                    job.getJobExecutionResult().get(1, TimeUnit.MINUTES);
                } catch (Exception e) {
                    cause = e;
                }
                throw new AssertionError("the job is " + status + " while waiting for " + what, cause);
            }
            if (condition.holds()) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(250);
        }
    }

    private static Set<String> replayValidAlerts(HostileCorpus corpus) throws Exception {
        Path in = Files.createTempDirectory("hostile-valid");
        Path out = in.resolveSibling(in.getFileName() + "-out");
        try {
            HostileCorpus.writeFiles(in, corpus.validOnly());
            StringWriter printed = new StringWriter();
            CommandLine cl = VigilCli.commandLine();
            cl.setOut(new PrintWriter(printed, true));
            cl.setErr(new PrintWriter(printed, true));
            int exit = cl.execute("replay", "--quiet", "--no-events", "--out", out.toString(), in.toString());
            assertThat(exit).as("replay of the valid corpus: %s", printed).isZero();
            Set<String> signatures = new TreeSet<>();
            for (String line : Files.readAllLines(out.resolve(ReplayRunner.ALERTS_FILE), StandardCharsets.UTF_8)) {
                String s = HostileCorpus.validAlertSignature(EcsJson.MAPPER.readTree(line));
                if (s != null) {
                    signatures.add(s);
                }
            }
            return signatures;
        } finally {
            org.apache.flink.util.FileUtils.deleteDirectoryQuietly(in.toFile());
            org.apache.flink.util.FileUtils.deleteDirectoryQuietly(out.toFile());
        }
    }

    private static Set<String> validSignatures(List<JsonNode> alerts) {
        Set<String> out = new TreeSet<>();
        for (JsonNode a : alerts) {
            String s = HostileCorpus.validAlertSignature(a);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** The alert documents whose origins are this test's topics (the node is shared with other tests). */
    private static List<JsonNode> alertsOfThisTest() throws Exception {
        StreamingServices.REST.performRequest(new Request("POST", "/vigil-alerts-*/_refresh"));
        Request search = new Request("GET", "/vigil-alerts-*/_search");
        search.addParameter("ignore_unavailable", "true");
        search.addParameter("allow_no_indices", "true");
        search.setJsonEntity("{\"size\":10000,\"query\":{\"prefix\":{\"vigil.alert.origins.source\":\"" + PREFIX
                + ".\"}}}");
        JsonNode body = EcsJson.MAPPER.readTree(StreamingServices.REST.performRequest(search).getEntity().getContent());
        List<JsonNode> out = new ArrayList<>();
        body.at("/hits/hits").forEach(h -> out.add(h.get("_source")));
        return out;
    }

    private static long count(String index) throws Exception {
        StreamingServices.REST.performRequest(new Request("POST", "/" + index + "/_refresh"));
        Request r = new Request("GET", "/" + index + "/_count");
        r.setJsonEntity("{\"query\":{\"prefix\":{\"vigil.origin.source\":\"" + PREFIX + ".\"}}}");
        return EcsJson.MAPPER.readTree(StreamingServices.REST.performRequest(r).getEntity().getContent())
                .get("count").asLong();
    }

    private static List<String> indices(String pattern) throws Exception {
        Request r = new Request("GET", "/_cat/indices/" + pattern);
        r.addParameter("format", "json");
        r.addParameter("expand_wildcards", "all");
        List<String> names = new ArrayList<>();
        EcsJson.MAPPER.readTree(StreamingServices.REST.performRequest(r).getEntity().getContent())
                .forEach(i -> names.add(i.get("index").asText()));
        return names;
    }
}
