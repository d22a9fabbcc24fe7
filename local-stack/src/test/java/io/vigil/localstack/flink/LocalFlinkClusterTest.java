package io.vigil.localstack.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone cluster of separate JVMs (one per class: the steps build on each other):
 * TaskManagers registered, killed and added, the JobManager killed and restarted with the surviving
 * TaskManagers registering again, and nothing left running after stop.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalFlinkClusterTest {

    static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;
    static LocalFlinkCluster cluster;
    static final List<ProcessHandle> seen = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        cluster = LocalFlinkCluster.builder().workDir(dir).taskManagers(2).slots(1).restPort(0)
                .configFile(sharedConfig()).build().start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.stop();
        }
    }

    @Test
    @Order(1)
    void startsAJobManagerAndTwoRegisteredTaskManagersOnTheSharedConfiguration() throws Exception {
        assertThat(cluster.liveTaskManagers()).containsExactly(0, 1);
        assertThat(cluster.registeredTaskManagers()).isEqualTo(2);
        assertThat(cluster.isJobManagerAlive()).isTrue();
        String overview = get("/overview");
        assertThat(overview).contains("\"slots-total\":2");
        // the shared file is the base, with this machine's directories over it
        String config = Files.readString(cluster.confDir().resolve("config.yaml"));
        assertThat(config).contains("RETAIN_ON_CANCELLATION").contains(cluster.checkpointDir().toUri().toString())
                .doesNotContain("/opt/flink/checkpoints");
        assertThat(get("/jobmanager/config")).contains("execution.checkpointing.num-retained");
        // the Prometheus reporter of the shared file: one port per process, serving Flink's metrics
        Map<String, Integer> ports = cluster.prometheusPorts();
        assertThat(ports).containsOnlyKeys("jobmanager-0", "taskmanager-0", "taskmanager-1");
        assertThat(http("http://127.0.0.1:" + ports.get("taskmanager-0") + "/metrics"))
                .contains("flink_taskmanager_Status_JVM_CPU_Load");
        // another command finds it through the state file
        LocalFlinkCluster attached = LocalFlinkCluster.attach(dir);
        assertThat(attached.restUrl()).isEqualTo(cluster.restUrl());
        assertThat(attached.liveTaskManagers()).containsExactly(0, 1);
        assertThat(attached.isJobManagerAlive()).isTrue();
        ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(dir.toString()))
                .forEach(seen::add);
        assertThat(seen).hasSizeGreaterThanOrEqualTo(3);
        // a second start in the same directory is refused while it runs
        assertThatThrownBy(() -> LocalFlinkCluster.builder().workDir(dir).restPort(0).build().start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already runs");
    }

    @Test
    @Order(2)
    void aKilledTaskManagerLeavesTheClusterAndANewOneJoins() throws Exception {
        cluster.killTaskManager(0);
        assertThat(cluster.liveTaskManagers()).containsExactly(1);
        awaitRegistered(n -> n == 1, "the JobManager to notice the killed TaskManager");
        int index = cluster.startTaskManager();
        assertThat(index).isEqualTo(2);
        assertThat(cluster.liveTaskManagers()).containsExactly(1, 2);
        awaitRegistered(n -> n == 2, "the new TaskManager");
    }

    @Test
    @Order(3)
    void theTaskManagersRegisterAgainWithARestartedJobManager() throws Exception {
        String restUrl = cluster.restUrl();
        cluster.killJobManager();
        assertThat(cluster.isJobManagerAlive()).isFalse();
        assertThat(cluster.registeredTaskManagers()).isEqualTo(-1);
        cluster.startJobManager();
        assertThat(cluster.restUrl()).isEqualTo(restUrl);
        awaitRegistered(n -> n == 2, "the surviving TaskManagers to register with the new JobManager");
        assertThat(cluster.liveTaskManagers()).containsExactly(1, 2);
    }

    @Test
    @Order(4)
    void stopLeavesNoProcess() throws Exception {
        ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(dir.toString()))
                .forEach(seen::add);
        cluster.stop();
        assertThat(seen).allSatisfy(p -> assertThat(p.isAlive()).as("pid %s", p.pid()).isFalse());
        assertThat(cluster.liveTaskManagers()).isEmpty();
        assertThat(cluster.isJobManagerAlive()).isFalse();
        assertThat(dir.resolve("cluster.json")).doesNotExist();
        assertThat(cluster.logDir().resolve("jobmanager-1.log")).exists();
    }

    static void awaitRegistered(IntPredicate expected, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(DEADLINE);
        int n;
        while (!expected.test(n = cluster.registeredTaskManagers())) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Timed out waiting for " + what + "; registered: " + n + "\n" + cluster.logTail());
            }
            Thread.sleep(200);
        }
    }

    static String get(String path) throws Exception {
        return http(cluster.restUrl() + path);
    }

    static String http(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }

    /** deploy/flink/config.yaml of this repository (the tests run in local-stack/). */
    static Path sharedConfig() {
        return LocalFlinkCluster.sharedConfig().orElseThrow(() -> new AssertionError(
                "deploy/flink/config.yaml not found above " + Path.of("").toAbsolutePath()));
    }
}
