package io.vigil.connectors.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.GetResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.connectors.elasticsearch.FallbackTopic.Letter;
import io.vigil.connectors.elasticsearch.FaultInjectingProxy.Fault;
import io.vigil.connectors.elasticsearch.FaultInjectingProxy.Reply;
import io.vigil.model.DeadLetter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The writer against permanent errors: a real node behind a loopback proxy that answers 413,
 * 400, 401 or 403 where told, and a real Kafka topic as the fallback. After each fault the same
 * writer goes on writing.
 */
@Timeout(120)
class ElasticsearchSinkFaultsTest {

    /** No template matches it: a dynamic mapping that no other part of Vigil decides. */
    private static final String PLAIN_INDEX = "es-faults-";

    private static ElasticsearchClient client;
    private static int topics;

    private FaultInjectingProxy proxy;
    private ElasticsearchSinkWriterTest.ManualTime time;
    private RecordingMetricGroup metrics;

    @BeforeAll
    static void start() throws IOException {
        client = ElasticsearchTestNode.client();
        IndexTemplates.installAll(client);
    }

    @AfterAll
    static void stop() throws IOException {
        client.close();
    }

    @BeforeEach
    void proxy() throws IOException {
        proxy = FaultInjectingProxy.to(ElasticsearchTestNode.get().url());
        time = new ElasticsearchSinkWriterTest.ManualTime();
        metrics = new RecordingMetricGroup();
    }

    @AfterEach
    void closeProxy() {
        proxy.close();
    }

    /** Documents {@code {"n": n, "pad": "xxx…"}}, id {@code doc-n}; {@code n == big} carries a 6 kB pad. */
    static final class Padded implements DocumentMapper<Long> {
        private static final long serialVersionUID = 1L;
        private final String index;
        private final long big;

        Padded(String index, long big) {
            this.index = index;
            this.big = big;
        }

        @Override
        public String index(Long n) {
            return index;
        }

        @Override
        public String id(Long n) {
            return "doc-" + n;
        }

        @Override
        public byte[] source(Long n) {
            String pad = "x".repeat(n == big ? 6_000 : 100);
            return ("{\"n\":" + n + ",\"pad\":\"" + pad + "\"}").getBytes(StandardCharsets.UTF_8);
        }
    }

    private static FallbackTopic topic() {
        return new FallbackTopic("es-fallback-" + (++topics) + "-" + System.nanoTime());
    }

    private ElasticsearchSink.Builder<Long> sink(DocumentMapper<Long> mapper) {
        return ElasticsearchSink.<Long>builder()
                .connection(ElasticsearchConnection.of(proxy.url()))
                .mapper(mapper)
                .initialBackoff(Duration.ofMillis(1))
                .maxBackoff(Duration.ofMillis(5));
    }

    private ElasticsearchSink.Writer<Long> writer(ElasticsearchSink<Long> sink) throws IOException {
        return new ElasticsearchSink.Writer<>(sink, ElasticsearchConnection.of(proxy.url()).client(), time, metrics);
    }

    private static long count(String index) throws IOException {
        client.indices().refresh(r -> r.index(index).allowNoIndices(true).ignoreUnavailable(true));
        return client.count(c -> c.index(index).allowNoIndices(true).ignoreUnavailable(true)).count();
    }

    private static void write(ElasticsearchSink.Writer<Long> writer, long from, long to) throws IOException {
        for (long n = from; n <= to; n++) {
            writer.write(n, null);
        }
    }

    @Test
    void aBulkRequestTooLargeIsSentInHalvesUntilEveryDocumentIsStored() throws Exception {
        String index = PLAIN_INDEX + "split";
        proxy.fault(Fault.bulkLargerThan(1_000)); // about 5 documents of 150 bytes pass
        try (ElasticsearchSink.Writer<Long> writer = writer(sink(new Padded(index, -1)).build())) {
            write(writer, 1, 40);
            writer.flush(false);
        }
        assertThat(count(index)).isEqualTo(40);
        List<FaultInjectingProxy.Received> bulks = proxy.bulkRequests();
        assertThat(bulks.get(0).body().length).as("the whole buffer, refused").isGreaterThan(1_000);
        assertThat(bulks).as("at least 8 parts of at most 1000 bytes after it").hasSizeGreaterThan(8);
        assertThat(metrics.count(ElasticsearchSink.METRIC_SPLIT_REQUESTS)).isPositive();
        assertThat(metrics.count(ElasticsearchSink.METRIC_FALLBACK_DOCS)).isZero();
        assertThat(metrics.gauge(ElasticsearchSink.METRIC_FAILING)).isEqualTo(0);
    }

