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
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
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
        StreamingJobTest.cancel(job);
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
            StreamingJobTest.cancel(resumed);
        }
    }

    @Test
    void aJobResumedFromItsCheckpointKeepsTheCorrelationStateOfAttacksInProgress() throws Exception {
        String prefix = "t3";
        String topic = prefix + ".syslog";
        StreamingJobTest.kafka.createTopics(1, topic, prefix + ".windows", prefix + ".dead-letters", prefix + ".alerts");
        Instant t0 = Instant.parse("2024-06-03T09:00:00Z");
        String checkpoints = dir.resolve("chk").toString();
        VigilConfig config = helper.config(prefix, checkpoints);
        // three failed logins from each of 10 addresses: below the threshold of five in 60 s
        StreamingJobTest.produce(failures(topic, t0, 0, 3));
        JobClient job = helper.start(config);
        // offsets are committed when a checkpoint completes: then its state holds all 30 failures
        StreamingJobTest.await("a checkpoint after the first 30 records", () -> StreamingJobTest.safely(
                () -> committed(prefix, topic) == 30));
        StreamingJobTest.cancel(job);
        StreamingJobTest.await("the job to stop", () -> StreamingJobTest.safely(() -> job.getJobStatus().get() == JobStatus.CANCELED));
        assertThat(Checkpoints.latest(checkpoints)).as("a retained checkpoint").isPresent();

        // the next three failures of each address, then a later event closes the windows
        List<ProducerRecord<byte[], byte[]>> second = new ArrayList<>(failures(topic, t0, 3, 6));
        second.add(StreamingJobTest.record(topic, t0.plusSeconds(600), StreamingJobTest.SYSLOG.format(t0.plusSeconds(600))
                + " bastion CRON[9]: pam_unix(cron:session): session closed for user root"));
        StreamingJobTest.produce(second);
        JobClient resumed = helper.start(config, Checkpoints.latest(checkpoints).orElseThrow().toString());
        String index = "vigil-alerts-2024.06.03";
        try {
            // each address reaches five failures only with the three restored from the checkpoint
            for (int i = 0; i < 10; i++) {
                String ip = "192.0.2." + i;
                StreamingJobTest.await("the alert of " + ip,
                        () -> StreamingJobTest.safely(() -> StreamingJobTest.alerts(index, ip).size() == 1));
            }
            StreamingJobTest.rest.performRequest(new Request("POST", "/" + index + "/_refresh"));
            JsonNode count = EcsJson.MAPPER.readTree(StreamingJobTest.rest.performRequest(
                    new Request("GET", "/" + index + "/_count")).getEntity().getContent());
            assertThat(count.get("count").asLong()).isEqualTo(10);
            JsonNode alert = StreamingJobTest.alerts(index, "192.0.2.3").get(0).get("_source");
            assertThat(alert.at("/rule/id").asText()).isEqualTo("ssh-brute-force");
            // the alert starts at the first failure, which only the restored state remembers
            assertThat(alert.at("/event/start").asText()).isEqualTo("2024-06-03T09:00:00Z");
        } finally {
            StreamingJobTest.cancel(resumed);
        }
    }

    @Test
    void aTaskManagerLostMidAttackIsReplacedAndTheJobRecoversItsStateFromTheLastCheckpoint(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        String prefix = "t4";
        String topic = prefix + ".syslog";
        StreamingJobTest.kafka.createTopics(1, topic, prefix + ".windows", prefix + ".dead-letters", prefix + ".alerts");
        Instant t0 = Instant.parse("2024-06-04T09:00:00Z");
        VigilConfig config = helper.config(prefix, dir.resolve("chk").toString());
        StreamingJobTest.produce(failures(topic, t0, 0, 3));
        JobClient job = helper.start(config);
        String index = "vigil-alerts-2024.06.04";
        try {
            StreamingJobTest.await("a checkpoint after the first 30 records", () -> StreamingJobTest.safely(
                    () -> committed(prefix, topic) == 30));
            // the fourth failures may or may not be processed (and checkpointed) before the loss
            StreamingJobTest.produce(failures(topic, t0, 3, 4));
            cluster.terminateTaskManager(0).get();
            cluster.startTaskManager();
            List<ProducerRecord<byte[], byte[]>> rest = new ArrayList<>(failures(topic, t0, 4, 6));
            rest.add(StreamingJobTest.record(topic, t0.plusSeconds(600), StreamingJobTest.SYSLOG.format(t0.plusSeconds(600))
                    + " bastion CRON[9]: pam_unix(cron:session): session closed for user root"));
            StreamingJobTest.produce(rest);
            for (int i = 0; i < 10; i++) {
                String ip = "192.0.2." + i;
                StreamingJobTest.await("the alert of " + ip,
                        () -> StreamingJobTest.safely(() -> StreamingJobTest.alerts(index, ip).size() == 1));
            }
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            StreamingJobTest.rest.performRequest(new Request("POST", "/" + index + "/_refresh"));
            JsonNode count = EcsJson.MAPPER.readTree(StreamingJobTest.rest.performRequest(
                    new Request("GET", "/" + index + "/_count")).getEntity().getContent());
            assertThat(count.get("count").asLong()).isEqualTo(10);
            assertThat(StreamingJobTest.alerts(index, "192.0.2.7").get(0).at("/_source/event/start").asText())
                    .isEqualTo("2024-06-04T09:00:00Z");
        } finally {
            StreamingJobTest.cancel(job);
        }
    }

    /** Failed sshd logins number {@code from} (inclusive) to {@code to} of addresses 192.0.2.0–9, 5 s apart. */
    private static List<ProducerRecord<byte[], byte[]>> failures(String topic, Instant t0, int from, int to) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (int k = from; k < to; k++) {
            for (int i = 0; i < 10; i++) {
                Instant t = t0.plusSeconds(5L * k).plusMillis(100L * i);
                out.add(StreamingJobTest.record(topic, t, StreamingJobTest.SYSLOG.format(t) + " bastion sshd[" + (100 + k)
                        + "]: Failed password for root from 192.0.2." + i + " port " + (40000 + k) + " ssh2"));
            }
        }
        return out;
    }

    private static long committed(String group, String topic) throws Exception {
        try (var admin = StreamingJobTest.kafka.admin()) {
            var offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            var offset = offsets.get(new org.apache.kafka.common.TopicPartition(topic, 0));
            return offset == null ? -1 : offset.offset();
        }
    }
}
