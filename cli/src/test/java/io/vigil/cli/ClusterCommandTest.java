package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.cli.flink.FlinkRest;
import io.vigil.jobs.stream.StreamingJobTest;
import io.vigil.jobs.stream.StreamingServices;
import io.vigil.localstack.flink.LocalFlinkCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil cluster} and {@code vigil status} against a real local cluster (a JobManager and a
 * TaskManager as separate JVMs) running the real job jar on a real Kafka topic and Elasticsearch
 * node: started, the job submitted and healthy, savepointed, restored at another parallelism,
 * stopped; and the status of a cluster that does not answer.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterCommandTest {

    static final String PREFIX = "cluster-command";
    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    static final Duration DEADLINE = Duration.ofSeconds(90);
    static final int RECORDS = 12;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;
    static Path clusterDir;
    static Path config;
    static String restUrl;
    static String jobId;

    String out;
    String err;

    @BeforeAll
    static void topicsAndConfiguration() throws Exception {
        clusterDir = dir.resolve("cluster");
        StreamingJobTest.services();
        StreamingServices.KAFKA.createTopics(PREFIX + ".syslog", PREFIX + ".windows", PREFIX + ".dead-letters",
                PREFIX + ".alerts");
        Map<String, String> settings = new TreeMap<>(new StreamingJobTest().settings(PREFIX, dir.resolve("chk").toString()));
        settings.put("checkpoints.interval", "1s");
        StringBuilder yaml = new StringBuilder();
        settings.forEach((k, v) -> yaml.append(k).append(": \"").append(v).append("\"\n"));
        config = Files.writeString(dir.resolve("vigil.yaml"), yaml);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (Files.exists(clusterDir.resolve("cluster.json"))) {
            LocalFlinkCluster.attach(clusterDir).stop();
        }
    }

    @Test
    @Order(1)
    void startsAClusterAndReportsItsProcessesAndSlots() {
        assertThat(run("cluster", "start", "--dir", clusterDir.toString(), "--taskmanagers", "1", "--slots", "2",
                "--rest-port", "0")).as(err).isZero();
        Matcher url = Pattern.compile("Flink cluster started: (http://127\\.0\\.0\\.1:\\d+)").matcher(out);
        assertThat(url.find()).as(out).isTrue();
        restUrl = url.group(1);
        assertThat(out).contains("deploy/flink/config.yaml".replace('/', java.io.File.separatorChar));

        assertThat(run("cluster", "status", "--dir", clusterDir.toString())).as(out + err).isZero();
        assertThat(out).contains("JobManager process   running").contains("TaskManager processes 1 running [0]")
                .contains("registered           1 TaskManager(s), 2 of 2 slot(s) free").contains("jobs                 none");
    }

    @Test
    @Order(2)
    void submitsTheJobJarAndTheJobIsHealthy() throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = StreamingJobTest.bruteForce(PREFIX + ".syslog", "203.0.113.9",
                T0, RECORDS, false);
        StreamingJobTest.produce(records);
        assertThat(run("cluster", "submit", "--dir", clusterDir.toString(), "--config", config.toString()))
                .as(out + err).isZero();
        Matcher submitted = Pattern.compile("Job ([0-9a-f]{32}) submitted to " + Pattern.quote(restUrl) + ": RUNNING")
                .matcher(out);
        assertThat(submitted.find()).as(out).isTrue();
        jobId = submitted.group(1);

        // healthy: running, a checkpoint taken, every record read
        String status = awaitStatus(s -> s.contains("Checkpoint   #") && s.contains("Kafka lag    0 record(s)"));
        assertThat(status).contains("Job          " + jobId + "  RUNNING").contains("0 restart(s)")
                .contains("Health       OK");
        FlinkRest rest = new FlinkRest(restUrl);
        double read = rest.vertexMetrics(jobId, List.of("numRecordsIn")).getOrDefault("numRecordsIn", 0.0);
        assertThat(read).as("records the job's tasks took in").isGreaterThanOrEqualTo(records.size());
        assertThat(rest.checkpoints(jobId).latestExternalPath()).startsWith("file:" + dir.resolve("chk").toUri().getPath());

        // a second submission while it runs is refused
        assertThat(run("cluster", "submit", "--dir", clusterDir.toString(), "--config", config.toString())).isEqualTo(1);
        assertThat(err).contains("is already RUNNING");
    }

    @Test
    @Order(3)
    void aSavepointWithStopIsRestoredAtAnotherParallelism() throws Exception {
        assertThat(run("cluster", "savepoint", "--dir", clusterDir.toString(), "--stop")).as(out + err).isZero();
        String savepoint = out.strip();
        assertThat(Path.of(java.net.URI.create(savepoint)).resolve("_metadata")).isRegularFile();
        assertThat(Path.of(java.net.URI.create(savepoint))).startsWith(clusterDir.resolve("checkpoints/savepoints"));
        FlinkRest rest = new FlinkRest(restUrl);
        assertThat(rest.job(jobId).state()).isEqualTo("FINISHED");
        assertThat(run("status", "--config", config.toString(), "--rest", restUrl)).isEqualTo(1);
        assertThat(out).contains("Health       UNHEALTHY: job FINISHED");

        assertThat(run("cluster", "submit", "--dir", clusterDir.toString(), "--config", config.toString(),
                "--from-savepoint", savepoint, "--parallelism", "2")).as(out + err).isZero();
        Matcher submitted = Pattern.compile("Job ([0-9a-f]{32}) submitted").matcher(out);
        assertThat(submitted.find()).isTrue();
        String restored = submitted.group(1);
        assertThat(restored).isNotEqualTo(jobId);
        assertThat(rest.checkpoints(restored).restored()).isEqualTo(1);
        awaitStatus(s -> s.contains("Job          " + restored + "  RUNNING"));
    }

    @Test
    @Order(4)
    void statusOfAnUnreachableClusterExitsWithTwo() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        assertThat(run("status", "--config", config.toString(), "--rest", url, "--timeout", "PT2S")).isEqualTo(2);
        assertThat(err).contains("UNREACHABLE").contains(url + "/overview");
        assertThat(out).isEmpty();
    }

    @Test
    @Order(5)
    void stopEndsEveryProcess() throws Exception {
        LocalFlinkCluster cluster = LocalFlinkCluster.attach(clusterDir);
        List<ProcessHandle> processes = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(clusterDir.toString())).toList();
        assertThat(processes).hasSize(2);
        assertThat(run("cluster", "stop", "--dir", clusterDir.toString())).as(err).isZero();
        assertThat(processes).allSatisfy(p -> assertThat(p.isAlive()).isFalse());
        assertThat(cluster.isJobManagerAlive()).isFalse();
        assertThat(run("cluster", "status", "--dir", clusterDir.toString())).isEqualTo(1);
        assertThat(err).contains("No local Flink cluster in");
    }

    String awaitStatus(Predicate<String> done) throws InterruptedException {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (true) {
            int code = run("status", "--config", config.toString(), "--rest", restUrl);
            if (code == 0 && done.test(out)) {
                return out;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("vigil status never got there; last (exit " + code + "):\n" + out + err);
            }
            Thread.sleep(500);
        }
    }

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        var cl = VigilCli.commandLine();
        cl.setOut(new PrintWriter(o, true));
        cl.setErr(new PrintWriter(e, true));
        int code = cl.execute(args);
        out = o.toString();
        err = e.toString();
        return code;
    }
}
