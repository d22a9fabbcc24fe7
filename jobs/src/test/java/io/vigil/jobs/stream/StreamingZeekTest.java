package io.vigil.jobs.stream;

import io.vigil.jobs.wiring.FlinkSettings;
import io.vigil.jobs.wiring.Connections;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.formats.Datasets;
import io.vigil.formats.ZeekTsvToJson;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.model.EcsJson;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.elasticsearch.client.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zeek over Kafka into Elasticsearch, in the shapes Zeek sends: JSON entries tagged by the
 * zeek-kafka plugin, with a {@code _path}, or plain on a topic configured with its log
 * ({@code kafka.zeek-paths}); TSV rows on topics configured with their header
 * ({@code kafka.zeek-headers}: a real Zeek log file, or inline lines). Real rows of the OTRF
 * LSASS campaign and three path-traversal requests: every valid record is an event, the
 * requests are alerts, and the one entry that names no log is the one dead letter.
 */
class StreamingZeekTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final String DIR = "otrf-security-datasets/zeek/LSASS_campaign_01";
    private static final String PREFIX = "zk";
    private static final String TAGGED = PREFIX + ".zeek";
    private static final String HTTP_JSON = PREFIX + ".http";
    private static final String CONN_TSV = PREFIX + ".conn";
    private static final String HTTP_TSV = PREFIX + ".http-tsv";
    private static final String TRAVERSAL = "/download?file=%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd";

    @TempDir
    Path dir;

    @Test
    void zeekJsonAndTsvRecordsInKafkaBecomeEventsAndAlertsInElasticsearch() throws Exception {
        StreamingServices.KAFKA.createTopics(1, TAGGED, HTTP_JSON, CONN_TSV, HTTP_TSV, PREFIX + ".dead-letters",
                PREFIX + ".alerts");
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        // the zeek-kafka plugin's tag_json: the real dns rows, a request, and a conn entry with a _path instead
        Path dns = Datasets.file(DIR + "/dns.log");
        List<String> dnsHeader = Files.readAllLines(dns).stream().filter(l -> l.startsWith("#")).toList();
        ZeekTsvToJson dnsJson = new ZeekTsvToJson(dnsHeader);
        for (String row : dataRows(dns)) {
            records.add(record(TAGGED, row.substring(0, row.indexOf('\t')), EcsJson.toJson(dnsJson.tagged(row))));
        }
        records.add(record(TAGGED, "1692161950.5", "{\"http\": {\"ts\":1692161950.5,\"uid\":\"CHt1\","
                + "\"id.orig_h\":\"198.51.100.20\",\"id.orig_p\":50001,\"id.resp_h\":\"10.0.5.13\",\"id.resp_p\":80,"
                + "\"trans_depth\":1,\"method\":\"GET\",\"host\":\"intranet.example\",\"uri\":\"" + TRAVERSAL + "\","
                + "\"status_code\":404,\"tags\":[]}, \"SENSOR\": \"edge-1\"}"));
        records.add(record(TAGGED, "1692161951.0", "{\"_path\":\"conn\",\"ts\":1692161951.0,\"uid\":\"CPa1\","
                + "\"id.orig_h\":\"192.168.1.41\",\"id.orig_p\":50002,\"id.resp_h\":\"192.168.1.4\",\"id.resp_p\":389,"
                + "\"proto\":\"tcp\",\"conn_state\":\"S0\"}"));
        // an entry that names no log on a topic that gives none: the dead letter
        records.add(record(TAGGED, "1692161952.0", "{\"ts\":1692161952.0,\"uid\":\"CNo1\",\"id.orig_h\":\"10.9.9.9\"}"));
        // LogAscii::use_json=T entries, on a topic configured as http, with ISO 8601 times
        records.add(record(HTTP_JSON, "1692161955.0", "{\"ts\":\"2023-08-16T04:59:15.000000Z\",\"uid\":\"CHj1\","
                + "\"id.orig_h\":\"198.51.100.21\",\"id.orig_p\":50003,\"id.resp_h\":\"10.0.5.13\",\"id.resp_p\":80,"
                + "\"method\":\"GET\",\"host\":\"intranet.example\",\"uri\":\"" + TRAVERSAL + "\",\"status_code\":404}"));
        records.add(record(HTTP_JSON, "1692161960.0", "{\"ts\":\"2023-08-16T04:59:20.000000Z\",\"uid\":\"CHj2\","
                + "\"id.orig_h\":\"10.0.5.99\",\"id.orig_p\":50004,\"id.resp_h\":\"10.0.5.13\",\"id.resp_p\":80,"
                + "\"method\":\"GET\",\"host\":\"intranet.example\",\"uri\":\"/index.html\",\"status_code\":200}"));
        // TSV rows: the real conn rows under the real conn.log's header, a request under an inline header
        Path conn = Datasets.file(DIR + "/conn.log");
        for (String row : dataRows(conn)) {
            records.add(record(CONN_TSV, row.substring(0, row.indexOf('\t')), row));
        }
        records.add(record(HTTP_TSV, "1692161956.0", String.join("\t", "1692161956.000000", "CHv1", "198.51.100.22",
                "50005", "10.0.5.13", "80", "GET", "intranet.example", TRAVERSAL, "404")));
        produce(records);

        Map<String, String> settings = new HashMap<>();
        settings.put("kafka.bootstrap-servers", StreamingServices.KAFKA.bootstrapServers());
        settings.put("kafka.topics", TAGGED + ":zeek," + HTTP_JSON + ":zeek," + CONN_TSV + ":zeek," + HTTP_TSV + ":zeek");
        settings.put("kafka.zeek-paths." + HTTP_JSON, "http");
        settings.put("kafka.zeek-headers." + CONN_TSV, conn.toString());
        settings.put("kafka.zeek-headers." + HTTP_TSV, "#separator \\x09\n#path\thttp\n"
                + "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tmethod\thost\turi\tstatus_code\n");
        settings.put("kafka.group-id", PREFIX);
        settings.put("kafka.dead-letter-topic", PREFIX + ".dead-letters");
        settings.put("kafka.alerts-topic", PREFIX + ".alerts");
        settings.put("elasticsearch.urls", StreamingServices.ES.url());
        settings.put("elasticsearch.write-events", "true");
        settings.put("elasticsearch.bulk.flush-interval", "200ms");
        settings.put("detection.out-of-orderness", "1s");
        settings.put("checkpoints.interval", "300ms");
        settings.put("checkpoints.dir", dir.resolve("chk").toString());
        settings.put("parallelism", "1");
        VigilConfig config = VigilConfig.of(settings, "test");

        Connections.installTemplates(Connections.elasticsearch(config));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkSettings.flinkConfig(config, null));
        StreamingTopology.build(config, StreamingServices.RULES, env);
        JobClient job = env.executeAsync("streaming zeek test");
        try {
            // every record is an event or a dead letter: wait until all are accounted for
            StreamingJobTest.await("every record indexed", () -> StreamingJobTest.safely(
                    () -> count("vigil-events-*") + count("vigil-dead-letters-*") >= records.size()));
            assertThat(count("vigil-dead-letters-*")).isEqualTo(1);
            JsonNode dead = search("vigil-dead-letters-*", "{}").at("/hits/hits/0/_source");
            assertThat(dead.at("/vigil/origin/source").asText()).isEqualTo(TAGGED);
            assertThat(dead.at("/vigil/origin/offset").asLong()).isEqualTo(98);
            assertThat(dead.path("reason").asText()).startsWith("Zeek JSON record names no log");

            Map<String, Long> byTopicAndDataset = new TreeMap<>();
            search("vigil-events-*", "{\"size\":0,\"aggs\":{\"t\":{\"terms\":{\"field\":\"vigil.origin.source\"},"
                    + "\"aggs\":{\"d\":{\"terms\":{\"field\":\"event.dataset\"}}}}}}")
                    .at("/aggregations/t/buckets").forEach(t -> t.at("/d/buckets").forEach(d -> byTopicAndDataset.put(
                            t.get("key").asText() + " " + d.get("key").asText(), d.get("doc_count").asLong())));
            assertThat(byTopicAndDataset).containsExactlyInAnyOrderEntriesOf(Map.of(
                    TAGGED + " zeek.dns", 96L, TAGGED + " zeek.http", 1L, TAGGED + " zeek.conn", 1L,
                    HTTP_JSON + " zeek.http", 2L, CONN_TSV + " zeek.conn", 112L, HTTP_TSV + " zeek.http", 1L));

            JsonNode fromTsv = search("vigil-events-*", "{\"query\":{\"term\":{\"source.ip\":\"198.51.100.22\"}}}")
                    .at("/hits/hits/0/_source");
            assertThat(fromTsv.at("/url/original").asText()).isEqualTo(TRAVERSAL);
            assertThat(fromTsv.at("/http/response/status_code").asInt()).isEqualTo(404);
            assertThat(fromTsv.at("/@timestamp").asText()).isEqualTo("2023-08-16T04:59:16Z");

            StreamingJobTest.await("an alert per request", () -> StreamingJobTest.safely(
                    () -> searchAll("vigil-alerts-*", "{\"size\":0,\"query\":{\"terms\":{\"source.ip\":"
                            + "[\"198.51.100.20\",\"198.51.100.21\",\"198.51.100.22\"]}}}")
                            .at("/hits/total/value").asLong() >= 3));
            JsonNode alerts = searchAll("vigil-alerts-*", "{\"size\":10,\"query\":{\"terms\":{\"source.ip\":"
                    + "[\"198.51.100.20\",\"198.51.100.21\",\"198.51.100.22\"]}}}");
            List<String> found = new ArrayList<>();
            alerts.at("/hits/hits").forEach(h -> found.add(h.at("/_source/rule/id").asText() + " "
                    + h.at("/_source/source/ip").asText() + " " + h.at("/_source/vigil/alert/origins/0/source").asText()));
            assertThat(found).containsExactlyInAnyOrder(
                    "web-attack-pattern 198.51.100.20 " + TAGGED,
                    "web-attack-pattern 198.51.100.21 " + HTTP_JSON,
                    "web-attack-pattern 198.51.100.22 " + HTTP_TSV);
        } finally {
            StreamingJobTest.cancel(job);
        }
    }

    private static void produce(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, StreamingServices.KAFKA.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            // one record at a time, each acknowledged: a batch the broker refused (it did, under load:
            // OutOfOrderSequenceException after a retried request) fails here, instead of being lost
            // silently and the test waiting out its deadline for records that never came
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(r).get();
            }
        }
    }

    private static List<String> dataRows(Path log) throws java.io.IOException {
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> !l.startsWith("#")).toList();
    }

    /** A record with its Zeek ts as the Kafka timestamp, as a shipper sets it. */
    private static ProducerRecord<byte[], byte[]> record(String topic, String ts, String value) {
        Instant t = Instant.ofEpochMilli(new BigDecimal(ts).movePointRight(3).longValue());
        return StreamingJobTest.record(topic, t, value);
    }

    /** Documents of this test's topics only: the Elasticsearch node is shared with other test classes. */
    private static long count(String index) throws Exception {
        return search(index, "{\"size\":0,\"track_total_hits\":true}").at("/hits/total/value").asLong();
    }

    /** Events or dead letters of this test's topics. */
    private static JsonNode search(String index, String body) throws Exception {
        ObjectNode q = (ObjectNode) EcsJson.MAPPER.readTree(body);
        JsonNode given = q.remove("query");
        ObjectNode bool = q.putObject("query").putObject("bool");
        bool.putArray("filter")
                .add(EcsJson.MAPPER.readTree("{\"prefix\":{\"vigil.origin.source\":\"" + PREFIX + ".\"}}"))
                .add(given == null ? EcsJson.MAPPER.readTree("{\"match_all\":{}}") : given);
        return searchAll(index, EcsJson.toJson(q));
    }

    private static JsonNode searchAll(String index, String body) throws Exception {
        ObjectNode q = (ObjectNode) EcsJson.MAPPER.readTree(body);
        StreamingServices.REST.performRequest(new Request("POST", "/" + index + "/_refresh"));
        Request search = new Request("GET", "/" + index + "/_search");
        search.addParameter("ignore_unavailable", "true");
        search.addParameter("allow_no_indices", "true");
        search.setJsonEntity(EcsJson.toJson(q));
        return EcsJson.MAPPER.readTree(StreamingServices.REST.performRequest(search).getEntity().getContent());
    }
}
