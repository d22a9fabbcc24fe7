package io.vigil.jobs.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.decode.DecodeCounters;
import io.vigil.model.DeadLetter;
import io.vigil.model.EcsJson;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.elasticsearch.client.Request;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job (real Kafka, real Elasticsearch) against input that forges what shapes its
 * outputs: event times far from the ingest time, a partition that stays silent, and ECS documents
 * inventing field names and putting host names where addresses go.
 */
class HostileTimeAndFieldsStreamingTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path dir;

    private final StreamingJobTest helper = new StreamingJobTest();

    @BeforeAll
    static void services() {
        StreamingJobTest.services();
    }

    private VigilConfig config(String prefix, Map<String, String> overrides) {
        Map<String, String> m = helper.settings(prefix, dir.resolve("chk").toString());
        m.putAll(overrides);
        return VigilConfig.of(m, "test");
    }

    private static ProducerRecord<byte[], byte[]> ecs(String topic, Instant recordTimestamp, ObjectNode doc) {
        return StreamingJobTest.record(topic, recordTimestamp, EcsJson.toJson(doc));
    }

    private static ObjectNode doc(String timestamp, String action) {
        ObjectNode d = EcsJson.MAPPER.createObjectNode();
        d.put("@timestamp", timestamp);
        d.putObject("event").put("action", action);
        return d;
    }

    private static JsonNode get(String path) throws Exception {
        return EcsJson.MAPPER.readTree(StreamingJobTest.rest.performRequest(new Request("GET", path)).getEntity().getContent());
    }

    private static long count(String index) throws Exception {
        StreamingJobTest.rest.performRequest(new Request("POST", "/" + index + "/_refresh"));
        return get("/" + index + "/_count").get("count").asLong();
    }

    /** The names of every index matching {@code pattern} (none: empty). */
    private static List<String> indices(String pattern) throws Exception {
        List<String> names = new ArrayList<>();
        get("/_cat/indices/" + pattern + "?format=json&expand_wildcards=all").forEach(i -> names.add(i.get("index").asText()));
        return names;
    }

    // ------------------------------------------------------------------ forged event times

    @Test
    void forgedTimesAreEventTimeDeadLettersAndNameNoIndex() throws Exception {
        String prefix = "et1";
        String topic = prefix + ".ecs";
        StreamingJobTest.kafka.createTopics(1, topic, prefix + ".dead-letters", prefix + ".alerts");
        Instant ingest = Instant.parse("2024-05-01T10:00:00Z");
        StreamingJobTest.produce(List.of(
                ecs(topic, ingest, doc("2024-05-01T10:00:00Z", "honest")),
                ecs(topic, ingest.plusSeconds(1), doc("2099-01-01T00:00:00Z", "from the future")),
                ecs(topic, ingest.plusSeconds(2), doc("0001-01-01T00:00:00Z", "from year one"))));
        JobClient job = helper.start(config(prefix, Map.of("kafka.topics", topic + ":ecs",
                "elasticsearch.write-events", "true")));
        try {
            StreamingJobTest.await("the honest event", () -> StreamingJobTest.safely(() -> count("vigil-events-2024.05.01") >= 1));
            List<ConsumerRecord<String, String>> dead = StreamingJobTest.consume(prefix + ".dead-letters", 2);
            assertThat(dead).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(topic + "/0@1", topic + "/0@2");
            for (ConsumerRecord<String, String> r : dead) {
                JsonNode letter = EcsJson.MAPPER.readTree(r.value());
                assertThat(letter.at("/vigil/dead_letter/kind").asText()).isEqualTo(DeadLetter.EVENT_TIME);
                assertThat(letter.at("/raw/value").asText()).contains("\"@timestamp\"");
                assertThat(letter.at("/reason").asText()).contains("ingest time 2024-05-01T10:00:0")
                        .containsAnyOf("detection.max-future-skew", "detection.max-event-age");
            }
            StreamingJobTest.await("the event-time count", () -> StreamingJobTest.safely(() ->
                    Map.of(DeadLetter.EVENT_TIME, 2L).equals(job.getAccumulators().get().get(DecodeCounters.DEAD_BY_KIND))));
            // no index of any kind for the forged days
            assertThat(indices("vigil-*-2099.*,vigil-*-0001.*")).isEmpty();
        } finally {
            StreamingJobTest.cancel(job);
        }
    }

    // ------------------------------------------------------------------ a silent partition

    /**
     * At parallelism 2 over a topic of 2 partitions, one subtask reads a partition nobody writes
     * to: without idleness its watermark stays at the start of time and holds every alert back.
     */
    @Test
    void aSilentPartitionDoesNotHoldAlertsBack() throws Exception {
        String prefix = "et2";
        String topic = prefix + ".syslog";
        StreamingJobTest.kafka.createTopics(2, topic);
        StreamingJobTest.kafka.createTopics(1, prefix + ".dead-letters", prefix + ".alerts");
        Instant t0 = Instant.parse("2024-05-02T10:00:00Z");
        // all on partition 0: the attack, then a later event that moves event time past it
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(
                StreamingJobTest.bruteForce(topic, "203.0.113.77", t0, 6, false));
        records.add(StreamingJobTest.record(topic, t0.plusSeconds(120), StreamingJobTest.SYSLOG.format(t0.plusSeconds(120))
                + " bastion CRON[9]: pam_unix(cron:session): session closed for user root"));
        StreamingJobTest.produce(records);
        JobClient job = helper.start(config(prefix, Map.of("kafka.topics", topic + ":syslog", "parallelism", "2")));
        try {
            StreamingJobTest.await("the alert", () -> StreamingJobTest.safely(() ->
                    StreamingJobTest.alerts("vigil-alerts-2024.05.02", "203.0.113.77").size() == 1));
        } finally {
            StreamingJobTest.cancel(job);
        }
    }

    // ------------------------------------------------------------------ invented field names

    /**
     * ECS records inventing thousands of field names (in namespaces the decoders use) and putting
     * host names into address fields: the event index's mapping stays what Vigil's own names make
     * it, and every document is indexed.
     */
    @Test
    void inventedFieldNamesNeitherGrowTheMappingNorGetDocumentsRefused() throws Exception {
        String prefix = "et3";
        String topic = prefix + ".ecs";
        String index = "vigil-events-2024.05.03";
        StreamingJobTest.kafka.createTopics(1, topic, prefix + ".dead-letters", prefix + ".alerts");
        Instant t0 = Instant.parse("2024-05-03T10:00:00Z");
        JobClient job = helper.start(config(prefix, Map.of("kafka.topics", topic + ":ecs",
                "elasticsearch.write-events", "true")));
        try {
            StreamingJobTest.produce(List.of(ecs(topic, t0, legitimate(t0))));
            StreamingJobTest.await("the first event", () -> StreamingJobTest.safely(() -> count(index) == 1));
            Set<String> before = mappedFields(index);

            List<ProducerRecord<byte[], byte[]>> hostile = new ArrayList<>();
            int records = 60;
            for (int r = 0; r < records; r++) {
                Instant t = t0.plusSeconds(1 + r);
                ObjectNode d = legitimate(t);
                d.putObject("source").put("ip", "attacker-" + r + ".example");
                ObjectNode eventData = d.putObject("winlog").putObject("event_data");
                eventData.put("TargetUserName", "alice");
                for (int n = 0; n < 40; n++) {
                    eventData.put("Invented" + r + "x" + n, "v");
                    d.put("zeek.conn.invented_" + r + "_" + n, "v");
                    d.put("host.os.invented_" + r + "_" + n, "v");
                }
                hostile.add(ecs(topic, t, d));
            }
            StreamingJobTest.produce(hostile);
            StreamingJobTest.await("every event indexed", () -> StreamingJobTest.safely(() -> count(index) == 1 + records));
            assertThat(mappedFields(index)).isEqualTo(before);
            assertThat(refusedFor(index)).isZero();
            JsonNode hit = get("/" + index + "/_search?q=vigil.invalid.source.ip:%22attacker-7.example%22").at("/hits/hits/0/_source");
            assertThat(hit.at("/vigil/invalid/source/ip").asText()).isEqualTo("attacker-7.example");
            assertThat(hit.at("/tags").toString()).contains("vigil_fields_dropped");
        } finally {
            StreamingJobTest.cancel(job);
        }
    }

    /** An event whose extra names are all Vigil's own (the same in every record above). */
    private static ObjectNode legitimate(Instant t) {
        ObjectNode d = doc(t.toString(), "logon-failed");
        d.putObject("winlog").putObject("event_data").put("TargetUserName", "alice");
        d.put("source.port", 4444);
        return d;
    }

    /** Every field of the index's mapping, objects and leaves, by dotted name. */
    private static Set<String> mappedFields(String index) throws Exception {
        Set<String> out = new TreeSet<>();
        collect("", get("/" + index + "/_mapping").path(index).path("mappings").path("properties"), out);
        return out;
    }

    private static void collect(String prefix, JsonNode properties, Set<String> out) {
        properties.properties().forEach(e -> {
            out.add(prefix + e.getKey());
            collect(prefix + e.getKey() + ".", e.getValue().path("properties"), out);
        });
    }

    /** Dead letters of documents Elasticsearch refused for {@code index}. */
    private static long refusedFor(String index) throws Exception {
        if (indices("vigil-dead-letters-*").isEmpty()) {
            return 0;
        }
        StreamingJobTest.rest.performRequest(new Request("POST", "/vigil-dead-letters-*/_refresh"));
        Request q = new Request("GET", "/vigil-dead-letters-*/_count");
        q.setJsonEntity("{\"query\":{\"term\":{\"vigil.origin.source\":\"" + index + "\"}}}");
        return EcsJson.MAPPER.readTree(StreamingJobTest.rest.performRequest(q).getEntity().getContent()).get("count").asLong();
    }
}
