package io.vigil.cli.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A client of Flink's REST API (the JobManager's port 8081): what {@code vigil cluster},
 * {@code vigil status} and the fault scenarios need, over {@code java.net.http} and Jackson.
 *
 * <p>Every call fails with an {@link IOException} that names the URL and Flink's own error text
 * (the {@code errors} of its answer).
 */
public final class FlinkRest {

    /** A job as {@code /jobs/overview} lists it. */
    /** Characters of metric ids per {@code get=} request (see {@link #vertexMetrics}). */
    static final int MAX_GET_CHARS = 1_000;

    public record Job(String id, String name, String state, Instant startTime) {}

    /** {@code /jobs/:id/checkpoints}: counts and the newest completed checkpoint. */
    public record Checkpoints(long completed, long failed, long restored, Long latestId,
                              Instant latestCompleted, String latestExternalPath) {}

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final Duration timeout;
    private final HttpClient http;

    public FlinkRest(String baseUrl) {
        this(baseUrl, DEFAULT_TIMEOUT);
    }

    public FlinkRest(String baseUrl, Duration timeout) {
        String url = baseUrl.strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("Not a Flink REST URL (http[s]://host:port): " + baseUrl);
        }
        this.baseUrl = url;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout.compareTo(Duration.ofSeconds(5)) < 0
                ? timeout : Duration.ofSeconds(5)).build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** True when the REST API answers {@code /overview}. */
    public boolean reachable() {
        try {
            get("/overview");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** TaskManagers registered, and free/total slots. */
    public Map<String, Integer> overview() throws IOException {
        JsonNode o = get("/overview");
        Map<String, Integer> out = new LinkedHashMap<>();
        o.fields().forEachRemaining(e -> {
            if (e.getValue().isIntegralNumber()) {
                out.put(e.getKey(), e.getValue().asInt());
            }
        });
        return out;
    }

    public List<Job> jobs() throws IOException {
        List<Job> out = new ArrayList<>();
        for (JsonNode j : get("/jobs/overview").path("jobs")) {
            out.add(job(j));
        }
        return out;
    }

    public Job job(String jobId) throws IOException {
        return job(get("/jobs/" + jobId));
    }

    private static Job job(JsonNode j) {
        long start = j.path("start-time").asLong(-1);
        return new Job(j.path("jid").asText(), j.path("name").asText(), j.path("state").asText(),
                start > 0 ? Instant.ofEpochMilli(start) : null);
    }

    public Checkpoints checkpoints(String jobId) throws IOException {
        JsonNode c = get("/jobs/" + jobId + "/checkpoints");
        JsonNode counts = c.path("counts");
        JsonNode latest = c.path("latest").path("completed");
        boolean any = latest.isObject();
        return new Checkpoints(counts.path("completed").asLong(), counts.path("failed").asLong(),
                counts.path("restored").asLong(), any ? latest.path("id").asLong() : null,
                any ? Instant.ofEpochMilli(latest.path("latest_ack_timestamp").asLong()) : null,
                any && latest.hasNonNull("external_path") ? latest.path("external_path").asText() : null);
    }

    /** Uploads a jar ({@code POST /jars/upload}); returns its id on the cluster. */
    public String uploadJar(Path jar) throws IOException {
        String boundary = "----vigil" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = request("/jars/upload").timeout(timeout.multipliedBy(4))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        JsonNode answer = send(request);
        String file = answer.path("filename").asText("");
        if (!"success".equals(answer.path("status").asText()) || file.isEmpty()) {
            throw new IOException("Flink did not accept the jar " + jar + " at " + request.uri() + ": " + answer);
        }
        return Path.of(file).getFileName().toString();
    }

    /**
     * Runs an uploaded jar's main ({@code POST /jars/:id/run}); returns the job id.
     *
     * @param savepointPath a savepoint or retained checkpoint to restore, or {@code null}
     * @param parallelism the job's parallelism, or {@code null} for the cluster's default
     */
    public String runJar(String jarId, String entryClass, List<String> args, Integer parallelism,
                         String savepointPath, boolean allowNonRestoredState) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("entryClass", entryClass);
        ArrayNode list = body.putArray("programArgsList");
        args.forEach(list::add);
        if (parallelism != null) {
            body.put("parallelism", parallelism);
        }
        if (savepointPath != null) {
            body.put("savepointPath", savepointPath);
            body.put("allowNonRestoredState", allowNonRestoredState);
        }
        // the job's main runs on the JobManager: building the graph (rules compiled) takes a while
        JsonNode answer = send(request("/jars/" + jarId + "/run").timeout(timeout.multipliedBy(4))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
        String jobId = answer.path("jobid").asText("");
        if (jobId.isEmpty()) {
            throw new IOException("Flink ran " + jarId + " but answered no job id: " + answer);
        }
        return jobId;
    }

    /** Triggers a savepoint (optionally stopping the job) and waits for its path. */
    public String savepoint(String jobId, Path targetDir, boolean stopJob, Duration timeout) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        String path;
        if (stopJob) {
            path = "/jobs/" + jobId + "/stop";
            if (targetDir != null) {
                body.put("targetDirectory", targetDir.toUri().toString());
            }
            body.put("drain", false);
        } else {
            path = "/jobs/" + jobId + "/savepoints";
            if (targetDir != null) {
                body.put("target-directory", targetDir.toUri().toString());
            }
            body.put("cancel-job", false);
        }
        JsonNode trigger = send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
        String requestId = trigger.path("request-id").asText("");
        if (requestId.isEmpty()) {
            throw new IOException("No savepoint request id from " + baseUrl + path + ": " + trigger);
        }
        Instant deadline = Instant.now().plus(timeout);
        String statusPath = "/jobs/" + jobId + "/savepoints/" + requestId;
        while (true) {
            JsonNode status = get(statusPath);
            if ("COMPLETED".equals(status.path("status").path("id").asText())) {
                JsonNode op = status.path("operation");
                if (op.hasNonNull("location")) {
                    return op.path("location").asText();
                }
                throw new IOException("Savepoint of job " + jobId + " failed (" + baseUrl + statusPath + "): "
                        + failure(op.path("failure-cause")));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IOException("Savepoint of job " + jobId + " not complete after " + timeout + " ("
                        + baseUrl + statusPath + ")");
            }
            sleep(200);
        }
    }

    public void cancel(String jobId) throws IOException {
        send(request("/jobs/" + jobId + "?mode=cancel").method("PATCH", HttpRequest.BodyPublishers.noBody()).build());
    }

    /** The ids of the vertices of a job, with their names ({@code /jobs/:id}). */
    public Map<String, String> vertices(String jobId) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
            out.put(v.path("id").asText(), v.path("name").asText());
        }
        return out;
    }

    /** Every metric id the vertices of a job offer ({@code /jobs/:id/vertices/:vid/subtasks/metrics}). */
    public Set<String> vertexMetricIds(String jobId) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        for (String vertex : vertices(jobId).keySet()) {
            for (JsonNode m : get("/jobs/" + jobId + "/vertices/" + vertex + "/subtasks/metrics")) {
                out.add(m.path("id").asText());
            }
        }
        return out;
    }

    /**
     * The values of metrics of a job's vertices, summed over subtasks
     * ({@code /jobs/:id/vertices/:vid/subtasks/metrics?get=...&agg=sum}), keyed by metric id.
     * A metric several vertices have is summed over them; one no vertex has is absent.
     */
    public Map<String, Double> vertexMetrics(String jobId, List<String> metricIds) throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        if (!metricIds.isEmpty()) {
            Set<String> wanted = new LinkedHashSet<>(metricIds);
            for (String vertex : vertices(jobId).keySet()) {
                String path = "/jobs/" + jobId + "/vertices/" + vertex + "/subtasks/metrics";
                // only what this vertex has, a few at a time: Flink answers a long get= list with
                // an empty array (seen with ~30 ids of ~70 characters), not with an error
                List<String> here = new ArrayList<>();
                for (JsonNode m : get(path)) {
                    if (wanted.contains(m.path("id").asText())) {
                        here.add(m.path("id").asText());
                    }
                }
                for (List<String> chunk : chunks(here)) {
                    addMetrics(path, chunk, "&agg=sum", "sum", out);
                }
            }
        }
        return out;
    }

    /** Metric ids in groups whose {@code get=} parameter stays short (about 1,000 characters). */
    static List<List<String>> chunks(List<String> ids) {
        List<List<String>> out = new ArrayList<>();
        List<String> chunk = new ArrayList<>();
        int length = 0;
        for (String id : ids) {
            if (!chunk.isEmpty() && length + id.length() + 1 > MAX_GET_CHARS) {
                out.add(chunk);
                chunk = new ArrayList<>();
                length = 0;
            }
            chunk.add(id);
            length += id.length() + 1;
        }
        if (!chunk.isEmpty()) {
            out.add(chunk);
        }
        return out;
    }

    /** Job-level metrics ({@code /jobs/:id/metrics?get=...}), e.g. {@code numRestarts}; absent ones are left out. */
    public Map<String, Double> jobMetrics(String jobId, List<String> metricIds) throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        if (!metricIds.isEmpty()) {
            addMetrics("/jobs/" + jobId + "/metrics", metricIds, "", "value", out);
        }
        return out;
    }

    /**
     * JobManager metrics ({@code /jobmanager/metrics?get=...}), e.g. {@code Status.JVM.Memory.Metaspace.Used};
     * absent ones are left out.
     */
    public Map<String, Double> jobManagerMetrics(List<String> metricIds) throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        if (!metricIds.isEmpty()) {
            addMetrics("/jobmanager/metrics", metricIds, "", "value", out);
        }
        return out;
    }

    /** Adds the numeric {@code field} of each metric {@code path?get=ids} answers to {@code into} (summed per id). */
    private void addMetrics(String path, List<String> ids, String query, String field, Map<String, Double> into)
            throws IOException {
        String get = URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8);
        for (JsonNode m : get(path + "?get=" + get + query)) {
            try {
                if (m.has(field)) {
                    into.merge(m.path("id").asText(), Double.parseDouble(m.path(field).asText()), Double::sum);
                }
            } catch (NumberFormatException e) {
                // a gauge that is not a number: not what callers ask for
            }
        }
    }

    // ------------------------------------------------------------------ HTTP

    private JsonNode get(String path) throws IOException {
        return send(request(path).GET().build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout).header("Accept", "application/json");
    }

    private JsonNode send(HttpRequest request) throws IOException {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted calling " + request.uri());
        } catch (IOException e) {
            throw new IOException("Flink's REST API at " + request.uri() + " is unreachable: " + e, e);
        }
        JsonNode body;
        try {
            body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        if (response.statusCode() / 100 != 2) {
            String why = body != null && body.has("errors") ? errors(body.path("errors")) : abbreviate(response.body());
            throw new IOException(request.method() + " " + request.uri() + " answered " + response.statusCode() + ": " + why);
        }
        if (body == null) {
            throw new IOException(request.uri() + " answered no JSON: " + abbreviate(response.body()));
        }
        return body;
    }

    /** Flink's {@code errors}: the first line of each (the rest is a remote stack trace), then the root cause. */
    static String errors(JsonNode errors) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : errors) {
            String text = e.asText();
            List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("at "))
                    .toList();
            if (lines.isEmpty()) {
                continue;
            }
            out.add(lines.get(0));
            lines.stream().filter(l -> l.startsWith("Caused by:")).reduce((a, b) -> b)
                    .ifPresent(cause -> out.add(cause));
        }
        return out.isEmpty() ? errors.toString() : String.join(" | ", out);
    }

    private static String failure(JsonNode cause) {
        if (cause.isMissingNode() || cause.isNull()) {
            return "no cause given";
        }
        String text = cause.path("stack-trace").asText(cause.toString());
        return text.lines().filter(l -> !l.strip().startsWith("at ")).limit(6).reduce((a, b) -> a + " | " + b.strip())
                .orElse(text);
    }

    private static String abbreviate(String s) {
        return s.length() <= 500 ? s : s.substring(0, 500) + "…";
    }

    private static void sleep(long millis) throws InterruptedIOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
    }
}
