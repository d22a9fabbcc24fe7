package io.vigil.localstack.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink 2.2 standalone session cluster on this machine: one JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and N TaskManagers ({@code TaskManagerRunner}), each
 * a separate JVM started from Flink's artifacts on Maven Central (flink-dist is not published there).
 *
 * <p>Every process writes its log under {@link #logDir()}; the process ids are kept in
 * {@code workDir/cluster.json} so that {@link #attach(Path)} finds a cluster started by another
 * command. The processes run what Flink's own start scripts run: the memory options and JVM sizes
 * come from Flink's {@code BashJavaUtils} over the generated {@code workDir/conf/config.yaml}, which
 * is the shared configuration ({@link Builder#configFile}) with this machine's addresses, ports and
 * directories over it. Everything listens on loopback only.
 *
 * <p>No high availability: a restarted JobManager ({@link #startJobManager()}) comes back on the
 * same RPC and REST ports, the TaskManagers register with it again, but the jobs it ran are gone;
 * they resume by being submitted again from their newest retained checkpoint (the checkpoints are
 * kept on cancellation, in {@link #checkpointDir()}). A production cluster uses Flink's HA services
 * for that (docs/cluster.md).
 */
public final class LocalFlinkCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalFlinkCluster.class);

    public static final int DEFAULT_TASK_MANAGERS = 1;
    public static final int DEFAULT_SLOTS = 2;
    public static final int DEFAULT_REST_PORT = 8081;
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(90);

    /** Process sizes when the configuration names none (Flink's own defaults are 1600m and 1728m). */
    public static final String DEFAULT_JOBMANAGER_MEMORY = "1024m";
    public static final String DEFAULT_TASKMANAGER_MEMORY = "1280m";

    static final String STATE_FILE = "cluster.json";
    static final String JOBMANAGER_CLASS = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    static final String TASKMANAGER_CLASS = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    static final String BASH_JAVA_UTILS_CLASS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
    static final String BASH_JAVA_UTILS_RESULT = "BASH_JAVA_UTILS_EXEC_RESULT:";
    static final String LOOPBACK = "127.0.0.1";
    static final String PROMETHEUS_PORT_KEY = "metrics.reporter.prom.port";
    static final Duration GRACE = Duration.ofSeconds(15);
    private static final int LOG_TAIL_LINES = 25;

    /**
     * What Flink's distribution passes every process on Java 17 ({@code env.java.default-opts.all}
     * of its config.yaml): Kryo and the job's serializers reach into these JDK packages.
     */
    static final List<String> JAVA_17_OPTIONS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    private final Path workDir;
    private final int slots;
    private final Duration startupTimeout;
    private final List<Path> classpath;
    private final Map<String, String> environment;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    // set by start() or read from the state file
    private final int initialTaskManagers;
    private final Path configFile;
    private final Map<String, String> overrides;
    private int requestedRestPort;
    private int restPort;
    private int rpcPort;
    private int blobPort;
    private boolean prometheus;
    private List<String> jobManagerJvm = List.of();
    private List<String> jobManagerDynamic = List.of();
    private List<String> taskManagerJvm = List.of();
    private List<String> taskManagerDynamic = List.of();
    private ManagedProcess jobManager;
    private int jobManagerStarts;
    private final TreeMap<Integer, ManagedProcess> taskManagers = new TreeMap<>();
    private int nextTaskManager;

    /** A process started by this cluster (or by another command, found again by pid). */
    record ManagedProcess(String name, long pid, long startMillis, int prometheusPort, ProcessHandle handle) {
        boolean alive() {
            return handle != null && handle.isAlive()
                    && (startMillis == 0 || handle.info().startInstant().map(i -> i.toEpochMilli() == startMillis).orElse(true));
        }
    }

    private LocalFlinkCluster(Builder b) {
        this.workDir = b.workDir.toAbsolutePath().normalize();
        this.initialTaskManagers = b.taskManagers;
        this.slots = b.slots;
        this.requestedRestPort = b.restPort;
        this.configFile = b.configFile;
        this.overrides = new LinkedHashMap<>(b.overrides);
        this.environment = Map.copyOf(b.environment);
        this.classpath = b.classpath != null ? List.copyOf(b.classpath) : null;
        this.startupTimeout = b.startupTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The cluster whose state {@code workDir/cluster.json} describes (started by another process). */
    public static LocalFlinkCluster attach(Path workDir) throws IOException {
        Path state = workDir.resolve(STATE_FILE);
        if (!Files.isRegularFile(state)) {
            throw new IOException("No local Flink cluster in " + workDir.toAbsolutePath() + " (no " + STATE_FILE
                    + "): start one with `vigil cluster start --dir " + workDir + "`");
        }
        JsonNode s = JSON.readTree(state.toFile());
        Builder b = builder().workDir(workDir).slots(s.path("slots").asInt(DEFAULT_SLOTS))
                .restPort(s.path("restPort").asInt()).startupTimeout(Duration.ofMillis(s.path("startupTimeoutMs")
                        .asLong(DEFAULT_STARTUP_TIMEOUT.toMillis())));
        List<Path> jars = new ArrayList<>();
        s.path("classpath").forEach(j -> jars.add(Path.of(j.asText())));
        b.classpath(jars);
        LocalFlinkCluster c = b.build();
        c.restPort = s.path("restPort").asInt();
        c.rpcPort = s.path("rpcPort").asInt();
        c.blobPort = s.path("blobPort").asInt();
        c.prometheus = s.path("prometheus").asBoolean();
        c.jobManagerJvm = strings(s.path("jobManagerJvm"));
        c.jobManagerDynamic = strings(s.path("jobManagerDynamic"));
        c.taskManagerJvm = strings(s.path("taskManagerJvm"));
        c.taskManagerDynamic = strings(s.path("taskManagerDynamic"));
        c.jobManagerStarts = s.path("jobManagerStarts").asInt();
        c.nextTaskManager = s.path("nextTaskManager").asInt();
        c.jobManager = readProcess(s.path("jobManager"));
        s.path("taskManagers").fields().forEachRemaining(e ->
                c.taskManagers.put(Integer.parseInt(e.getKey()), readProcess(e.getValue())));
        return c;
    }

    /** Starts the JobManager and the TaskManagers; returns once all TaskManagers are registered. */
    public LocalFlinkCluster start() throws IOException {
        if (jobManager != null && jobManager.alive()) {
            throw new IllegalStateException("The cluster in " + workDir + " is already running");
        }
        if (Files.isRegularFile(workDir.resolve(STATE_FILE))) {
            LocalFlinkCluster previous = attach(workDir);
            if (previous.isJobManagerAlive() || !previous.liveTaskManagers().isEmpty()) {
                throw new IllegalStateException("A local Flink cluster already runs in " + workDir
                        + " (REST " + previous.restUrl() + "): stop it first (`vigil cluster stop --dir " + workDir + "`)");
            }
        }
        Files.createDirectories(logDir());
        Files.createDirectories(checkpointDir().resolve("savepoints"));
        Files.createDirectories(workDir.resolve("tmp"));
        Files.createDirectories(workDir.resolve("jars"));
        restPort = requestedRestPort == 0 ? freePort() : requestedRestPort;
        rpcPort = freePort();
        blobPort = freePort();
        Map<String, Object> config = writeConfig();
        prometheus = config.containsKey(PROMETHEUS_PORT_KEY) && !overrides.containsKey(PROMETHEUS_PORT_KEY);
        // Flink's memory calculation for both roles, in parallel (a JVM start each)
        var jmSizes = java.util.concurrent.CompletableFuture.supplyAsync(() -> bashJavaUtilsUnchecked("GET_JM_RESOURCE_PARAMS"));
        List<List<String>> tm = bashJavaUtils("GET_TM_RESOURCE_PARAMS");
        List<List<String>> jm;
        try {
            jm = jmSizes.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof UncheckedIOException u ? u.getCause() : new IOException(e.getCause());
        }
        jobManagerJvm = javaOptions(config, "jobmanager", jm.get(0));
        jobManagerDynamic = jm.get(1);
        taskManagerJvm = javaOptions(config, "taskmanager", tm.get(0));
        taskManagerDynamic = tm.get(1);
        boolean started = false;
        try {
            startJobManager();
            List<Integer> indexes = new ArrayList<>();
            for (int i = 0; i < initialTaskManagers; i++) {
                indexes.add(launchTaskManager());
            }
            for (int index : indexes) {
                awaitTaskManager(index);
            }
            started = true;
            LOG.info("Local Flink cluster up: REST {}, {} TaskManager(s) of {} slot(s), work directory {}",
                    restUrl(), initialTaskManagers, slots, workDir);
            return this;
        } finally {
            if (!started) {
                stop();
            }
        }
    }

    /** {@code http://127.0.0.1:<port>}: Flink's REST API and web UI. */
    public String restUrl() {
        return "http://" + LOOPBACK + ":" + restPort;
    }

    /** Indexes of the TaskManager processes alive now (index = order of start, never reused). */
    public synchronized List<Integer> liveTaskManagers() {
        return taskManagers.entrySet().stream().filter(e -> e.getValue().alive()).map(Map.Entry::getKey).toList();
    }

    /** Starts one more TaskManager; returns its index once it is registered with the JobManager. */
    public int startTaskManager() throws IOException {
        int index = launchTaskManager();
        awaitTaskManager(index);
        return index;
    }

    /** {@code kill -9} of one TaskManager; returns once the process is gone, without waiting for anything else. */
    public synchronized void killTaskManager(int index) {
        ManagedProcess p = taskManagers.get(index);
        if (p == null) {
            throw new IllegalArgumentException("No TaskManager " + index + "; started: " + taskManagers.keySet());
        }
        if (p.alive()) {
            p.handle().destroyForcibly();
            awaitExit(p, Duration.ofSeconds(10));
            LOG.info("Killed TaskManager {} (pid {})", index, p.pid());
        }
        saveState();
    }

    /** {@code kill -9} of the JobManager. */
    public synchronized void killJobManager() {
        if (jobManager != null && jobManager.alive()) {
            jobManager.handle().destroyForcibly();
            LOG.info("Killed the JobManager (pid {})", jobManager.pid());
            awaitExit(jobManager, Duration.ofSeconds(10));
        }
        saveState();
    }

    /** Starts a JobManager again on the same REST port; returns once the REST API answers. */
    public void startJobManager() throws IOException {
        synchronized (this) {
            if (jobManager != null && jobManager.alive()) {
                throw new IllegalStateException("The JobManager (pid " + jobManager.pid() + ") is running");
            }
            int index = jobManagerStarts++;
            List<String> command = new ArrayList<>(jobManagerJvm);
            command.addAll(List.of(JOBMANAGER_CLASS, "--configDir", confDir().toString()));
            command.addAll(jobManagerDynamic);
            jobManager = launch("jobmanager-" + index, command);
            saveState();
        }
        Instant deadline = Instant.now().plus(startupTimeout);
        while (overview().isEmpty()) {
            ensureAlive(jobManager, "the JobManager");
            pause(deadline, "the JobManager's REST API at " + restUrl());
        }
    }

    public boolean isJobManagerAlive() {
        return jobManager != null && jobManager.alive();
    }

    /** The JobManager's process id while it runs (for {@code jcmd}: heap and class-loader diagnostics). */
    public synchronized java.util.OptionalLong jobManagerPid() {
        return jobManager != null && jobManager.alive() ? java.util.OptionalLong.of(jobManager.pid())
                : java.util.OptionalLong.empty();
    }

    /** The process id of TaskManager {@code index} while it runs. */
    public synchronized java.util.OptionalLong taskManagerPid(int index) {
        ManagedProcess p = taskManagers.get(index);
        return p != null && p.alive() ? java.util.OptionalLong.of(p.pid()) : java.util.OptionalLong.empty();
    }

    public Path workDir() {
        return workDir;
    }

    /** Where checkpoints and savepoints go ({@code execution.checkpointing.dir}). */
    public Path checkpointDir() {
        return workDir.resolve("checkpoints");
    }

    public Path logDir() {
        return workDir.resolve("log");
    }

    /** The generated Flink configuration directory the processes read ({@code --configDir}). */
    public Path confDir() {
        return workDir.resolve("conf");
    }

    /** The port of the Prometheus reporter of each live process (empty when the configuration enables none). */
    public synchronized Map<String, Integer> prometheusPorts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        Stream.concat(Stream.ofNullable(jobManager), taskManagers.values().stream())
                .filter(p -> p.prometheusPort() > 0 && p.alive())
                .forEach(p -> out.put(p.name(), p.prometheusPort()));
        return out;
    }

    /** TaskManagers registered with the JobManager now, per its REST API ({@code /overview}); -1 when it does not answer. */
    public int registeredTaskManagers() {
        return overview().map(o -> o.path("taskmanagers").asInt()).orElse(-1);
    }

    /** The last lines of every process's log, for error messages. */
    public String logTail() {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> files = Files.exists(logDir()) ? Files.list(logDir()) : Stream.empty()) {
            for (Path f : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                if (lines.isEmpty()) {
                    continue;
                }
                out.append("---- ").append(f.getFileName()).append(" (last ")
                        .append(Math.min(LOG_TAIL_LINES, lines.size())).append(" lines)\n");
                lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size())
                        .forEach(l -> out.append(l).append('\n'));
            }
        } catch (IOException | UncheckedIOException e) {
            out.append("(logs unreadable: ").append(e.getMessage()).append(")\n");
        }
        return out.toString();
    }

    /** Stops every process (SIGTERM, then SIGKILL after a grace period) and forgets the state file. */
    public synchronized void stop() {
        List<ManagedProcess> all = new ArrayList<>(taskManagers.values());
        if (jobManager != null) {
            all.add(jobManager);
        }
        for (ManagedProcess p : all) {
            if (p.alive()) {
                p.handle().destroy();
            }
        }
        for (ManagedProcess p : all) {
            if (p.alive() && !awaitExit(p, GRACE)) {
                LOG.warn("{} (pid {}) did not stop within {}: killing it", p.name(), p.pid(), GRACE);
                p.handle().destroyForcibly();
                awaitExit(p, Duration.ofSeconds(10));
            }
        }
        try {
            Files.deleteIfExists(workDir.resolve(STATE_FILE));
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", workDir.resolve(STATE_FILE), e.toString());
        }
    }

    @Override
    public void close() {
        stop();
    }

    // ------------------------------------------------------------------ processes

    private synchronized int launchTaskManager() throws IOException {
        int index = nextTaskManager++;
        List<String> command = new ArrayList<>(taskManagerJvm);
        command.addAll(List.of(TASKMANAGER_CLASS, "--configDir", confDir().toString()));
        command.addAll(taskManagerDynamic);
        // a stable name in the REST API, so readiness knows which TaskManager registered
        command.addAll(List.of("-D", "taskmanager.resource-id=" + taskManagerId(index)));
        taskManagers.put(index, launch("taskmanager-" + index, command));
        saveState();
        return index;
    }

    static String taskManagerId(int index) {
        return "vigil-tm-" + index;
    }

    private void awaitTaskManager(int index) throws IOException {
        Instant deadline = Instant.now().plus(startupTimeout);
        String id = taskManagerId(index);
        while (!registered(id)) {
            ensureAlive(taskManagers.get(index), "TaskManager " + index);
            ensureAlive(jobManager, "the JobManager");
            pause(deadline, "TaskManager " + index + " to register with the JobManager at " + restUrl());
        }
    }

    /**
     * Registered, and the registration finished on the TaskManager's side too: the JobManager has had
     * a heartbeat from it (which it only answers once it has the JobManager's acceptance). A JobManager
     * killed between the two leaves the TaskManager retrying its registration with the dead
     * JobManager's actor, never with a restarted one (Flink 2.2 without HA).
     */
    private boolean registered(String taskManagerId) {
        return get("/taskmanagers").map(t -> {
            for (JsonNode tm : t.path("taskmanagers")) {
                if (taskManagerId.equals(tm.path("id").asText())) {
                    return tm.path("timeSinceLastHeartbeat").asLong() > 0;
                }
            }
            return false;
        }).orElse(false);
    }

    private ManagedProcess launch(String name, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java());
        int prometheusPort = prometheus ? freePort() : 0;
        command.add("-Dlog.file=" + logDir().resolve(name + ".log"));
        command.add("-Dlog4j.configurationFile=" + confDir().resolve("log4j.properties").toUri());
        command.add("-cp");
        command.add(String.join(java.io.File.pathSeparator, classpath().stream().map(Path::toString).toList()));
        command.addAll(arguments);
        if (prometheusPort > 0) {
            command.addAll(List.of("-D", PROMETHEUS_PORT_KEY + "=" + prometheusPort));
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir().resolve(name + ".out").toFile()));
        pb.environment().putAll(environment);
        Process process = pb.start();
        ProcessHandle handle = process.toHandle();
        long started = handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        LOG.info("Started {} (pid {}), log {}", name, handle.pid(), logDir().resolve(name + ".log"));
        return new ManagedProcess(name, handle.pid(), started, prometheusPort, handle);
    }

    private void ensureAlive(ManagedProcess p, String what) throws IOException {
        if (p == null || !p.alive()) {
            throw new IOException(what + " exited while the cluster was starting (logs in " + logDir() + ")\n"
                    + logTail());
        }
    }

    private void pause(Instant deadline, String what) throws IOException {
        if (Instant.now().isAfter(deadline)) {
            throw new IOException("Timed out after " + startupTimeout + " waiting for " + what + "\n" + logTail());
        }
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted waiting for " + what);
        }
    }

    private static boolean awaitExit(ManagedProcess p, Duration timeout) {
        try {
            p.handle().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.handle().isAlive();
        } catch (Exception e) {
            return !p.handle().isAlive();
        }
    }

    private List<Path> classpath() {
        return classpath != null ? classpath : FlinkClasspath.resolve();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    // ------------------------------------------------------------------ configuration

    /** Writes conf/config.yaml and conf/log4j.properties; returns the configuration written. */
    private Map<String, Object> writeConfig() throws IOException {
        Map<String, Object> config = configuration();
        Files.createDirectories(confDir());
        YAML.writeValue(confDir().resolve("config.yaml").toFile(), config);
        Files.writeString(confDir().resolve("log4j.properties"), LOG4J_CONFIG, StandardCharsets.UTF_8);
        return config;
    }

    /**
     * The Flink configuration the processes get: the configuration file's keys, process sizes when it
     * names none, then {@link #LOCAL_KEYS} (this machine's addresses, ports and directories), then the
     * keys {@link Builder#set} gave. Ports are 0 before {@link #start()} picked them.
     */
    public Map<String, Object> configuration() throws IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        if (configFile != null) {
            config.putAll(readFlinkConfig(configFile));
        }
        if (!hasAny(config, "jobmanager.memory.process.size", "jobmanager.memory.flink.size",
                "jobmanager.memory.heap.size")) {
            config.put("jobmanager.memory.process.size", DEFAULT_JOBMANAGER_MEMORY);
        }
        if (!hasAny(config, "taskmanager.memory.process.size", "taskmanager.memory.flink.size",
                "taskmanager.memory.task.heap.size")) {
            config.put("taskmanager.memory.process.size", DEFAULT_TASKMANAGER_MEMORY);
            config.putIfAbsent("taskmanager.memory.managed.fraction", "0.1");
        }
        // this machine's addresses, ports and directories: loopback only, free ports
        config.put("jobmanager.rpc.address", LOOPBACK);
        config.put("jobmanager.bind-host", LOOPBACK);
        config.put("jobmanager.rpc.port", rpcPort);
        config.put("rest.address", LOOPBACK);
        config.put("rest.bind-address", LOOPBACK);
        config.put("rest.port", restPort);
        config.put("blob.server.port", String.valueOf(blobPort));
        config.put("taskmanager.host", LOOPBACK);
        config.put("taskmanager.bind-host", LOOPBACK);
        config.put("taskmanager.numberOfTaskSlots", slots);
        config.put("execution.checkpointing.dir", checkpointDir().toUri().toString());
        config.put("execution.checkpointing.savepoint-dir", checkpointDir().resolve("savepoints").toUri().toString());
        config.put("io.tmp.dirs", workDir.resolve("tmp").toString());
        config.put("web.tmpdir", workDir.resolve("tmp").toString());
        config.put("web.upload.dir", workDir.resolve("jars").toString());
        config.putAll(overrides);
        return config;
    }

    /** The keys a local cluster always sets over the configuration file: addresses, ports, directories. */
    public static final List<String> LOCAL_KEYS = List.of("jobmanager.rpc.address", "jobmanager.bind-host",
            "jobmanager.rpc.port", "rest.address", "rest.bind-address", "rest.port", "blob.server.port",
            "taskmanager.host", "taskmanager.bind-host", "taskmanager.numberOfTaskSlots", "execution.checkpointing.dir",
            "execution.checkpointing.savepoint-dir", "io.tmp.dirs", "web.tmpdir", "web.upload.dir");

    /** Where the shared Flink configuration is, relative to the repository root. */
    public static final String SHARED_CONFIG = "deploy/flink/config.yaml";

    /** {@value #SHARED_CONFIG} of the repository the working directory is in (or under), if any. */
    public static Optional<Path> sharedConfig() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path f = d.resolve(SHARED_CONFIG);
            if (Files.isRegularFile(f)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** A Flink YAML configuration, nested keys flattened ({@code a: {b: 1}} is {@code a.b: 1}). */
    public static Map<String, Object> readFlinkConfig(Path file) throws IOException {
        JsonNode root = YAML.readTree(file.toFile());
        Map<String, Object> out = new LinkedHashMap<>();
        if (root != null && !root.isMissingNode() && !root.isNull()) {
            if (!root.isObject()) {
                throw new IOException(file + " is not a Flink configuration (a YAML mapping)");
            }
            flatten("", root, out);
        }
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Object> out) {
        node.fields().forEachRemaining(e -> {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(key, v, out);
            } else if (v.isArray()) {
                List<Object> list = new ArrayList<>();
                v.forEach(item -> list.add(item.isValueNode() ? item.asText() : item.toString()));
                out.put(key, list);
            } else {
                out.put(key, v.isNull() ? null : v.asText());
            }
        });
    }

    private static boolean hasAny(Map<String, Object> config, String... keys) {
        return Arrays.stream(keys).anyMatch(config::containsKey);
    }

    /** JVM sizes from BashJavaUtils, the Java 17 options, then {@code env.java.opts.all} and the role's. */
    private static List<String> javaOptions(Map<String, Object> config, String role, List<String> sizes) {
        List<String> out = new ArrayList<>(sizes);
        out.addAll(JAVA_17_OPTIONS);
        for (String key : List.of("env.java.opts.all", "env.java.opts." + role)) {
            Object v = config.get(key);
            if (v != null && !String.valueOf(v).isBlank()) {
                out.addAll(Arrays.asList(String.valueOf(v).strip().split("\\s+")));
            }
        }
        return out;
    }

    private List<List<String>> bashJavaUtilsUnchecked(String command) {
        try {
            return bashJavaUtils(command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs Flink's BashJavaUtils as the start scripts do; returns its two result lines, split on spaces. */
    private List<List<String>> bashJavaUtils(String command) throws IOException {
        List<String> cmd = List.of(java(), "-cp",
                String.join(java.io.File.pathSeparator, classpath().stream().map(Path::toString).toList()),
                BASH_JAVA_UTILS_CLASS, command, "--configDir", confDir().toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("Flink's memory calculation (" + command + ") failed over " + confDir()
                        + "/config.yaml:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(command);
        }
        List<List<String>> results = output.lines().filter(l -> l.startsWith(BASH_JAVA_UTILS_RESULT))
                .map(l -> List.of(l.substring(BASH_JAVA_UTILS_RESULT.length()).strip().split("\\s+")))
                .toList();
        if (results.size() < 2) {
            throw new IOException("Unexpected output of Flink's memory calculation (" + command + "):\n" + output);
        }
        return results.subList(results.size() - 2, results.size());
    }

    static final String LOG4J_CONFIG = """
            # written by LocalFlinkCluster: one log file per process (log.file), as Flink's distribution does
            monitorInterval = 0
            rootLogger.level = INFO
            rootLogger.appenderRef.file.ref = MainAppender
            appender.main.name = MainAppender
            appender.main.type = File
            appender.main.append = true
            appender.main.fileName = ${sys:log.file}
            appender.main.layout.type = PatternLayout
            appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
            # the Kafka clients log every step at INFO; their metrics collide in Flink's metric groups
            logger.kafka.name = org.apache.kafka
            logger.kafka.level = WARN
            logger.metricgroup.name = org.apache.flink.runtime.metrics.groups
            logger.metricgroup.level = ERROR
            logger.drools.name = org.drools
            logger.drools.level = WARN
            logger.kie.name = org.kie
            logger.kie.level = WARN
            """;

    // ------------------------------------------------------------------ REST and state

    private Optional<JsonNode> overview() {
        return get("/overview");
    }

    private Optional<JsonNode> get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(restUrl() + path))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private synchronized void saveState() {
        ObjectNode s = JSON.createObjectNode();
        s.put("restPort", restPort);
        s.put("rpcPort", rpcPort);
        s.put("blobPort", blobPort);
        s.put("slots", slots);
        s.put("prometheus", prometheus);
        s.put("startupTimeoutMs", startupTimeout.toMillis());
        ArrayNode cp = s.putArray("classpath");
        classpath().forEach(j -> cp.add(j.toString()));
        putStrings(s, "jobManagerJvm", jobManagerJvm);
        putStrings(s, "jobManagerDynamic", jobManagerDynamic);
        putStrings(s, "taskManagerJvm", taskManagerJvm);
        putStrings(s, "taskManagerDynamic", taskManagerDynamic);
        s.put("jobManagerStarts", jobManagerStarts);
        s.put("nextTaskManager", nextTaskManager);
        if (jobManager != null) {
            s.set("jobManager", writeProcess(jobManager));
        }
        ObjectNode tms = s.putObject("taskManagers");
        taskManagers.forEach((i, p) -> tms.set(String.valueOf(i), writeProcess(p)));
        try {
            Path tmp = workDir.resolve(STATE_FILE + ".tmp");
            JSON.writeValue(tmp.toFile(), s);
            Files.move(tmp, workDir.resolve(STATE_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + workDir.resolve(STATE_FILE), e);
        }
    }

    private static ObjectNode writeProcess(ManagedProcess p) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", p.name());
        n.put("pid", p.pid());
        n.put("startMillis", p.startMillis());
        n.put("prometheusPort", p.prometheusPort());
        return n;
    }

    private static ManagedProcess readProcess(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return null;
        }
        long pid = n.path("pid").asLong();
        return new ManagedProcess(n.path("name").asText(), pid, n.path("startMillis").asLong(),
                n.path("prometheusPort").asInt(), ProcessHandle.of(pid).orElse(null));
    }

    private static void putStrings(ObjectNode s, String field, List<String> values) {
        ArrayNode a = s.putArray(field);
        values.forEach(a::add);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(LOOPBACK))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** Options of a local cluster; {@link #build()} validates them. */
    public static final class Builder {
        private Path workDir;
        private int taskManagers = DEFAULT_TASK_MANAGERS;
        private int slots = DEFAULT_SLOTS;
        private int restPort = DEFAULT_REST_PORT;
        private Path configFile;
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private List<Path> classpath;
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;

        /** Working directory: logs, checkpoints, the state file (required). */
        public Builder workDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        public Builder taskManagers(int n) {
            this.taskManagers = n;
            return this;
        }

        public Builder slots(int slotsPerTaskManager) {
            this.slots = slotsPerTaskManager;
            return this;
        }

        /** 0 picks a free port. */
        public Builder restPort(int port) {
            this.restPort = port;
            return this;
        }

        /** The Flink configuration file shared with docker-compose.yml ({@code deploy/flink/config.yaml}). */
        public Builder configFile(Path flinkConfigYaml) {
            this.configFile = flinkConfigYaml;
            return this;
        }

        /** One Flink configuration key over the file's (checkpoint interval, metrics reporter...). */
        public Builder set(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        /** Environment of the TaskManagers (and JobManager): where secrets reach the job. */
        public Builder environment(Map<String, String> env) {
            environment.putAll(env);
            return this;
        }

        /** The processes' classpath; default: the one the build wrote. */
        public Builder classpath(List<Path> jars) {
            this.classpath = jars;
            return this;
        }

        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = timeout;
            return this;
        }

        public LocalFlinkCluster build() {
            if (workDir == null) {
                throw new IllegalArgumentException("workDir is required");
            }
            if (taskManagers < 0) {
                throw new IllegalArgumentException("taskManagers must be >= 0, not " + taskManagers);
            }
            if (slots < 1) {
                throw new IllegalArgumentException("slots must be >= 1, not " + slots);
            }
            if (restPort < 0 || restPort > 65535) {
                throw new IllegalArgumentException("restPort must be 0 (a free port) or a port, not " + restPort);
            }
            if (configFile != null && !Files.isRegularFile(configFile)) {
                throw new IllegalArgumentException("No Flink configuration file " + configFile);
            }
            if (startupTimeout == null || startupTimeout.isNegative() || startupTimeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive");
            }
            return new LocalFlinkCluster(this);
        }
    }
}
