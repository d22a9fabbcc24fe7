package io.vigil.localstack.flink;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Flink 2.2 standalone session cluster on this machine: one JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and N TaskManagers ({@code TaskManagerRunner}), each
 * a separate JVM started from Flink's artifacts on Maven Central (flink-dist is not published there).
 *
 * <p>CONTRACT (issue 19): the signatures below are what {@code vigil cluster}, the fault scenarios
 * of the benchmark and their tests code against. Every process writes its log under
 * {@link #logDir()}; the process ids are kept in {@code workDir/cluster.json} so that
 * {@link #attach(Path)} finds a cluster started by another command.
 */
public final class LocalFlinkCluster implements AutoCloseable {

    public static final int DEFAULT_TASK_MANAGERS = 1;
    public static final int DEFAULT_SLOTS = 2;
    public static final int DEFAULT_REST_PORT = 8081;
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(90);

    private LocalFlinkCluster() {
        throw new UnsupportedOperationException("issue 19: in progress");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The cluster whose state {@code workDir/cluster.json} describes (started by another process). */
    public static LocalFlinkCluster attach(Path workDir) throws IOException {
        throw new UnsupportedOperationException("issue 19: in progress");
    }

    /** Starts the JobManager and the TaskManagers; returns once all TaskManagers are registered. */
    public LocalFlinkCluster start() throws IOException {
        throw new UnsupportedOperationException("issue 19: in progress");
    }

    /** {@code http://127.0.0.1:<port>}: Flink's REST API and web UI. */
    public String restUrl() {
        throw new UnsupportedOperationException("issue 19: in progress");
    }

    /** Indexes of the TaskManager processes alive now (index = order of start, never reused). */
    public List<Integer> liveTaskManagers() {
        throw new UnsupportedOperationException("issue 19: in progress");
    }

    /** Starts one more TaskManager; returns its index once it is registered with the JobManager. */
    public int startTaskManager() throws IOException {
        throw new UnsupportedOperationException("issue 19: in progress");
    }

    /** {@code kill -9} of one TaskManager; returns without waiting for anything else. */
    public void killTaskManager(int index) {
        throw new UnsupportedOperationException("issue 19: in progress");
    }

    /** {@code kill -9} of the JobManager. */
    public void killJobManager() {
        throw new UnsupportedOperationException("issue 19: in progress");
    }

    /** Starts a JobManager again on the same REST port; returns once the REST API answers. */
    public void startJobManager() throws IOException {
        throw new UnsupportedOperationException("issue 19: in progress");
    }

    public boolean isJobManagerAlive() {
        throw new UnsupportedOperationException("issue 19: in progress");
    }

    public Path workDir() {
        throw new UnsupportedOperationException("issue 19: in progress");
    }

    /** Where checkpoints and savepoints go ({@code execution.checkpointing.dir}). */
    public Path checkpointDir() {
        throw new UnsupportedOperationException("issue 19: in progress");
    }

    public Path logDir() {
        throw new UnsupportedOperationException("issue 19: in progress");
    }

    /** The last lines of every process's log, for error messages. */
    public String logTail() {
        throw new UnsupportedOperationException("issue 19: in progress");
    }

    /** Stops every process (SIGTERM, then SIGKILL after a grace period) and forgets the state file. */
    public void stop() {
        throw new UnsupportedOperationException("issue 19: in progress");
    }

    @Override
    public void close() {
        stop();
    }

    /** Options of a local cluster; {@link #build()} validates them. */
    public static final class Builder {
        /** Working directory: logs, checkpoints, the state file (required). */
        public Builder workDir(Path workDir) { throw new UnsupportedOperationException(); }
        public Builder taskManagers(int n) { throw new UnsupportedOperationException(); }
        public Builder slots(int slotsPerTaskManager) { throw new UnsupportedOperationException(); }
        /** 0 picks a free port. */
        public Builder restPort(int port) { throw new UnsupportedOperationException(); }
        /** The Flink configuration file shared with docker-compose.yml ({@code deploy/flink/config.yaml}). */
        public Builder configFile(Path flinkConfigYaml) { throw new UnsupportedOperationException(); }
        /** One Flink configuration key over the file's (checkpoint interval, metrics reporter...). */
        public Builder set(String key, String value) { throw new UnsupportedOperationException(); }
        /** Environment of the TaskManagers (and JobManager): where secrets reach the job. */
        public Builder environment(Map<String, String> env) { throw new UnsupportedOperationException(); }
        /** The processes' classpath; default: the one the build wrote. */
        public Builder classpath(List<Path> jars) { throw new UnsupportedOperationException(); }
        public Builder startupTimeout(Duration timeout) { throw new UnsupportedOperationException(); }
        public LocalFlinkCluster build() { throw new UnsupportedOperationException(); }
    }
}
