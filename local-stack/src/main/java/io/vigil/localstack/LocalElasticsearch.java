package io.vigil.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Elasticsearch on loopback, for tests and {@code ./vigil demo}: the minimal
 * distribution ({@value #DISTRIBUTION_GROUP}:{@value #DISTRIBUTION_ARTIFACT}:{@value #VERSION}, zip)
 * is downloaded once from Maven Central into a cache directory (checked against the {@code .sha1}
 * published beside it), unzipped into a fresh instance directory and started with
 * {@code discovery.type: single-node} and security off.
 *
 * <p>The cache is {@code $VIGIL_CACHE_DIR/elasticsearch}, by default {@code ~/.cache/vigil/elasticsearch}.
 * Elasticsearch refuses to run as root: when this JVM runs as root the node is started as
 * {@code nobody} (through {@code setpriv}) and the instance directory is handed to that user.
 * The distribution bundles no JDK; the node runs on this JVM's {@code java.home}.
 *
 * <p>{@link #stop()} ends the node and keeps its data; {@link #start()} again starts it on the
 * same ports and data. {@link #close()} stops it and deletes the instance directory.
 */
public final class LocalElasticsearch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalElasticsearch.class);

    public static final String DISTRIBUTION_GROUP = "org.elasticsearch.distribution.integ-test-zip";
    public static final String DISTRIBUTION_ARTIFACT = "elasticsearch";
    public static final String VERSION = "8.19.21";
    public static final String DISTRIBUTION_URL = "https://repo1.maven.org/maven2/org/elasticsearch/distribution/"
            + "integ-test-zip/elasticsearch/" + VERSION + "/elasticsearch-" + VERSION + ".zip";

    /** Environment variable naming Vigil's cache root (default {@code ~/.cache/vigil}). */
    public static final String CACHE_ENV = "VIGIL_CACHE_DIR";
    public static final String DEFAULT_HEAP = "512m";
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(120);
    public static final Duration DEFAULT_DOWNLOAD_TIMEOUT = Duration.ofMinutes(10);
    /** The unprivileged user (and group) the node runs as when this JVM is root. */
    public static final String UNPRIVILEGED_USER = "nobody";
    public static final String UNPRIVILEGED_GROUP = "nogroup";

    private static final int LOG_TAIL_LINES = 40;

    private final Path cacheDir;
    private final String heap;
    private final Duration startupTimeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Path instanceDir;
    private Path home;
    private int httpPort;
    private int transportPort;
    private Process process;

    private LocalElasticsearch(Builder b) {
        this.cacheDir = b.cacheDir != null ? b.cacheDir : defaultCacheDir();
        this.heap = b.heap;
        this.startupTimeout = b.startupTimeout;
        this.httpPort = b.httpPort;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code $VIGIL_CACHE_DIR/elasticsearch}, or {@code ~/.cache/vigil/elasticsearch}. */
    public static Path defaultCacheDir() {
        String root = System.getenv(CACHE_ENV);
        Path base = root != null && !root.isBlank()
                ? Paths.get(root)
                : Paths.get(System.getProperty("user.home"), ".cache", "vigil");
        return base.resolve("elasticsearch");
    }

    /** Starts the node (downloading and unzipping the distribution the first time) and waits until it is yellow. */
    public synchronized LocalElasticsearch start() throws IOException {
        if (process != null && process.isAlive()) {
            return this;
        }
        if (instanceDir == null) {
            Path zip = ensureDistribution(cacheDir);
            instanceDir = Files.createTempDirectory("vigil-es-");
            unzip(zip, instanceDir);
            home = instanceDir.resolve("elasticsearch-" + VERSION);
            Files.createDirectories(instanceDir.resolve("data"));
            Files.createDirectories(instanceDir.resolve("logs"));
            Files.createDirectories(instanceDir.resolve("tmp"));
            if (httpPort == 0) {
                httpPort = freePort();
            }
            transportPort = freePort();
            if (isRoot()) {
                handOver(instanceDir);
            }
        }
        long t0 = System.nanoTime();
        process = launch();
        awaitReady();
        LOG.info("Elasticsearch {} ready at {} in {} ms", VERSION, url(), (System.nanoTime() - t0) / 1_000_000);
        return this;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        if (httpPort == 0) {
            throw new IllegalStateException("LocalElasticsearch has not been started");
        }
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the node (the whole process tree) and waits for it; the data stays for a later {@link #start()}. */
    public synchronized void stop() {
        Process p = process;
        process = null;
        if (p == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>();
        p.toHandle().descendants().forEach(tree::add);
        // the server first (graceful SIGTERM), then its launcher
        for (int i = tree.size() - 1; i >= 0; i--) {
            tree.get(i).destroy();
        }
        p.destroy();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (ProcessHandle h : concat(tree, p.toHandle())) {
            try {
                long left = Math.max(1, deadline - System.nanoTime());
                h.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<ProcessHandle> concat(List<ProcessHandle> tree, ProcessHandle last) {
        List<ProcessHandle> all = new ArrayList<>(tree);
        all.add(last);
        return all;
    }

    /** Stops the node and deletes its instance directory (distribution, data, logs). */
    @Override
    public synchronized void close() {
        stop();
        if (instanceDir != null) {
            deleteTree(instanceDir);
            instanceDir = null;
        }
    }

    // ------------------------------------------------------------------ distribution

    /**
     * The cached zip, downloading it first when missing: to a temporary file in the cache
     * directory, checked against the published SHA-1, then moved into place.
     */
    public static Path ensureDistribution(Path cacheDir) throws IOException {
        return ensureDistribution(cacheDir, DISTRIBUTION_URL);
    }

    static Path ensureDistribution(Path cacheDir, String url) throws IOException {
        Path zip = cacheDir.resolve("elasticsearch-" + VERSION + ".zip");
        if (Files.isRegularFile(zip)) {
            return zip;
        }
        Files.createDirectories(cacheDir);
        Path part = Files.createTempFile(cacheDir, "elasticsearch-" + VERSION, ".zip.part");
        try {
            HttpClient client = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(20))
                    .build();
            LOG.info("Downloading Elasticsearch {} (~107 MB) from {} into {}", VERSION, url, cacheDir);
            String expected = get(client, url + ".sha1", HttpResponse.BodyHandlers.ofString())
                    .trim().split("\\s+")[0].toLowerCase(java.util.Locale.ROOT);
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            try (InputStream in = get(client, url, HttpResponse.BodyHandlers.ofInputStream());
                    OutputStream out = Files.newOutputStream(part)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    sha1.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            }
            String actual = HexFormat.of().formatHex(sha1.digest());
            if (!actual.equals(expected)) {
                throw new IOException("Elasticsearch download from " + url + " has SHA-1 " + actual
                        + " but Maven Central publishes " + expected + "; the file was discarded, try again");
            }
            try {
                Files.move(part, zip, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isRegularFile(zip)) { // another process may have won the race
                    throw e;
                }
            }
            return zip;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new IOException("Could not download Elasticsearch " + VERSION + " from " + url
                    + " into the cache " + zip + " (" + e + "). Without network, put that zip there by hand"
                    + " (or point " + CACHE_ENV + " at a directory holding elasticsearch/" + zip.getFileName() + ")", e);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static <T> T get(HttpClient client, String url, HttpResponse.BodyHandler<T> handler) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(DEFAULT_DOWNLOAD_TIMEOUT).GET().build();
        try {
            HttpResponse<T> response = client.send(request, handler);
            if (response.statusCode() != 200) {
                if (response.body() instanceof InputStream s) {
                    s.close();
                }
                throw new IOException("HTTP " + response.statusCode() + " for " + url);
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while downloading " + url);
        }
    }

    private static void unzip(Path zip, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip), StandardCharsets.UTF_8)) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                Path out = root.resolve(e.getName()).normalize();
                if (!out.startsWith(root)) {
                    throw new IOException("zip entry outside the target directory: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                // zip entries carry no Unix modes here: everything in a bin directory is executable
                if (out.getParent().getFileName().toString().equals("bin")) {
                    out.toFile().setExecutable(true, false);
                }
            }
        }
    }

    // ------------------------------------------------------------------ process

    private Process launch() throws IOException {
        Path logs = instanceDir.resolve("logs");
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            command.addAll(List.of("setpriv", "--reuid=" + UNPRIVILEGED_USER, "--regid=" + UNPRIVILEGED_GROUP,
                    "--clear-groups", "--"));
        }
        command.add(home.resolve("bin").resolve("elasticsearch").toString());
        setting(command, "discovery.type", "single-node");
        setting(command, "xpack.security.enabled", "false");
        setting(command, "network.host", "127.0.0.1");
        setting(command, "http.port", String.valueOf(httpPort));
        setting(command, "transport.port", String.valueOf(transportPort));
        setting(command, "path.data", instanceDir.resolve("data").toString());
        setting(command, "path.logs", logs.toString());
        setting(command, "cluster.routing.allocation.disk.threshold_enabled", "false");
        setting(command, "action.destructive_requires_name", "false");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(instanceDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("console.log").toFile()));
        Map<String, String> env = pb.environment();
        env.remove("JAVA_HOME");
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("_JAVA_OPTIONS");
        env.remove("ES_PATH_CONF");
        env.put("ES_JAVA_HOME", System.getProperty("java.home"));
        env.put("ES_JAVA_OPTS", "-Xms" + heap + " -Xmx" + heap);
        env.put("ES_TMPDIR", instanceDir.resolve("tmp").toString());
        env.put("HOME", instanceDir.toString());
        return pb.start();
    }

    private static void setting(List<String> command, String name, String value) {
        command.add("-E" + name + "=" + value);
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        HttpRequest health = HttpRequest.newBuilder(
                        URI.create(url() + "/_cluster/health?wait_for_status=yellow&timeout=1s"))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String tail = logTail();
                stop();
                throw new IOException("Elasticsearch exited with code " + exitCode() + " before it was ready; last "
                        + "lines of " + instanceDir.resolve("logs/console.log") + ":\n" + tail);
            }
            try {
                HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && !r.body().contains("\"timed_out\":true")) {
                    return;
                }
                last = "HTTP " + r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new InterruptedIOException("interrupted while waiting for Elasticsearch");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new InterruptedIOException("interrupted while waiting for Elasticsearch");
            }
        }
        String tail = logTail();
        stop();
        throw new IOException("Elasticsearch at " + url() + " was not yellow within " + startupTimeout.toSeconds()
                + " s (last: " + last + "); last lines of its log:\n" + tail);
    }

    private String exitCode() {
        return process == null ? "?" : String.valueOf(process.exitValue());
    }

    /** The last lines of the node's console log, for error messages. */
    public String logTail() {
        if (instanceDir == null) {
            return "";
        }
        try {
            List<String> lines = Files.readAllLines(instanceDir.resolve("logs/console.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    // ------------------------------------------------------------------ helpers

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"))
                || ProcessHandle.current().info().user().map("root"::equals).orElse(false);
    }

    /** Gives the instance directory to the unprivileged user; its parent temp dir is world-traversable. */
    private static void handOver(Path dir) throws IOException {
        run("chmod", "-R", "u+rwX,go+rX", dir.toString());
        run("chown", "-R", UNPRIVILEGED_USER + ":" + UNPRIVILEGED_GROUP, dir.toString());
    }

    private static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(String.join(" ", command));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", dir, e.toString());
        }
    }

    public static final class Builder {
        private Path cacheDir;
        private String heap = DEFAULT_HEAP;
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
        private int httpPort;

        private Builder() {}

        /** Where the distribution zip is cached (default {@link #defaultCacheDir()}). */
        public Builder cacheDir(Path cacheDir) {
            this.cacheDir = cacheDir;
            return this;
        }

        /** JVM heap of the node ({@code -Xms}/{@code -Xmx}), default {@value #DEFAULT_HEAP}. */
        public Builder heap(String heap) {
            this.heap = heap;
            return this;
        }

        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = startupTimeout;
            return this;
        }

        /** A fixed HTTP port; by default a free one is picked at the first start and kept. */
        public Builder httpPort(int httpPort) {
            this.httpPort = httpPort;
            return this;
        }

        public LocalElasticsearch build() {
            if (heap == null || !heap.matches("\\d+[kmgKMG]")) {
                throw new IllegalArgumentException("heap must look like 512m or 1g, got " + heap);
            }
            if (startupTimeout == null || startupTimeout.isNegative() || startupTimeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive, got " + startupTimeout);
            }
            if (httpPort < 0 || httpPort > 65535) {
                throw new IllegalArgumentException("httpPort must be 0 (free port) or 1-65535, got " + httpPort);
            }
            return new LocalElasticsearch(this);
        }
    }
}
