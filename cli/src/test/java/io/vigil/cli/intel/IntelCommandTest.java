package io.vigil.cli.intel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.cli.VigilCli;
import io.vigil.connectors.elasticsearch.ElasticsearchConnection;
import io.vigil.context.ContextAlert;
import io.vigil.context.ContextUpdate;
import io.vigil.context.intel.IntelAlert;
import io.vigil.jobs.stream.StreamingServices;
import io.vigil.jobs.wiring.Connections;
import io.vigil.jobs.wiring.Documents;
import io.vigil.model.EcsJson;
import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.elasticsearch.client.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil intel push} against a real Kafka broker, {@code vigil intel hunt} against a real Elasticsearch node. */
class IntelCommandTest {

    static final Instant UNTIL = Instant.parse("2026-02-20T00:00:00Z");

    @TempDir
    Path dir;

    StringWriter out;
    StringWriter err;

    int vigil(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    Path config(String topic) throws Exception {
        Path config = dir.resolve("vigil.yaml");
        Files.writeString(config, String.join("\n",
                "kafka:",
                "  bootstrap-servers: " + StreamingServices.KAFKA.bootstrapServers(),
                "enrich:",
                "  control-topic: " + topic,
                ""));
        return config;
    }

    static List<ConsumerRecord<byte[], byte[]>> read(String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", StreamingServices.KAFKA.bootstrapServers());
        try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            while (consumer.position(tp) < end) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            return records;
        }
    }