    @Test
    void aSingleDocumentTooLargeGoesToTheKafkaTopicAndTheWriterGoesOn() throws Exception {
        String index = PLAIN_INDEX + "single-too-large";
        FallbackTopic topic = topic();
        proxy.fault(Fault.bulkLargerThan(4_000));
        try (ElasticsearchSink.Writer<Long> writer = writer(sink(new Padded(index, 8)).fallback(topic.fallback()).build())) {
            write(writer, 1, 8); // the last one is too large on its own
            writer.flush(false);
            assertThat(count(index)).isEqualTo(7);
            List<Letter> letters = topic.letters();
            assertThat(letters).hasSize(1);
            Letter letter = letters.get(0);
            assertThat(letter.key()).isEqualTo(index + "/doc-8");
            assertThat(letter.value().path("reason").asText()).startsWith("413 ");
            assertThat(letter.value().path("raw").path("value").asText()).startsWith("{\"n\":8,");
            assertThat(letter.value().path("raw").path("bytes").asLong()).isGreaterThan(6_000);
            assertThat(metrics.gauge(ElasticsearchSink.METRIC_FAILING)).as("the last request failed for good")
                    .isEqualTo(1);

            write(writer, 9, 10);
            writer.flush(false);
            assertThat(count(index)).isEqualTo(9);
            assertThat(metrics.gauge(ElasticsearchSink.METRIC_FAILING)).as("a request succeeded").isEqualTo(0);
            assertThat(metrics.count(ElasticsearchSink.METRIC_FALLBACK_DOCS)).isEqualTo(1);
        }
    }

    /** A security layer refuses the requests: a few retries, then the documents are kept in Kafka. */
    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void aRequestRefusedAsAWholeIsRetriedABoundedNumberOfTimesThenGoesToKafka(int status) throws Exception {
        String index = PLAIN_INDEX + "refused-" + status;
        FallbackTopic topic = topic();
        proxy.fault(Fault.bulk(status, "security_exception", "action [indices:data/write/bulk] is unauthorized"));
        try (ElasticsearchSink.Writer<Long> writer = writer(sink(new Padded(index, -1)).fallback(topic.fallback())
                .refusedRequestRetries(2).build())) {
            write(writer, 1, 5);
            writer.flush(false); // returns: no exception, the writer is not failed

            assertThat(proxy.bulkRequests()).as("the first attempt and 2 retries").hasSize(3);
            List<Letter> letters = topic.letters();
            assertThat(letters).extracting(Letter::key)
                    .containsExactly(index + "/doc-1", index + "/doc-2", index + "/doc-3", index + "/doc-4",
                            index + "/doc-5");
            JsonNode first = letters.get(0).value();
            assertThat(first.path("reason").asText())
                    .isEqualTo(status + " security_exception: action [indices:data/write/bulk] is unauthorized");
            assertThat(first.path("vigil").path("dead_letter").path("kind").asText()).isEqualTo(DeadLetter.ELASTICSEARCH);
            assertThat(first.path("decoder").asText()).isEqualTo("elasticsearch");
            assertThat(first.path("vigil").path("origin").path("kind").asText()).isEqualTo("elasticsearch");
            assertThat(first.path("vigil").path("origin").path("source").asText()).isEqualTo(index);
            assertThat(first.path("raw").path("value").asText()).isEqualTo(new String(new Padded(index, -1).source(1L),
                    StandardCharsets.UTF_8));
            assertThat(metrics.gauge(ElasticsearchSink.METRIC_FAILING)).isEqualTo(1);
            assertThat(metrics.count(ElasticsearchSink.METRIC_FALLBACK_DOCS)).isEqualTo(5);
            assertThat(count(index)).isZero();

            // the credentials work again: the same writer writes
            proxy.fault(Fault.NONE);
            write(writer, 6, 7);
            writer.flush(false);
            assertThat(count(index)).isEqualTo(2);
            assertThat(metrics.gauge(ElasticsearchSink.METRIC_FAILING)).isEqualTo(0);
        }
    }

