package io.vigil.connectors.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The writer alone, on a hand-driven processing-time clock. */
class ElasticsearchSinkWriterTest {

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

    /** A processing-time service whose time moves only when the test says so. */
    static final class ManualTime implements ProcessingTimeService {
        private long now = 1_000_000;
        private final List<long[]> due = new ArrayList<>();
        private final List<ProcessingTimeCallback> callbacks = new ArrayList<>();

        @Override
        public long getCurrentProcessingTime() {
            return now;
        }

        @Override
        public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback callback) {
            due.add(new long[] {timestamp});
            callbacks.add(callback);
            return null;
        }

        void advance(long ms) throws Exception {
            now += ms;
            for (int i = 0; i < due.size(); i++) {
                if (due.get(i)[0] <= now) {
                    ProcessingTimeCallback c = callbacks.remove(i);
                    due.remove(i);
                    i--;
                    c.onProcessingTime(now);
                }
            }
        }
    }

    private static long count(String index) throws IOException {
        client.indices().refresh(r -> r.index(index).allowNoIndices(true).ignoreUnavailable(true));
        return client.count(c -> c.index(index).allowNoIndices(true).ignoreUnavailable(true)).count();
    }

    @Test
    void theTimeBoundSendsABufferEvenWhenNoMoreRecordsArrive() throws Exception {
        String index = "vigil-alerts-2001.02.01";
        ElasticsearchSink<Long> sink = ElasticsearchSink.<Long>builder()
                .connection(ElasticsearchTestNode.connection())
                .mapper(new ElasticsearchSinkTest.NumberedAlerts(index, -1))
                .build(); // 1000 documents, 5 MB, 1 s
        ManualTime time = new ManualTime();
        try (ElasticsearchSink.Writer<Long> writer = new ElasticsearchSink.Writer<>(
                sink, ElasticsearchTestNode.client(), time, UnregisteredMetricsGroup.createSinkWriterMetricGroup())) {
            for (long n = 1; n <= 3; n++) {
                writer.write(n, null);
            }
            time.advance(500);
            assertThat(count(index)).as("still buffered before the interval").isZero();
            time.advance(500);
            assertThat(count(index)).as("sent by the timer after 1 s").isEqualTo(3);
            writer.write(4L, null);
            time.advance(1_000);
            assertThat(count(index)).isEqualTo(4);
        }
    }

    @Test
    void aFullBufferIsSentFromWrite() throws Exception {
        String index = "vigil-alerts-2001.02.02";
        ElasticsearchSink<Long> sink = ElasticsearchSink.<Long>builder()
                .connection(ElasticsearchTestNode.connection())
                .mapper(new ElasticsearchSinkTest.NumberedAlerts(index, -1))
                .maxActions(10)
                .build();
        ManualTime time = new ManualTime();
        try (ElasticsearchSink.Writer<Long> writer = new ElasticsearchSink.Writer<>(
                sink, ElasticsearchTestNode.client(), time, UnregisteredMetricsGroup.createSinkWriterMetricGroup())) {
            for (long n = 1; n <= 25; n++) {
                writer.write(n, null);
            }
            assertThat(count(index)).isEqualTo(20);
            writer.flush(false);
            assertThat(count(index)).isEqualTo(25);
        }
    }

    @Test
    void labelledMetricsCountRefusalsAndShowPendingDocuments() throws Exception {
        String index = "vigil-alerts-2001.02.03";
        ElasticsearchSink<Long> sink = ElasticsearchSink.<Long>builder()
                .connection(ElasticsearchTestNode.connection())
                .mapper(new ElasticsearchSinkTest.NumberedAlerts(index, 2)) // alert 2: "not-an-ip", refused
                .labelledMetrics("vigil", "output", "alerts")
                .build();
        RecordingMetricGroup metrics = new RecordingMetricGroup();
        try (ElasticsearchSink.Writer<Long> writer = new ElasticsearchSink.Writer<>(
                sink, ElasticsearchTestNode.client(), new ManualTime(), metrics)) {
            RecordingMetricGroup alerts = metrics.child("vigil").child("output=alerts");
            for (long n = 1; n <= 3; n++) {
                writer.write(n, null);
            }
            assertThat(alerts.gauge(ElasticsearchSink.METRIC_PENDING)).isEqualTo(3);
            writer.flush(false);
            assertThat(alerts.gauge(ElasticsearchSink.METRIC_PENDING)).isEqualTo(0);
            assertThat(count(index)).isEqualTo(2);
            assertThat(alerts.count(ElasticsearchSink.METRIC_REFUSALS)).isEqualTo(1);
            assertThat(alerts.count(ElasticsearchSink.METRIC_RETRIES)).isZero();
            // the writer's own counter, unlabelled, is the same count
            assertThat(metrics.count(ElasticsearchSink.METRIC_REJECTED)).isEqualTo(1);
        }
    }
}
