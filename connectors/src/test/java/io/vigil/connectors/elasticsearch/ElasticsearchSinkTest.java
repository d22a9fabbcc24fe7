package io.vigil.connectors.elasticsearch;

import io.vigil.localstack.LocalElasticsearch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sink in Flink jobs against the real test node. */
class ElasticsearchSinkTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static ElasticsearchClient client;

    @BeforeAll
    static void start() throws IOException {
        client = ElasticsearchTestNode.client();
        IndexTemplates.installAll(client);
    }

    @AfterAll
    static void stop() throws IOException {
        client.close();
    }

    /** Alert-shaped documents numbered 1..n into one index; number {@code bad} carries a non-IP source.ip. */
    static final class NumberedAlerts implements DocumentMapper<Long> {
        private static final long serialVersionUID = 1L;
        private final String index;
        private final long bad;

        NumberedAlerts(String index, long bad) {
            this.index = index;
            this.bad = bad;
        }

        @Override
        public String index(Long n) {
            return index;
        }

        @Override
        public String id(Long n) {
            return "alert-" + n;
        }

        @Override
        public byte[] source(Long n) {
            String ip = n == bad ? "not-an-ip" : "10.0." + (n / 256 % 256) + "." + (n % 256);
            return ("{\"@timestamp\":\"2001-01-01T00:00:00Z\",\"event\":{\"kind\":\"alert\",\"id\":\"alert-" + n
                    + "\"},\"rule\":{\"id\":\"test-rule\"},\"source\":{\"ip\":\"" + ip + "\"},"
                    + "\"vigil\":{\"alert\":{\"count\":" + n + "}}}").getBytes(StandardCharsets.UTF_8);
        }
    }

    private static StreamExecutionEnvironment env(long checkpointMs) {
        Configuration conf = new Configuration();
        conf.setString("pipeline.generic-types", "false");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        if (checkpointMs > 0) {
            env.enableCheckpointing(checkpointMs);
        }
        return env;
    }

    private static void run(String index, long n, long bad, ElasticsearchSink.Builder<Long> sink) throws Exception {
        StreamExecutionEnvironment env = env(0);
        env.fromSequence(1, n).sinkTo(sink.mapper(new NumberedAlerts(index, bad)).build()).name("es");
        env.execute("es-sink-test");
    }

    private static ElasticsearchSink.Builder<Long> sink() {
        return ElasticsearchSink.<Long>builder().connection(ElasticsearchTestNode.connection());
    }

    /** The count, or -1 while the new index's shard is not yet allocated (503 from the node). */
    private static long countWhenReady(String index) {
        try {
            return count(index);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long count(String index) throws IOException {
        client.indices().refresh(r -> r.index(index).allowNoIndices(true).ignoreUnavailable(true));
        return client.count(c -> c.index(index).allowNoIndices(true).ignoreUnavailable(true)).count();
    }

    @Test
    void writesDocumentsWithTheirIdsAndAReplayOverwritesThem() throws Exception {
        String index = "vigil-alerts-2001.01.01";
        long n = 2_500;
        run(index, n, -1, sink().maxActions(300));
        assertThat(count(index)).isEqualTo(n);
        run(index, n, -1, sink().maxActions(300));
        assertThat(count(index)).isEqualTo(n);
        GetResponse<ObjectNode> doc = client.get(g -> g.index(index).id("alert-1234"), ObjectNode.class);
        assertThat(doc.found()).isTrue();
        assertThat(doc.source().path("vigil").path("alert").path("count").asLong()).isEqualTo(1234);
        assertThat(doc.version()).isEqualTo(2L); // written twice, same document
    }

    @Test
    void aDocumentRefusedByTheMappingBecomesADeadLetterAndTheRestIsWritten() throws Exception {
        String index = "vigil-alerts-2001.01.02";
        long n = 50;
        long bad = 17;
        FallbackTopic topic = new FallbackTopic("es-sink-job-refused");
        run(index, n, bad, sink().fallback(topic.fallback()));
        assertThat(count(index)).isEqualTo(n - 1);
        // kept outside Elasticsearch too
        List<FallbackTopic.Letter> inKafka = topic.letters();
        assertThat(inKafka).extracting(FallbackTopic.Letter::key).containsExactly(index + "/alert-" + bad);
        assertThat(inKafka.get(0).value().path("reason").asText()).startsWith("400 ").contains("source.ip");
        assertThat(inKafka.get(0).value().path("raw").path("value").asText()).contains("not-an-ip");
        String deadLetterId = DeadLetterRejectedHandler.idOf(new BulkDocument(index, "alert-" + bad, new byte[0]));
        client.indices().refresh(r -> r.index("vigil-dead-letters-*"));
        SearchResponse<ObjectNode> found = client.search(s -> s.index("vigil-dead-letters-*")
                .query(q -> q.term(t -> t.field("vigil.origin.source").value(index))), ObjectNode.class);
        assertThat(found.hits().hits()).hasSize(1);
        assertThat(found.hits().hits().get(0).id()).isEqualTo(deadLetterId);
        ObjectNode letter = found.hits().hits().get(0).source();
        assertThat(letter.path("decoder").asText()).isEqualTo("elasticsearch");
        assertThat(letter.path("reason").asText()).containsAnyOf("document_parsing_exception", "mapper_parsing_exception")
                .contains("source.ip");
        assertThat(letter.path("raw").path("value").asText()).contains("not-an-ip").contains("alert-17");
        assertThat(letter.path("raw").path("encoding").asText()).isEqualTo("utf-8");
        assertThat(letter.path("vigil").path("origin").path("kind").asText()).isEqualTo("elasticsearch");
        assertThat(letter.path("vigil").path("origin").path("offset").asLong()).isZero();
        assertThat(letter.path("@timestamp").asText()).isNotEmpty();
    }

    /**
     * Every bulk request is forbidden (a revoked privilege): the job does not fail or loop, it
     * finishes with every document kept on the Kafka topic.
     */
    @Test
    void aJobWhoseRequestsAreForbiddenFinishesWithEveryDocumentInKafka() throws Exception {
        String index = "es-sink-job-forbidden";
        long n = 300;
        FallbackTopic topic = new FallbackTopic("es-sink-job-forbidden");
        try (FaultInjectingProxy proxy = FaultInjectingProxy.to(ElasticsearchTestNode.get().url())) {
            proxy.fault(FaultInjectingProxy.Fault.bulk(403, "security_exception", "action is unauthorized"));
            run(index, n, -1, ElasticsearchSink.<Long>builder().connection(ElasticsearchConnection.of(proxy.url()))
                    .maxActions(50).refusedRequestRetries(1).initialBackoff(Duration.ofMillis(1))
                    .fallback(topic.fallback()));
        }
        List<FallbackTopic.Letter> letters = topic.letters();
        assertThat(letters).hasSize((int) n);
        assertThat(letters).extracting(FallbackTopic.Letter::key).doesNotHaveDuplicates();
        assertThat(letters).allSatisfy(l -> assertThat(l.value().path("reason").asText())
                .isEqualTo("403 security_exception: action is unauthorized"));
    }

    @Test
    void builderExplainsWhatIsMissing() {
        assertThatThrownBy(() -> ElasticsearchSink.<Long>builder().build())
                .hasMessageContaining("connection(");
        assertThatThrownBy(() -> sink().build()).hasMessageContaining("mapper(");
        assertThatThrownBy(() -> sink().mapper(new NumberedAlerts("x", -1)).maxActions(0).build())
                .hasMessageContaining("maxActions");
        assertThatThrownBy(() -> sink().mapper(new NumberedAlerts("x", -1)).maxRetries(-5).build())
                .hasMessageContaining("maxRetries");
    }

    /**
     * The node goes away for 30 s in the middle of the stream: the sink retries (the job
     * backpressures) and every document arrives once the node is back.
     */
    @Test
    void everyDocumentArrivesAcrossA30SecondOutage() throws Exception {
        String index = "vigil-alerts-2001.01.03";
        long n = 4_000;
        LocalElasticsearch node = ElasticsearchTestNode.get();
        StreamExecutionEnvironment env = env(500);
        env.fromSequence(1, n)
                .map(x -> {
                    Thread.sleep(4); // pacing only: keeps the stream running while the node goes down
                    return x;
                })
                .returns(Long.class)
                .sinkTo(sink().maxActions(100).flushInterval(Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(2))
                        .mapper(new NumberedAlerts(index, -1)).build())
                .name("es");
        JobClient job = env.executeAsync("es-outage-test");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (countWhenReady(index) < 200) {
            assertThat(System.nanoTime()).as("first documents within 60 s").isLessThan(deadline);
            Thread.sleep(50);
        }
        node.stop();
        AtomicReference<Throwable> restartFailure = new AtomicReference<>();
        Thread restart = new Thread(() -> {
            try {
                Thread.sleep(30_000);
                node.start();
            } catch (Throwable e) {
                restartFailure.set(e);
            }
        }, "restart-elasticsearch");
        restart.start();
        assertThat(job.getJobStatus().get()).isNotIn(
                org.apache.flink.api.common.JobStatus.FINISHED, org.apache.flink.api.common.JobStatus.FAILED);
        job.getJobExecutionResult().get(5, TimeUnit.MINUTES);
        restart.join();
        assertThat(restartFailure.get()).isNull();
        assertThat(count(index)).isEqualTo(n);
    }
}
