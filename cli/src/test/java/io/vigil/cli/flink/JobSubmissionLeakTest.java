package io.vigil.cli.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.jobs.stream.StreamingJobTest;
import io.vigil.jobs.stream.StreamingServices;
import io.vigil.localstack.flink.LocalFlinkCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real job jar submitted again and again to a real standalone cluster (a JobManager and a
 * TaskManager as separate JVMs, on a real Kafka broker and Elasticsearch node), each job cancelled
 * before the next: no submission may leave its user-code class loader behind, in the JobManager
 * (which runs {@code StreamingMain.main} per {@code /jars/:id/run}) or in the TaskManager. A
 * leaked loader keeps every class of the jar (Drools, Jackson, the Kafka and Elasticsearch
 * clients) in metaspace, and the JobManager died of {@code OutOfMemoryError: Metaspace} after a
 * few submissions (the fault harness's JobManager restart run, issue 19).
 *
 * <p>Counted after a full GC ({@code jcmd GC.class_histogram}): the instances of Flink's user-code
 * class loaders alive after {@link #SUBMISSIONS} submissions must not grow with their number (at
 * most {@link #KEPT}). Before the fix, the JobManager held one per submission: the threads of
 * Drools' compiler pool, started by the job's main, never ended and pinned the loader.
 */
class JobSubmissionLeakTest {

    private static final Logger LOG = LoggerFactory.getLogger(JobSubmissionLeakTest.class);

    static final String PREFIX = "submission-leak";
    static final int SUBMISSIONS = 4;
    /**
     * Loaders a process may still hold after its jobs are gone, whatever their number: Flink's own
     * (e.g. the newest job's, until its library cache lets it go).
     */
    static final int KEPT = 1;
    /** Time for what a job left (idle pool threads, Drools' end after 2 s) to end. */
    static final Duration RELEASE_DEADLINE = Duration.ofSeconds(30);
    static final Duration DEADLINE = Duration.ofSeconds(60);
    /** Flink's user-code class loaders ({@code FlinkUserCodeClassLoaders}: child first, parent first). */
    static final Pattern USER_CODE_LOADER = Pattern.compile(
            "^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+(org\\.apache\\.flink\\.\\S*(ChildFirst|ParentFirst)ClassLoader)\\b",
            Pattern.MULTILINE);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;
    static LocalFlinkCluster cluster;
    static Path config;

    @BeforeAll
    static void clusterAndServices() throws Exception {
        StreamingJobTest.services();
        StreamingServices.KAFKA.createTopics(PREFIX + ".syslog", PREFIX + ".windows", PREFIX + ".dead-letters",
                PREFIX + ".alerts");
        Map<String, String> settings = new TreeMap<>(new StreamingJobTest().settings(PREFIX, dir.resolve("chk").toString()));
        settings.put("checkpoints.interval", "10s");
        StringBuilder yaml = new StringBuilder();
        settings.forEach((k, v) -> yaml.append(k).append(": \"").append(v).append("\"\n"));
        config = Files.writeString(dir.resolve("vigil.yaml"), yaml);
        cluster = LocalFlinkCluster.builder().workDir(dir.resolve("cluster")).taskManagers(1).slots(2).restPort(0)
                .configFile(LocalFlinkCluster.sharedConfig().orElseThrow()).build().start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.stop();
        }
    }

    @Test
    void submissionsCancelledOneAfterTheOtherLeaveNoUserCodeClassLoaderBehind() throws Exception {
        FlinkRest rest = new FlinkRest(cluster.restUrl());
        String jarId = rest.uploadJar(JobJar.locate());
        long jobManager = cluster.jobManagerPid().orElseThrow();
        long taskManager = cluster.taskManagerPid(0).orElseThrow();

        submitAndCancel(rest, jarId);
        double metaspaceAfterOne = metaspaceUsed(rest);
        for (int i = 1; i < SUBMISSIONS; i++) {
            submitAndCancel(rest, jarId);
        }
        // a loader goes once nothing holds it any more: threads of the job's libraries end when idle
        int jm = awaitAtMost(jobManager, KEPT);
        int tm = awaitAtMost(taskManager, KEPT);
        double metaspace = metaspaceUsed(rest);
        LOG.info("After {} submissions: user-code class loaders alive: JobManager {}, TaskManager {}; "
                        + "JobManager metaspace {} MiB after the first, {} MiB now", SUBMISSIONS, jm, tm,
                Math.round(metaspaceAfterOne / (1 << 20)), Math.round(metaspace / (1 << 20)));
        if (jm > KEPT) {
            Files.writeString(dir.resolve("jobmanager-threads.txt"), jcmd(jobManager, "Thread.print"));
        }
        assertThat(jm).as("user-code class loaders alive in the JobManager after %d submissions, each cancelled "
                + "(its threads: %s)", SUBMISSIONS, dir.resolve("jobmanager-threads.txt")).isLessThanOrEqualTo(KEPT);
        assertThat(tm).as("user-code class loaders alive in the TaskManager after %d submissions, each cancelled",
                SUBMISSIONS).isLessThanOrEqualTo(KEPT);
    }

    /** Polls the live user-code loaders of {@code pid} until at most {@code n}, or the deadline; returns the last count. */
    static int awaitAtMost(long pid, int n) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(RELEASE_DEADLINE);
        int alive;
        while ((alive = userCodeLoaders(pid)) > n && Instant.now().isBefore(deadline)) {
            Thread.sleep(1000);
        }
        return alive;
    }

    static void submitAndCancel(FlinkRest rest, String jarId) throws Exception {
        String jobId = rest.runJar(jarId, JobJar.ENTRY_CLASS, List.of("--config", config.toString()), null, null, false);
        awaitState(rest, jobId, "RUNNING");
        rest.cancel(jobId);
        awaitState(rest, jobId, "CANCELED");
    }

    static void awaitState(FlinkRest rest, String jobId, String expected) throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        String state;
        while (!expected.equals(state = rest.job(jobId).state())) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("job " + jobId + " never " + expected + ", still " + state + "\n" + cluster.logTail());
            }
            Thread.sleep(100);
        }
    }

    /** Live instances of Flink's user-code class loaders in process {@code pid}, after the full GC the histogram runs. */
    static int userCodeLoaders(long pid) throws IOException, InterruptedException {
        String histogram = jcmd(pid, "GC.class_histogram");
        Matcher m = USER_CODE_LOADER.matcher(histogram);
        int n = 0;
        while (m.find()) {
            n += Integer.parseInt(m.group(1));
        }
        return n;
    }

    static double metaspaceUsed(FlinkRest rest) throws IOException {
        return rest.jobManagerMetrics(List.of("Status.JVM.Memory.Metaspace.Used"))
                .getOrDefault("Status.JVM.Memory.Metaspace.Used", Double.NaN);
    }

    static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(List.of(java.toString(), String.valueOf(pid), command))
                .redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " " + command + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
