package io.vigil.bench.faults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.bench.BenchJson;
import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./vigil bench --only faults}: the fault scenarios on a Flink standalone cluster of separate
 * processes ({@link FaultHarness}), each against the fault-free run of the same records through the
 * same cluster job ({@link FaultScenario#BASELINE}, run first): alerts, incidents and webhook
 * deliveries expected, found, lost and duplicated, redeliveries and dead letters, and the time to
 * recover.
 *
 * <pre>java -cp bench/target/vigil-bench.jar io.vigil.bench.faults.FaultBench 1000000 [--quick] [--only a,b] [--json F]</pre>
 *
 * <p>The expected outputs come from a fault-free run of the cluster job rather than from a replay:
 * the same topology, configuration, parallelism and partitioning, so that a difference is the
 * fault's; the alert and incident ids are deterministic (docs/architecture.md, invariant 4), so
 * the runs compare as sets of ids.
 */
public final class FaultBench {

    private FaultBench() {}

    public static void main(String[] argv) throws Exception {
        List<String> args = BenchJson.mutable(argv);
        Path json = BenchJson.jsonPath(args);
        boolean quick = args.remove("--quick");
        String only = BenchJson.option(args, "--only");
        long records = args.isEmpty() ? (quick ? 30_000 : 1_000_000) : Long.parseLong(args.get(0));
        FaultHarness.Settings settings = quick ? FaultHarness.Settings.quick(records)
                : FaultHarness.Settings.full().withRecords(records);
        List<FaultScenario> scenarios = new ArrayList<>();
        if (only == null) {
            scenarios.addAll(FaultScenario.benchDefault());
        } else {
            for (String id : only.split(",")) {
                scenarios.add(FaultScenario.byId(id.strip()));
            }
        }
        PrintWriter out = new PrintWriter(System.out, true);
        Path work = Files.createTempDirectory("vigil-faults");
        ObjectNode result = run(settings, scenarios, FaultHarness.jobJar(root()), work, out);
        BenchJson.write(json, result);
        System.exit(0);
    }

    /** The baseline, then each scenario, on one harness; the figures as {@code bench/results.json} keeps them. */
    public static ObjectNode run(FaultHarness.Settings settings, List<FaultScenario> scenarios, Path jobJar, Path work,
                                 PrintWriter out) throws Exception {
        ObjectNode r = BenchJson.object();
        r.put("records", settings.records());
        r.put("seed", settings.seed());
        r.put("attack_every", settings.attackEvery());
        r.put("records_per_s_produced", settings.ratePerSecond());
        r.put("taskmanagers", settings.taskManagers());
        r.put("slots_per_taskmanager", settings.slots());
        r.put("parallelism", settings.parallelism());
        r.put("checkpoint_interval_ms", settings.checkpointInterval().toMillis());
        r.put("expected_from", "a fault-free run of the same records through the same cluster job");
        try (FaultHarness h = FaultHarness.start(settings, work, jobJar, out)) {
            FaultHarness.Result baseline = h.run(FaultScenario.BASELINE);
            ObjectNode b = r.putObject("baseline");
            b.put("alerts", baseline.outputs().alerts().size());
            b.put("incidents", baseline.outputs().incidents().size());
            b.put("webhook_keys", baseline.outputs().accepted().size());
            b.put("webhook_dead_lettered", baseline.outputs().deadLettered().size());
            b.setAll(baseline.figures());
            ObjectNode all = r.putObject("scenarios");
            boolean exact = true;
            for (FaultScenario s : scenarios) {
                ObjectNode entry;
                try {
                    FaultHarness.Result got = h.run(s);
                    Comparison c = Comparison.of(baseline.outputs(), got.outputs());
                    out.printf("%s: %s%n", s.id(), c);
                    entry = c.json();
                    entry.setAll(got.figures());
                    exact &= c.exact();
                } catch (Exception e) {
                    out.printf("%s: FAILED: %s%n", s.id(), e);
                    entry = BenchJson.object();
                    entry.put("failed", String.valueOf(e));
                    exact = false;
                }
                all.set(s.id(), entry);
            }
            r.put("all_exact", exact);
        }
        r.set("machine", BenchJson.machine());
        return r;
    }

    /** The repository root: the bench jar is {@code <root>/bench/target/vigil-bench.jar} (or classes). */
    private static Path root() throws Exception {
        Path here = new File(FaultBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toPath();
        Path root = here.getParent().getParent().getParent();
        return Files.isDirectory(root.resolve("jobs")) ? root : Path.of(".");
    }
}
