package io.vigil.jobs.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.model.EcsJson;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.elasticsearch.client.Request;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job stopped mid-stream and started again continues from the Kafka offsets
 * committed with its last checkpoint: every alert is in Elasticsearch exactly once, none lost
 * (records after the checkpoint are read again) and none duplicated (alerts keep their ids).
 */
class StreamingRestartTest {

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

    @Test
    void aRestartContinuesFromTheCommittedOffsetsWithoutDuplicatesOrLosses() throws Exception {
        String prefix = "t2";
        StreamingJobTest.kafka.createTopics(1, prefix + ".syslog", prefix + ".windows", prefix + ".dead-letters", prefix + ".alerts");
        Instant t0 = Instant.parse("2024-06-02T08:00:00Z");
        String checkpoints = dir.resolve("chk").toString();
        VigilConfig config = helper.config(prefix, checkpoints);
        // first half: attacks from 10 addresses, then a later event to close their windows
        List<ProducerRecord<byte[], byte[]>> first = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            first.addAll(StreamingJobTest.bruteForce(prefix + ".syslog", "198.51.100." + i, t0.plusSeconds(i * 300L), 6, false));
        }
        StreamingJobTest.produce(first);
        JobClient job = helper.start(config);
        String index = "vigil-alerts-2024.06.02";
        // the first alerts are written, so the job has read the first half
        StreamingJobTest.await("first alerts",
                () -> StreamingJobTest.safely(() -> StreamingJobTest.alerts(index, "198.51.100.0").size() == 1));
        job.cancel().get();
        StreamingJobTest.await("the job to stop", () -> StreamingJobTest.safely(() -> job.getJobStatus().get() == JobStatus.CANCELED));

        // second half arrives while the job is down; the restarted job continues from the committed offsets
        List<ProducerRecord<byte[], byte[]>> second = new ArrayList<>();
        for (int i = 10; i < 20; i++) {
            second.addAll(StreamingJobTest.bruteForce(prefix + ".syslog", "198.51.100." + i, t0.plusSeconds(i * 300L), 6, false));
        }
        second.add(StreamingJobTest.record(prefix + ".syslog", t0.plusSeconds(7200),
                StreamingJobTest.SYSLOG.format(t0.plusSeconds(7200)) + " bastion CRON[9]: pam_unix(cron:session): session closed for user root"));
        StreamingJobTest.produce(second);
        JobClient resumed = helper.start(config);
        try {
            for (int i = 0; i < 20; i++) {
                String ip = "198.51.100." + i;
                StreamingJobTest.await("the alert of " + ip,
                        () -> StreamingJobTest.safely(() -> StreamingJobTest.alerts(index, ip).size() == 1));
            }
            StreamingJobTest.rest.performRequest(new Request("POST", "/" + index + "/_refresh"));
            JsonNode count = EcsJson.MAPPER.readTree(StreamingJobTest.rest.performRequest(
                    new Request("GET", "/" + index + "/_count")).getEntity().getContent());
            // every address alerted once for ssh-brute-force: none lost, none duplicated
            assertThat(count.get("count").asLong()).isEqualTo(20);
        } finally {
            resumed.cancel().get();
        }
    }

}