    @Test
    void pushWritesTheTableUnderItsKindAndName() throws Exception {
        Path hosts = dir.resolve("hosts.csv");
        Files.writeString(hosts, "name,criticality\nweb-1,high\ndb-1,critical\n");
        Path config = config("context-push-assets");

        assertThat(vigil("intel", "push", hosts.toString(), "--name", "hosts", "--kind", "assets", "--config",
                config.toString())).as(err.toString()).isZero();

        List<ConsumerRecord<byte[], byte[]>> records = read("context-push-assets");
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("assets/hosts");
            ContextUpdate u = ContextUpdate.fromJson(r.value());
            assertThat(u.format()).isEqualTo("csv");
            assertThat(u.body()).isEqualTo(Files.readAllBytes(hosts));
            assertThat(u.actor()).isEqualTo(System.getProperty("user.name"));
        });
        assertThat(out.toString()).contains("Pushed assets/hosts (csv, 2 row(s), ")
                .contains("offset  0 (topic context-push-assets)");
    }

    @Test
    void anIntelFeedIsReadAsTheJobReadsItBeforeItIsPushed() throws Exception {
        Path feed = dir.resolve("blocklist.csv");
        Files.writeString(feed, "type,value,confidence\nip,203.0.113.7,80\ndomain,evil.example,90\n");
        Path config = config("context-push-intel");

        assertThat(vigil("intel", "push", feed.toString(), "--name", "blocklist", "--config", config.toString()))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("Pushed intel/blocklist (csv, 2 indicator(s), ");
        List<ConsumerRecord<byte[], byte[]>> records = read("context-push-intel");
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("intel/blocklist");
            assertThat(ContextUpdate.fromJson(r.value()).body()).isEqualTo(Files.readAllBytes(feed));
        });
    }

    @Test
    void aTableTheJobWouldRefuseIsNotPushed() throws Exception {
        Path feed = dir.resolve("feed.json");
        Files.writeString(feed, "{\"type\": \"bundle\", \"objects\": [ {\"type\": \"indicator\"");
        Path hosts = dir.resolve("hosts.json");
        Files.writeString(hosts, "[{\"name\": \"web-1\"");
        Path config = config("context-push-refused");

        assertThat(vigil("intel", "push", feed.toString(), "--name", "abuse-ch", "--config", config.toString()))
                .isEqualTo(VigilCli.FAILURE);
        assertThat(err.toString()).contains("is not a readable stix intel table").contains("not pushed");
        assertThat(vigil("intel", "push", hosts.toString(), "--name", "hosts", "--kind", "assets", "--config",
                config.toString())).isEqualTo(VigilCli.FAILURE);
        assertThat(vigil("intel", "push", hosts.toString(), "--name", "bad name", "--kind", "assets", "--config",
                config.toString())).isEqualTo(VigilCli.USAGE);
        try (var admin = StreamingServices.KAFKA.admin()) {
            assertThat(admin.listTopics().names().get()).doesNotContain("context-push-refused");
        }
    }

    static SecurityEvent event(Instant at, long offset, String sourceIp, String host) {
        return SecurityEvent.builder().timestamp(at).origin(Origin.kafka("raw.intel-hunt", 0, offset))
                .sourceIp(sourceIp).hostName(host).eventAction("ssh_login").build();
    }

    @Test
    void huntPrintsTheMatchingEventsAndWriteIndexesRetroAlerts() throws Exception {
        SecurityEvent inside = event(UNTIL.minus(Duration.ofDays(2)), 11, "198.18.44.5", "bastion");
        SecurityEvent before = event(UNTIL.minus(Duration.ofDays(45)), 12, "198.18.44.5", "bastion");
        SecurityEvent other = event(UNTIL.minus(Duration.ofDays(1)), 13, "198.18.44.6", "bastion");
        String es = StreamingServices.ES.url();
        Connections.installTemplates(ElasticsearchConnection.builder().urls(es).build());
        Documents.Events docs = new Documents.Events();
        StringBuilder bulk = new StringBuilder();
        for (SecurityEvent e : List.of(inside, before, other)) {
            bulk.append("{\"index\":{\"_index\":\"").append(docs.index(e)).append("\",\"_id\":\"").append(docs.id(e))
                    .append("\"}}\n").append(new String(docs.source(e), StandardCharsets.UTF_8)).append('\n');
        }
        Request r = new Request("POST", "/_bulk");
        r.addParameter("refresh", "true");
        r.setEntity(new StringEntity(bulk.toString(), ContentType.create("application/x-ndjson")));
        StreamingServices.REST.performRequest(r);

        assertThat(vigil("intel", "hunt", "198.18.44.5", "--es", es, "--until", UNTIL.toString())).as(err.toString())
                .isZero();
        assertThat(out.toString()).contains("ipv4-addr 198.18.44.5 in vigil-events-* from 2026-01-21T00:00:00Z to "
                + "2026-02-20T00:00:00Z: 1 event(s)")
                .contains("2026-02-18T00:00:00Z  source.ip=198.18.44.5  raw.intel-hunt/0@11  host bastion")
                .doesNotContain("@12").doesNotContain("@13").doesNotContain("wrote");

        assertThat(vigil("intel", "hunt", "198.18.44.0/24", "--es", es, "--until", UNTIL.toString(), "--since", "60d",
                "--max-hits", "2", "--confidence", "90", "--write")).as(err.toString()).isZero();
        assertThat(out.toString()).contains(": 2 event(s)").contains("more not shown: --max-hits 2")
                .contains("wrote 2 retro alert(s) to vigil-alerts-*");

        // keyed by the indicator hunted (the network), not by each address it matched
        String id = ContextAlert.id(IntelAlert.RULE.id(), "198.18.44.0/24 @ bastion", before);
        Request get = new Request("GET", "/vigil-alerts-*/_search");
        get.addParameter("q", "_id:" + id);
        JsonNode hits = EcsJson.MAPPER.readTree(StreamingServices.REST.performRequest(get).getEntity().getContent())
                .path("hits").path("hits");
        assertThat(hits).hasSize(1);
        JsonNode alert = hits.get(0).path("_source");
        assertThat(alert.path("vigil").path("alert").path("retro").asBoolean()).isTrue();
        assertThat(alert.path("@timestamp").asText()).isEqualTo(before.timestamp().toString());
        assertThat(alert.toString()).contains("198.18.44.0/24").contains("high");
    }

    @Test
    void huntRefusesAValueThatIsNoIndicator() {
        assertThat(vigil("intel", "hunt", "not a value", "--es", "http://127.0.0.1:9")).isEqualTo(VigilCli.USAGE);
        assertThat(err.toString()).contains("is not an IP address, CIDR network, domain");
    }
}
