package io.vigil.bench;

import io.vigil.jobs.wiring.FlinkSettings;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.detect.CorrelateFunction;
import io.vigil.jobs.detect.CorrelationStateSerializer;
import io.vigil.jobs.detect.Detection;
import io.vigil.jobs.detect.DetectionSettings;
import io.vigil.model.Origin;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleHit;
import io.vigil.rules.verify.RuleSet;
import io.vigil.rules.correlate.CorrelationState;
import io.vigil.rules.correlate.WindowEntry;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.ObjectName;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.api.common.typeutils.base.MapSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.state.rocksdb.RocksDBNativeMetricOptions;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * Memory of correlation: bytes of keyed state per tracked entity in a checkpoint, and heap per
 * entity, with {@code N} entities all holding state, on the heap ({@code hashmap}) and RocksDB
 * state backends.
 *
 * <p>The stream: each of {@code N} source addresses fails to log in over SSH {@code hits} times
 * (1 to 4, under every threshold of the pack), spread evenly over 30 s of event time, then one
 * benign event 45 s in moves the watermark past them all (but not past the end of any window).
 * A failed SSH login is a hit for three rules of the packaged pack, each keyed by the source
 * address: {@code ssh-brute-force} (a window of {@code hits} events), {@code brute-force-then-success}
 * ({@code hits} first steps) and {@code password-spray} (one distinct user); so every entity holds
 * exactly three keys of correlation state, each with its window's wake-up timer (password-spray:
 * one per hit, as each re-hit of the same user moves the window's start), and nothing alerts.
 * The source then stays open and idle, so the state is held.
 *
 * <p>Each (entities, backend) runs in its own JVM (a clean heap), with the job's production Flink
 * settings ({@link FlinkSettings#flinkConfig}, the pack, {@link Detection#build} with the default
 * out-of-orderness and TTL, and a key bound above the keys it makes: it measures every entity's
 * state) on a local cluster at parallelism 1:
 * <ol>
 * <li>heap baseline: the job running, the rules compiled, no event yet; used heap after a full GC;</li>
 * <li>the events; wait until the correlate operator's input watermark has passed them all;</li>
 * <li>a checkpoint, as the job takes them (not incremental, the default): the size of the
 * correlate operator's managed keyed state in its {@code _metadata}
 * ({@link Checkpoints#loadCheckpointMetadata}, the sum of its {@link KeyedStateHandle#getStateSize()}:
 * the bytes of the state files written, timers included) divided by {@code N}. On the heap backend
 * that is a full snapshot of the serialized state; on RocksDB, a native full snapshot: its SST
 * files, after a flush, dead versions and tombstones included until a compaction drops them;</li>
 * <li>used heap after a full GC, minus the baseline, divided by {@code N}; a class histogram diff
 * shows what the heap holds;</li>
 * <li>RocksDB only: a canonical savepoint (the same logical state in the heap backend's format)
 * and RocksDB's own properties of the correlate operator's column families
 * ({@code estimate-live-data-size}, {@code total-sst-files-size}, {@code estimate-num-keys},
 * memtables);</li>
 * <li>the heap checkpoint (RocksDB: the canonical savepoint) read back with the State Processor
 * API: keys with state per rule (checked against {@code 3N}), waiting hits (checked 0), timers, and
 * the serialized bytes of keys, values, window entries and entity maps, which account for the
 * heap backend's snapshot to within its headers.</li>
 * </ol>
 *
 * <pre>java --add-opens java.base/java.util=ALL-UNNAMED -cp bench/target/vigil-bench.jar \
 *     io.vigil.bench.StateFootprint 100000,1000000 hashmap,rocksdb --json state.json</pre>
 * Options: {@code --quick} (10k and 100k entities), {@code --hits K} (failed logins per entity,
 * default 3), {@code --xmx SIZE} (heap of each run, default 12g), {@code --managed SIZE} (Flink
 * managed memory of the task manager: RocksDB's block cache and memtables; default 512m, what the
 * compose file's task manager has for its two slots with Flink's default 1728m process size; at
 * 128m, a local cluster's default, the 1M RocksDB run slowed to ~150 events/s), {@code --no-verify},
 * {@code --no-bloom} (RocksDB without bloom filters, Flink's default; this benchmark turns them on),
 * {@code --work DIR} (checkpoints; default a temporary directory, deleted unless {@code --keep}).
 */
public final class StateFootprint {

    /** The failed logins are spread over this much event time. */
    static final long SPAN_MS = 30_000;
    /** Then one benign event at this time: its watermark (minus the out-of-orderness) passes them all. */
    static final long TICK_MS = 45_000;
    /** Rules each failed SSH login is a hit of, all grouped by the source address. */
    static final List<String> RULES = List.of("ssh-brute-force", "brute-force-then-success", "password-spray");
    static final int TARGET_BYTES_PER_ENTITY = 500;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StateFootprint() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            int status = 0;
            try {
                Map<String, Object> r = run(Long.parseLong(args[1]), args[2], Integer.parseInt(args[3]),
                        Path.of(args[4]), Boolean.parseBoolean(args[5]), args[6], Boolean.parseBoolean(args[7]));
                System.out.println("RESULT " + new ObjectMapper().writeValueAsString(r));
            } catch (Throwable t) {
                t.printStackTrace();
                status = 1;
            }
            System.out.flush();
            // Flink leaves non-daemon threads behind
            System.exit(status);
        }
        orchestrate(args);
    }

    // ------------------------------------------------------------------ the parent: one JVM per run

    private static void orchestrate(String[] args) throws Exception {
        List<Long> entities = List.of(100_000L, 1_000_000L);
        List<String> backends = List.of("hashmap", "rocksdb");
        int hits = 3;
        String json = null;
        String xmx = "12g";
        String managed = "512m";
        boolean verify = true;
        boolean keep = false;
        boolean bloom = true;
        Path work = null;
        int positional = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> entities = List.of(10_000L, 100_000L);
                case "--hits" -> hits = Integer.parseInt(args[++i]);
                case "--json" -> json = args[++i];
                case "--xmx" -> xmx = args[++i];
                case "--managed" -> managed = args[++i];
                case "--no-verify" -> verify = false;
                case "--no-bloom" -> bloom = false;
                case "--keep" -> keep = true;
                case "--work" -> work = Path.of(args[++i]);
                default -> {
                    if (positional++ == 0) {
                        entities = Arrays.stream(args[i].split(",")).map(s -> Long.parseLong(s.replace("_", ""))).toList();
                    } else {
                        backends = List.of(args[i].split(","));
                    }
                }
            }
        }
        if (hits < 1 || hits > 4) {
            throw new IllegalArgumentException("--hits is 1 to 4: five failed logins would fire ssh-brute-force");
        }
        for (String b : backends) {
            if (!b.equals("hashmap") && !b.equals("rocksdb")) {
                throw new IllegalArgumentException("backend is hashmap or rocksdb, not " + b);
            }
        }
        boolean temporary = work == null;
        if (temporary) {
            work = Files.createTempDirectory("vigil-state-footprint");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Map<String, Object>> runs = new ArrayList<>();
        for (long n : entities) {
            for (String backend : backends) {
                Path dir = work.resolve(backend + "-" + n);
                List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + xmx, "-XX:+UseG1GC",
                        "-XX:+ExitOnOutOfMemoryError", "--add-opens=java.base/java.util=ALL-UNNAMED",
                        "--add-opens=java.base/java.lang=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                        StateFootprint.class.getName(), "--child", String.valueOf(n), backend,
                        String.valueOf(hits), dir.toString(), String.valueOf(verify), managed, String.valueOf(bloom)));
                System.out.printf("== %s, %,d entities, %d failed logins each (-Xmx%s, managed memory %s)%n",
                        backend, n, hits, xmx, managed);
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                Map<String, Object> result = null;
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.startsWith("RESULT ")) {
                            @SuppressWarnings("unchecked")
                            Map<String, Object> r = JSON.readValue(line.substring(7), LinkedHashMap.class);
                            result = r;
                        } else {
                            System.out.println("   " + line);
                        }
                    }
                }
                int exit = p.waitFor();
                if (result == null) {
                    result = new LinkedHashMap<>();
                    result.put("backend", backend);
                    result.put("entities", n);
                    result.put("failed", "the run exited with status " + exit + " (see its output above)");
                    System.out.println("   FAILED: exit status " + exit);
                }
                result.put("xmx", xmx);
                runs.add(result);
                if (!keep) {
                    deleteTree(dir);
                }
            }
        }
        if (temporary && !keep) {
            deleteTree(work);
        }
        printTable(runs, hits);
        if (json != null) {
            Files.writeString(Path.of(json), JSON.writeValueAsString(summary(runs, entities, hits, xmx)));
            System.out.println("wrote " + json);
        }
    }

    private static void printTable(List<Map<String, Object>> runs, int hits) {
        System.out.printf("%nCorrelation state, %d failed SSH logins per entity (3 keys per entity: %s), "
                + "parallelism 1, whole pack%n", hits, String.join(", ", RULES));
        System.out.printf("%-8s %10s %10s %14s %10s %9s %14s %10s %s%n", "backend", "entities", "keys",
                "ckpt keyed B", "B/entity", "B/key", "heap Δ B", "heap B/ent", "rocksdb: canonical savepoint / live data / SST, B per entity");
        for (Map<String, Object> r : runs) {
            if (r.containsKey("failed")) {
                System.out.printf("%-8s %,10d  %s%n", r.get("backend"), ((Number) r.get("entities")).longValue(),
                        r.get("failed"));
                continue;
            }
            long n = num(r, "entities");
            Object keys = r.get("verified_keys") == null ? "-" : String.format("%,d", num(r, "verified_keys"));
            String rocks = "";
            if ("rocksdb".equals(r.get("backend"))) {
                rocks = String.format("%.0f / %.0f / %.0f", num(r, "canonical_savepoint_keyed_bytes") / (double) n,
                        num(r, "rocksdb_estimate_live_data_size") / (double) n,
                        num(r, "rocksdb_total_sst_files_size") / (double) n);
            }
            System.out.printf("%-8s %,10d %10s %,14d %10.0f %9.0f %,14d %10.0f %s%n", r.get("backend"), n, keys,
                    num(r, "checkpoint_keyed_bytes"), dbl(r, "state_bytes_per_entity"), dbl(r, "state_bytes_per_key"),
                    num(r, "heap_held_bytes") - num(r, "heap_baseline_bytes"), dbl(r, "heap_bytes_per_entity"), rocks);
        }
        System.out.printf("target: <= %d bytes of state per tracked entity%n", TARGET_BYTES_PER_ENTITY);
    }

    private static Map<String, Object> summary(List<Map<String, Object>> runs, List<Long> entities, int hits,
                                               String xmx) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("benchmark", "StateFootprint");
        s.put("entities", entities);
        s.put("hits_per_entity", hits);
        s.put("keys_per_entity", RULES.size());
        s.put("target_state_bytes_per_entity", TARGET_BYTES_PER_ENTITY);
        Map<String, Map<String, Object>> state = new TreeMap<>();
        Map<String, Map<String, Object>> perKey = new TreeMap<>();
        Map<String, Map<String, Object>> heapPer = new TreeMap<>();
        Map<String, Map<String, Object>> heap = new TreeMap<>();
        Map<String, Map<String, Object>> ckpt = new TreeMap<>();
        for (Map<String, Object> r : runs) {
            if (r.containsKey("failed")) {
                continue;
            }
            String b = (String) r.get("backend");
            String n = String.valueOf(num(r, "entities"));
            state.computeIfAbsent(b, k -> new LinkedHashMap<>()).put(n, round(dbl(r, "state_bytes_per_entity")));
            perKey.computeIfAbsent(b, k -> new LinkedHashMap<>()).put(n, round(dbl(r, "state_bytes_per_key")));
            heapPer.computeIfAbsent(b, k -> new LinkedHashMap<>()).put(n, round(dbl(r, "heap_bytes_per_entity")));
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("baseline", r.get("heap_baseline_bytes"));
            h.put("held", r.get("heap_held_bytes"));
            heap.computeIfAbsent(b, k -> new LinkedHashMap<>()).put(n, h);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("total", r.get("checkpoint_total_bytes"));
            c.put("correlate_keyed", r.get("checkpoint_keyed_bytes"));
            if (b.equals("rocksdb")) {
                c.put("canonical_savepoint_keyed", r.get("canonical_savepoint_keyed_bytes"));
                c.put("rocksdb_estimate_live_data_size", r.get("rocksdb_estimate_live_data_size"));
                c.put("rocksdb_total_sst_files_size", r.get("rocksdb_total_sst_files_size"));
            }
            ckpt.computeIfAbsent(b, k -> new LinkedHashMap<>()).put(n, c);
        }
        s.put("state_bytes_per_entity", state);
        s.put("state_bytes_per_key", perKey);
        s.put("heap_bytes_per_entity", heapPer);
        s.put("heap_used_bytes", heap);
        s.put("checkpoint_bytes", ckpt);
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("maxHeap", runs.stream().filter(r -> r.get("max_heap_bytes") != null).findFirst()
                .map(r -> r.get("max_heap_bytes")).orElse(null));
        machine.put("xmx", xmx);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            machine.put("memory_bytes", os.getTotalMemorySize());
        }
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        s.put("machine", machine);
        s.put("runs", runs);
        return s;
    }

    // ------------------------------------------------------------------ one run, in its own JVM

    static Map<String, Object> run(long n, String backend, int hits, Path dir, boolean verify, String managed,
                                   boolean bloom) throws Exception {
        Files.createDirectories(dir);
        long total = n * hits;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("backend", backend);
        r.put("entities", n);
        r.put("hits_per_entity", hits);
        r.put("events", total + 1);
        r.put("max_heap_bytes", Runtime.getRuntime().maxMemory());

        // the job's own Flink settings; checkpoints only when asked for
        Configuration conf = FlinkSettings.flinkConfig(VigilConfig.of(Map.of("checkpoints.interval", "365d",
                "checkpoints.dir", dir.resolve("checkpoints").toString()), "state footprint"));
        conf.set(StateBackendOptions.STATE_BACKEND, backend);
        // any free port for the local cluster's REST endpoint: other runs may be on this machine
        conf.set(RestOptions.BIND_PORT, "0");
        // RocksDB's memory (block cache and memtables) comes out of managed memory
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse(managed));
        conf.setString("metrics.reporter.tap.factory.class", MetricsTap.Factory.class.getName());
        if (backend.equals("rocksdb")) {
            conf.set(RocksDBOptions.LOCAL_DIRECTORIES, dir.resolve("rocksdb").toString());
            conf.set(RocksDBNativeMetricOptions.ESTIMATE_LIVE_DATA_SIZE, true);
            conf.set(RocksDBNativeMetricOptions.MONITOR_TOTAL_SST_FILES_SIZE, true);
            conf.set(RocksDBNativeMetricOptions.MONITOR_LIVE_SST_FILES_SIZE, true);
            conf.set(RocksDBNativeMetricOptions.MONITOR_SIZE_ALL_MEM_TABLES, true);
            conf.set(RocksDBNativeMetricOptions.ESTIMATE_NUM_KEYS, true);
            conf.set(RocksDBNativeMetricOptions.BLOCK_CACHE_USAGE, true);
            // each hit first looks its key up, mostly a miss: without bloom filters every miss
            // reads a block of every level
            conf.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, bloom);
            r.put("rocksdb_bloom_filter", bloom);
        }
        r.put("incremental_checkpoints", conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS));
        r.put("managed_memory", conf.get(TaskManagerOptions.MANAGED_MEMORY_SIZE).toString());

        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(1).build());
        cluster.start();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        FlinkDetectionThroughput.ALERTS.set(0);
        DataGeneratorSource<SecurityEvent> source = new DataGeneratorSource<>(new FailedLogins(n, hits),
                Long.MAX_VALUE, new Gate(total + 1), TypeInformation.of(SecurityEvent.class));
        Detection.build(env.fromSource(source, WatermarkStrategy.noWatermarks(), "failed logins"),
                        DetectionSettings.of(RuleSet.packaged(), Detection.DEFAULT_OUT_OF_ORDERNESS,
                                Detection.DEFAULT_STATE_TTL).withMaxKeys((int) Math.min(Integer.MAX_VALUE,
                                Math.max(Detection.DEFAULT_MAX_KEYS, n * RULES.size()))).withMaxNewKeysPerMinute(0)).alerts()
                .sinkTo(new FlinkDetectionThroughput.CountingSink()).name("count alerts");
        JobGraph graph = env.getStreamGraph().getJobGraph();
        JobID job = cluster.submitJob(graph).get().getJobID();

        // 1. baseline: every task running and the correlate operator's metrics there, no event yet
        waitUntil(Duration.ofMinutes(5), "the job to run", () -> allRunning(cluster, job)
                && watermarkGauge() != null);
        Thread.sleep(3000);
        long heapBaseline = heapAfterGc();
        long rssBaseline = rss();
        Map<String, long[]> histBaseline = histogram();
        r.put("heap_baseline_bytes", heapBaseline);
        r.put("rss_baseline_bytes", rssBaseline);

        // 2. the events, until the watermark has passed every failed login (they are all applied)
        long started = System.nanoTime();
        Gate.OPEN.complete(null);
        long passed = SyntheticAuth.START.toEpochMilli() + TICK_MS - Detection.DEFAULT_OUT_OF_ORDERNESS.toMillis() - 1;
        waitUntil(Duration.ofHours(2), "the watermark to pass the events", () -> {
            Double w = watermarkGauge().number();
            return w != null && w >= passed;
        }, new Runnable() {
            private long last;
            private long lastAt = System.nanoTime();

            @Override
            public void run() {
                long now = System.nanoTime();
                long emitted = FailedLogins.EMITTED.get();
                System.out.printf("  %,d of %,d events emitted (%,.0f events/s)%n", emitted, total + 1,
                        (emitted - last) / ((now - lastAt) / 1e9));
                last = emitted;
                lastAt = now;
            }
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        r.put("processing_seconds", round(seconds));
        r.put("alerts", FlinkDetectionThroughput.ALERTS.get());
        System.out.printf("  %,d events in %.1f s (%,.0f events/s), %d alerts%n", total + 1, seconds,
                (total + 1) / seconds, FlinkDetectionThroughput.ALERTS.get());

        // 3. a checkpoint while the state is held
        String checkpoint = cluster.triggerCheckpoint(job).get();
        Path chkDir = Path.of(URI.create(checkpoint));
        OperatorID correlate = OperatorIdentifier.forUid(Detection.CORRELATE_UID).getOperatorId();
        Map<String, Long> chk = sizes(chkDir, correlate);
        long keyed = chk.get("keyed");
        r.put("checkpoint", chkDir.getFileName().toString());
        r.put("checkpoint_keyed_bytes", keyed);
        r.put("checkpoint_total_bytes", chk.get("total"));
        r.put("checkpoint_files_bytes", treeSize(chkDir));
        r.put("state_bytes_per_entity", keyed / (double) n);
        r.put("state_bytes_per_key", keyed / (double) (n * RULES.size()));
        System.out.printf("  checkpoint: correlate keyed state %,d B = %.1f B per entity (%s)%n", keyed,
                keyed / (double) n, chkDir.getFileName());

        // 4. the heap holding the state
        long heapHeld = heapAfterGc();
        r.put("heap_held_bytes", heapHeld);
        r.put("rss_held_bytes", rss());
        r.put("heap_bytes_per_entity", (heapHeld - heapBaseline) / (double) n);
        r.put("rss_delta_bytes_per_entity", (rss() - rssBaseline) / (double) n);
        r.put("heap_histogram_top", histogramDiff(histBaseline, histogram(), n, 15));
        System.out.printf("  heap after GC: %,d B baseline, %,d B held: %.1f B per entity%n", heapBaseline, heapHeld,
                (heapHeld - heapBaseline) / (double) n);

        // 5. RocksDB: its checkpoint is its SST files (a native full snapshot); a canonical savepoint
        // writes the same logical state in the heap backend's format, and RocksDB's own properties
        // say what its files hold
        String readBack = checkpoint;
        if (backend.equals("rocksdb")) {
            String savepoint = cluster.triggerSavepoint(job, dir.resolve("savepoints").toUri().toString(), false,
                    SavepointFormatType.CANONICAL).get();
            long canonical = sizes(Path.of(URI.create(savepoint)), correlate).get("keyed");
            readBack = savepoint;
            r.put("canonical_savepoint_keyed_bytes", canonical);
            r.put("canonical_savepoint_bytes_per_entity", canonical / (double) n);
            // the native metrics are views, refreshed every 5 s
            Thread.sleep(12_000);
            Map<String, Double> rocks = new TreeMap<>();
            Map<String, Double> byFamily = new TreeMap<>();
            for (MetricsTap.Registered m : MetricsTap.all()) {
                if (m.name().startsWith("rocksdb.") && "correlate".equals(m.variables().get("<operator_name>"))
                        && m.number() != null) {
                    rocks.merge(m.name(), m.number(), Double::sum);
                    String scope = m.identifier().substring(0, m.identifier().length() - m.name().length() - 1);
                    byFamily.put(scope.substring(scope.lastIndexOf('.') + 1) + " " + m.name(), m.number());
                }
            }
            // the block cache is shared by the column families: each reports all of it
            rocks.remove("rocksdb.block-cache-usage");
            rocks.forEach((k, v) -> r.put(k.replace('.', '_').replace('-', '_'), v.longValue()));
            r.put("rocksdb_by_column_family", byFamily);
            r.put("rocksdb_local_dir_bytes", treeSize(dir.resolve("rocksdb")));
            System.out.printf("  rocksdb: canonical savepoint %,d B (%.1f B per entity); %s%n", canonical,
                    canonical / (double) n, rocks);
        }

        cluster.cancelJob(job).get();
        waitUntil(Duration.ofMinutes(2), "the job to end", () -> cluster.getJobStatus(job).get().isTerminalState());
        cluster.close();

        // 6. read the checkpoint back: what the keys hold
        if (verify) {
            Map<String, Object> census = census(readBack);
            r.put("census", census);
            long keys = ((Number) census.get("keys_with_state")).longValue();
            r.put("verified_keys", keys);
            r.put("expected_keys", n * RULES.size());
            r.put("keys_as_expected", keys == n * RULES.size() && ((Number) census.get("pending_hits")).longValue() == 0);
            System.out.printf("  checkpoint read back: %,d keys with state (expected %,d), %,d waiting hits, "
                    + "%,d timers%n", keys, n * RULES.size(), census.get("pending_hits"), census.get("timers"));
        }
        return r;
    }

    private static boolean allRunning(MiniCluster cluster, JobID job) throws Exception {
        for (AccessExecutionVertex v : cluster.getExecutionGraph(job).get().getAllExecutionVertices()) {
            if (v.getExecutionState() != ExecutionState.RUNNING) {
                return false;
            }
        }
        return true;
    }

    private static MetricsTap.Registered watermarkGauge() {
        for (MetricsTap.Registered m : MetricsTap.all()) {
            if (m.name().equals("currentInputWatermark") && "correlate".equals(m.variables().get("<operator_name>"))) {
                return m;
            }
        }
        return null;
    }

    interface Check {
        boolean done() throws Exception;
    }

    private static void waitUntil(Duration timeout, String what, Check check) throws Exception {
        waitUntil(timeout, what, check, () -> {});
    }

    private static void waitUntil(Duration timeout, String what, Check check, Runnable progress) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        long nextReport = System.nanoTime() + 10_000_000_000L;
        while (!check.done()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            if (System.nanoTime() > nextReport) {
                progress.run();
                nextReport = System.nanoTime() + 10_000_000_000L;
            }
            Thread.sleep(100);
        }
    }

    /** The correlate operator's managed keyed state and the whole snapshot, from its {@code _metadata}. */
    static Map<String, Long> sizes(Path dir, OperatorID correlate) throws IOException {
        CheckpointMetadata meta;
        try (InputStream in = Files.newInputStream(dir.resolve("_metadata"))) {
            meta = Checkpoints.loadCheckpointMetadata(new DataInputStream(in),
                    StateFootprint.class.getClassLoader(), dir.toUri().toString());
        }
        long keyed = 0;
        long all = 0;
        boolean found = false;
        for (OperatorState op : meta.getOperatorStates()) {
            all += op.getStateSize();
            if (op.getOperatorID().equals(correlate)) {
                found = true;
                for (OperatorSubtaskState s : op.getStates()) {
                    for (KeyedStateHandle h : s.getManagedKeyedState()) {
                        keyed += h.getStateSize();
                    }
                }
            }
        }
        if (!found) {
            throw new IllegalStateException("no state of operator " + Detection.CORRELATE_UID + " in " + dir);
        }
        return Map.of("keyed", keyed, "total", all);
    }

    static long treeSize(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ------------------------------------------------------------------ heap

    static long heapAfterGc() throws InterruptedException {
        long previous = Long.MAX_VALUE;
        long used = 0;
        for (int i = 0; i < 6; i++) {
            System.gc();
            Thread.sleep(300);
            used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < 1 << 20) {
                break;
            }
            previous = used;
        }
        return used;
    }

    /** Resident set size of this process (heap, RocksDB's native memory and everything else). */
    static long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    private static final Pattern HISTOGRAM_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    /** Live objects by class ({@code GC.class_histogram}: a full GC first): instances and bytes. */
    static Map<String, long[]> histogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, long[]> h = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = HISTOGRAM_LINE.matcher(line);
            if (m.find()) {
                h.put(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
            }
        }
        return h;
    }

    private static List<Map<String, Object>> histogramDiff(Map<String, long[]> before, Map<String, long[]> after,
                                                           long n, int top) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            long instances = e.getValue()[0] - b[0];
            long bytes = e.getValue()[1] - b[1];
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("class", e.getKey());
            row.put("instances_per_entity", round(instances / (double) n));
            row.put("bytes_per_entity", round(bytes / (double) n));
            row.put("bytes", bytes);
            rows.add(row);
        }
        rows.sort(Comparator.comparingLong(m -> -((Number) m.get("bytes")).longValue()));
        List<Map<String, Object>> out = new ArrayList<>(rows.subList(0, Math.min(top, rows.size())));
        System.out.println("  heap held minus baseline, by class (per entity):");
        for (Map<String, Object> row : out) {
            System.out.printf("    %8.1f B %6.2f objects  %s%n", ((Number) row.get("bytes_per_entity")).doubleValue(),
                    ((Number) row.get("instances_per_entity")).doubleValue(), row.get("class"));
        }
        return out;
    }

    // ------------------------------------------------------------------ the checkpoint, read back

    /** Per-rule totals of the keys, gathered by {@link Census} (one reader, this JVM). */
    static final Map<String, long[]> CENSUS = new TreeMap<>();
    /** Indexes into a {@link #CENSUS} row. */
    static final String[] COLUMNS = {"keys", "keys_with_value", "open_alerts", "window_entries", "pending_hits",
        "timers", "key_bytes", "value_bytes", "window_bytes", "entities_bytes", "heap_snapshot_bytes"};

    static Map<String, Object> census(String checkpoint) throws Exception {
        synchronized (CENSUS) {
            CENSUS.clear();
        }
        Configuration c = new Configuration();
        c.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        c.set(RestOptions.BIND_PORT, "0");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        env.setParallelism(1);
        SavepointReader.read(env, checkpoint, new HashMapStateBackend())
                .readKeyedState(OperatorIdentifier.forUid(Detection.CORRELATE_UID), new Census(), Types.STRING,
                        Types.LONG)
                .sinkTo(new DiscardingSink<>());
        env.execute("read the correlation state");
        Map<String, Object> out = new LinkedHashMap<>();
        long[] sum = new long[COLUMNS.length];
        Map<String, Object> rules = new LinkedHashMap<>();
        synchronized (CENSUS) {
            for (Map.Entry<String, long[]> e : CENSUS.entrySet()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 0; i < COLUMNS.length; i++) {
                    row.put(COLUMNS[i], e.getValue()[i]);
                    sum[i] += e.getValue()[i];
                }
                rules.put(e.getKey(), row);
            }
        }
        out.put("keys_with_state", sum[1]);
        for (int i = 0; i < COLUMNS.length; i++) {
            out.put(COLUMNS[i], sum[i]);
        }
        out.put("rules", rules);
        return out;
    }

    /** Reads every key of the correlate operator: what it holds and its serialized size. */
    static final class Census extends KeyedStateReaderFunction<String, Long> {

        private static final long serialVersionUID = 1L;

        private transient ValueState<CorrelationState> state;
        private transient MapState<Long, List<RuleHit>> pending;
        private transient CorrelationStateSerializer stateSerializer;
        private transient DataOutputSerializer buffer;

        @Override
        public void open(OpenContext openContext) {
            // as CorrelateFunction declares them: the TTL is part of the state's serializer
            state = getRuntimeContext().getState(CorrelateFunction.stateDescriptor(Detection.DEFAULT_STATE_TTL));
            pending = getRuntimeContext().getMapState(CorrelateFunction.pendingDescriptor(Detection.DEFAULT_STATE_TTL));
            stateSerializer = new CorrelationStateSerializer();
            buffer = new DataOutputSerializer(1024);
        }

        private <T> long size(TypeSerializer<T> serializer, T value) throws IOException {
            buffer.clear();
            serializer.serialize(value, buffer);
            return buffer.length();
        }

        @Override
        public void readKey(String key, Context ctx, Collector<Long> out) throws Exception {
            CorrelationState st = state.value();
            long waiting = 0;
            for (Map.Entry<Long, List<RuleHit>> e : pending.entries()) {
                waiting += e.getValue().size();
            }
            long[] row = new long[COLUMNS.length];
            row[0] = 1;
            row[4] = waiting;
            row[5] = ctx.registeredEventTimeTimers().size();
            row[6] = size(StringSerializer.INSTANCE, key);
            if (st != null) {
                row[1] = 1;
                row[2] = st.open == null ? 0 : 1;
                row[3] = st.window.size();
                row[7] = size(stateSerializer, st);
                buffer.clear();
                stateSerializer.writeWindow(st.window, buffer);
                row[8] = buffer.length();
                buffer.clear();
                stateSerializer.writeEntities(st.entities, buffer);
                row[9] = buffer.length();
            }
            // what the heap backend's full snapshot writes for the key: its value as namespace (one
            // byte), key, TTL time and value; each timer as time, key and namespace
            row[10] = (st == null ? 0 : 1 + row[6] + 8 + row[7]) + row[5] * (8 + row[6] + 1);
            String rule = key.substring(0, key.indexOf('\u0000'));
            synchronized (CENSUS) {
                long[] sum = CENSUS.computeIfAbsent(rule, k -> new long[COLUMNS.length]);
                for (int i = 0; i < row.length; i++) {
                    sum[i] += row[i];
                }
            }
        }
    }

    // ------------------------------------------------------------------ the stream

    /**
     * Event {@code i < N·hits}: entity {@code i mod N} fails to log in (as SyntheticAuth's failures),
     * at {@code i·30s/(N·hits)}; event {@code N·hits}: a disconnect 45 s in, which no rule matches.
     */
    static final class FailedLogins implements GeneratorFunction<Long, SecurityEvent> {

        private static final long serialVersionUID = 1L;
        static final AtomicLong EMITTED = new AtomicLong();

        private final long entities;
        private final long total;

        FailedLogins(long entities, int hits) {
            this.entities = entities;
            this.total = entities * hits;
        }

        @Override
        public SecurityEvent map(Long index) {
            long i = index;
            EMITTED.incrementAndGet();
            SecurityEvent.Builder b = SecurityEvent.builder().eventModule("system").eventDataset("system.auth")
                    .processName("sshd").origin(Origin.kafka("auth", 0, i)).message("synthetic");
            if (i >= total) {
                return b.timestamp(SyntheticAuth.START.plusMillis(TICK_MS)).hostName("bastion-0")
                        .sourceIp("192.0.2.1").eventAction("ssh_disconnect").eventCategory("network").build();
            }
            long e = i % entities;
            Instant t = SyntheticAuth.START.plusMillis(i * SPAN_MS / total);
            String ip = "10." + (e >> 16 & 255) + "." + (e >> 8 & 255) + "." + (e & 255);
            return b.timestamp(t).hostName("bastion-" + (e % 20)).sourceIp(ip).eventAction("ssh_login")
                    .eventOutcome("failure").userName("user" + (e % 1000)).eventCategory("authentication")
                    .eventType("start").build();
        }
    }

    /**
     * Holds the source until {@link #OPEN} completes, then lets {@code permits} records through and
     * holds it again, for good: the source stays open and idle (it never finishes, which would end
     * event time and clear the state), without blocking its task (checkpoints go through).
     */
    static final class Gate implements RateLimiterStrategy<NumberSequenceSplit> {

        private static final long serialVersionUID = 1L;
        static final CompletableFuture<Void> OPEN = new CompletableFuture<>();

        private final long permits;

        Gate(long permits) {
            this.permits = permits;
        }

        @Override
        public RateLimiter<NumberSequenceSplit> createRateLimiter(int parallelism) {
            CompletableFuture<Void> closed = new CompletableFuture<>();
            return new RateLimiter<>() {
                private long granted;

                @Override
                public CompletionStage<Void> acquire(int n) {
                    if (granted >= permits) {
                        return closed;
                    }
                    granted += n;
                    return OPEN;
                }
            };
        }
    }

    // ------------------------------------------------------------------ small things

    private static long num(Map<String, Object> r, String key) {
        Object v = r.get(key);
        return v == null ? 0 : ((Number) v).longValue();
    }

    private static double dbl(Map<String, Object> r, String key) {
        Object v = r.get(key);
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