    /** A 400 for the whole request, caused by one document: the others are stored, that one is kept in Kafka. */
    @Test
    void aWholeRequest400IsSplitSoThatOnlyTheDocumentCausingItGoesToKafka() throws Exception {
        String index = PLAIN_INDEX + "bad-request";
        FallbackTopic topic = topic();
        proxy.fault(r -> r.isBulk() && r.bodyText().contains("\"n\":13,")
                ? Reply.error(400, "x_content_parse_exception", "[1:9] Unexpected character") : null);
        try (ElasticsearchSink.Writer<Long> writer = writer(sink(new Padded(index, -1)).fallback(topic.fallback())
                .refusedRequestRetries(1).build())) {
            write(writer, 1, 20);
            writer.flush(false);
            assertThat(count(index)).isEqualTo(19);
            List<Letter> letters = topic.letters();
            assertThat(letters).extracting(Letter::key).containsExactly(index + "/doc-13");
            assertThat(letters.get(0).value().path("reason").asText()).startsWith("400 x_content_parse_exception");
        }
    }

    @Test
    void withoutAFallbackARequestRefusedForGoodFailsTheWriterWithTheReason() throws Exception {
        proxy.fault(Fault.bulk(403, "security_exception", "no privilege"));
        try (ElasticsearchSink.Writer<Long> writer = writer(sink(new Padded(PLAIN_INDEX + "no-fallback", -1))
                .refusedRequestRetries(1).build())) {
            write(writer, 1, 2);
            assertThatThrownBy(() -> writer.flush(false))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("403 security_exception: no privilege")
                    .hasMessageContaining("no fallback");
        }
        assertThat(proxy.bulkRequests()).hasSize(2);
    }

