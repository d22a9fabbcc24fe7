package io.vigil.cli.flink;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A client of Flink's REST API (the JobManager's port 8081): what {@code vigil cluster},
 * {@code vigil status} and the fault scenarios need, over {@code java.net.http} and Jackson.
 *
 * <p>CONTRACT (issue 19): signatures fixed; every call fails with an {@link IOException} that names
 * the URL and Flink's own error text.
 */
public final class FlinkRest {

    /** A job as {@code /jobs/overview} lists it. */
    public record Job(String id, String name, String state, Instant startTime) {}

    /** {@code /jobs/:id/checkpoints}: counts and the newest completed checkpoint. */
    public record Checkpoints(long completed, long failed, long restored, Long latestId,
                              Instant latestCompleted, String latestExternalPath) {}

    public FlinkRest(String baseUrl) {
        throw new UnsupportedOperationException("issue 19: in progress");
    }

    public FlinkRest(String baseUrl, Duration timeout) {
        throw new UnsupportedOperationException("issue 19: in progress");
    }

    /** True when the REST API answers {@code /overview}. */
    public boolean reachable() { throw new UnsupportedOperationException(); }

    /** TaskManagers registered, and free/total slots. */
    public Map<String, Integer> overview() throws IOException { throw new UnsupportedOperationException(); }

    public List<Job> jobs() throws IOException { throw new UnsupportedOperationException(); }

    public Job job(String jobId) throws IOException { throw new UnsupportedOperationException(); }

    public Checkpoints checkpoints(String jobId) throws IOException { throw new UnsupportedOperationException(); }

    /** Uploads a jar ({@code POST /jars/upload}); returns its id on the cluster. */
    public String uploadJar(Path jar) throws IOException { throw new UnsupportedOperationException(); }

    /**
     * Runs an uploaded jar's main ({@code POST /jars/:id/run}); returns the job id.
     *
     * @param savepointPath a savepoint or retained checkpoint to restore, or {@code null}
     * @param parallelism the job's parallelism, or {@code null} for the cluster's default
     */
    public String runJar(String jarId, String entryClass, List<String> args, Integer parallelism,
                         String savepointPath, boolean allowNonRestoredState) throws IOException {
        throw new UnsupportedOperationException();
    }

    /** Triggers a savepoint (optionally stopping the job) and waits for its path. */
    public String savepoint(String jobId, Path targetDir, boolean stopJob, Duration timeout) throws IOException {
        throw new UnsupportedOperationException();
    }

    public void cancel(String jobId) throws IOException { throw new UnsupportedOperationException(); }

    /**
     * The values of metrics of a job's vertices, summed over subtasks
     * ({@code /jobs/:id/vertices/:vid/subtasks/metrics?get=...&agg=sum}), keyed by metric id.
     */
    public Map<String, Double> vertexMetrics(String jobId, List<String> metricIds) throws IOException {
        throw new UnsupportedOperationException();
    }
}