    /** A mapping conflict: the document becomes a dead letter in the index and is kept in Kafka too. */
    @Test
    void aRefusedDocumentBecomesADeadLetterAndGoesToKafka() throws Exception {
        String index = "vigil-alerts-2001.03.01";
        FallbackTopic topic = topic();
        try (ElasticsearchSink.Writer<Long> writer = writer(sink(new ElasticsearchSinkTest.NumberedAlerts(index, 3))
                .fallback(topic.fallback()).build())) {
            write(writer, 1, 5);
            writer.flush(false);
        }
        assertThat(count(index)).isEqualTo(4);
        String deadLetterId = DeadLetterRejectedHandler.idOf(new BulkDocument(index, "alert-3", new byte[0]));
        client.indices().refresh(r -> r.index("vigil-dead-letters-*"));
        GetResponse<ObjectNode> inIndex = client.get(g -> g.index("vigil-dead-letters-1970.01.01").id(deadLetterId),
                ObjectNode.class);
        assertThat(inIndex.found()).as("dead letter in the index (dated by the writer's clock)").isTrue();
        List<Letter> letters = topic.letters();
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).key()).isEqualTo(index + "/alert-3");
        assertThat(letters.get(0).value().path("reason").asText()).startsWith("400 document_parsing_exception")
                .contains("source.ip");
        assertThat(letters.get(0).value().path("raw").path("value").asText()).contains("not-an-ip");
        assertThat(metrics.count(ElasticsearchSink.METRIC_REJECTED)).isEqualTo(1);
        assertThat(metrics.count(ElasticsearchSink.METRIC_FALLBACK_DOCS)).isEqualTo(1);
        assertThat(metrics.gauge(ElasticsearchSink.METRIC_FAILING)).isEqualTo(0);
    }

    /**
     * The dead letter of a refused document is refused too: it goes to Kafka, and no log line, at
     * any level, carries either document's source.
     */
    @Test
    void aRefusedDeadLetterGoesToKafkaAndNoSourceIsLogged() throws Exception {
        String index = "vigil-alerts-2001.03.02";
        FallbackTopic topic = topic();
        // a handler whose dead letters the alerts mapping refuses as well
        RejectedDocumentHandler refusedAgain = r -> new BulkDocument(index, "dead-" + r.document().id(),
                "{\"source\":{\"ip\":\"still-not-an-ip\"},\"message\":\"SECRET-DEAD-LETTER\"}"
                        .getBytes(StandardCharsets.UTF_8));
        DocumentMapper<Long> alerts = new ElasticsearchSinkTest.NumberedAlerts(index, 2);
        DocumentMapper<Long> secretive = new DocumentMapper<>() {
            @Override
            public String index(Long n) {
                return alerts.index(n);
            }

            @Override
            public String id(Long n) {
                return alerts.id(n);
            }

            @Override
            public byte[] source(Long n) {
                String json = new String(alerts.source(n), StandardCharsets.UTF_8);
                return json.replace("\"rule\":", "\"message\":\"SECRET-SOURCE\",\"rule\":")
                        .getBytes(StandardCharsets.UTF_8);
            }
        };
        try (CapturedLogs logs = CapturedLogs.of(ElasticsearchSink.class);
                ElasticsearchSink.Writer<Long> writer = writer(sink(secretive).rejectedHandler(refusedAgain)
                        .fallback(topic.fallback()).build())) {
            write(writer, 1, 3);
            writer.flush(false);
            assertThat(logs.lines()).isNotEmpty()
                    .noneMatch(l -> l.contains("SECRET-SOURCE") || l.contains("SECRET-DEAD-LETTER"));
            assertThat(logs.lines()).anyMatch(l -> l.contains(index + "/alert-2") && l.contains("400"));
        }
        List<Letter> letters = topic.letters();
        assertThat(letters).extracting(Letter::key).containsExactly(index + "/alert-2", index + "/dead-alert-2");
        assertThat(letters.get(1).value().path("raw").path("value").asText()).contains("SECRET-DEAD-LETTER");
        assertThat(count(index)).isEqualTo(2);
    }

    /** Partial documents (incident upserts) carry retry_on_conflict, and the update works through it. */
    @Test
    void updatesCarryRetryOnConflict() throws Exception {
        String index = PLAIN_INDEX + "updates";
        DocumentMapper<Long> upserts = new DocumentMapper<>() {
            @Override
            public String index(Long n) {
                return index;
            }

            @Override
            public String id(Long n) {
                return "incident-1";
            }

            @Override
            public byte[] source(Long n) {
                return ("{\"count\":" + n + "}").getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public byte[] upsert(Long n) {
                return ("{\"count\":" + n + ",\"status\":\"open\"}").getBytes(StandardCharsets.UTF_8);
            }
        };
        try (ElasticsearchSink.Writer<Long> writer = writer(sink(upserts).build())) {
            writer.write(1L, null);
            writer.flush(false);
            writer.write(2L, null);
            writer.flush(false);
        }
        assertThat(proxy.bulkRequests()).hasSize(2).allSatisfy(r -> assertThat(r.bodyText().lines().findFirst()
                .orElseThrow()).contains("\"update\"").contains("\"retry_on_conflict\":"
                        + ElasticsearchSink.DEFAULT_RETRY_ON_CONFLICT));
        GetResponse<ObjectNode> doc = client.get(g -> g.index(index).id("incident-1"), ObjectNode.class);
        assertThat(doc.source().path("count").asInt()).isEqualTo(2);
        assertThat(doc.source().path("status").asText()).isEqualTo("open");
    }

    @Test
    void builderRefusesNegativeRetryCounts() {
        assertThatThrownBy(() -> sink(new Padded("x", -1)).refusedRequestRetries(-1).build())
                .hasMessageContaining("refusedRequestRetries");
        assertThatThrownBy(() -> sink(new Padded("x", -1)).retryOnConflict(-1).build())
                .hasMessageContaining("retryOnConflict");
    }
}
