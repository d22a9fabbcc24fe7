package io.vigil.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.formats.DecodeResult;
import io.vigil.formats.DecoderOptions;
import io.vigil.formats.DecoderRegistry;
import io.vigil.model.RawRecord;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleEvaluator;
import io.vigil.rules.RuleMeta;
import io.vigil.rules.RulePack;
import io.vigil.rules.RuleSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * SigmaHQ's Windows rules evaluated on one thread, without Flink: the rule files of
 * {@code sigmahq-rules/rules/windows} in a fixed shuffled order (seed 42), compiled 100, 1,000 and
 * all at a time, over a real Sysmon and Security event mix (the OTRF Windows recordings and the
 * SigmaHQ regression samples, decoded once). Events/s is {@code events} evaluations (the mix
 * cycled) per second of the evaluator's {@code evaluateWithErrors}, the call the job makes per
 * event; the median of {@code passes} passes after one warm-up pass. Also: compile time, the
 * rules active, and the hits per pass (so a figure that matches nothing is visible as such).
 *
 * <pre>java -cp bench/target/vigil-bench.jar io.vigil.bench.SigmaThroughput 100,1000,all 1000000 3 [--json FILE]</pre>
 */
public final class SigmaThroughput {

    /** Where the rule tree sits under the datasets. */
    static final String WINDOWS_RULES = "sigmahq-rules/rules/windows";

    private SigmaThroughput() {}

    public static void main(String[] argv) throws Exception {
        List<String> args = BenchJson.mutable(argv);
        Path json = BenchJson.jsonPath(args);
        List<String> counts = List.of((args.size() > 0 ? args.get(0) : "100,1000,all").split(","));
        long events = args.size() > 1 ? Long.parseLong(args.get(1)) : 1_000_000;
        int passes = args.size() > 2 ? Integer.parseInt(args.get(2)) : 3;
        PrintWriter out = new PrintWriter(System.out, true);

        List<RuleSource> all = new ArrayList<>(RuleSource.loadSigma(Datasets.root().resolve(WINDOWS_RULES),
                "sigmahq/windows"));
        Collections.shuffle(all, new Random(42));
        SecurityEvent[] mix = windowsMix();
        ObjectNode result = BenchJson.object();
        result.put("rule_files", all.size());
        result.put("events_in_mix", mix.length);
        result.set("mix_by_channel", io.vigil.model.EcsJson.MAPPER.valueToTree(byChannel(mix)));
        result.put("evaluations_per_pass", events);
        out.printf("%,d Windows rule files; event mix: %,d events %s%n", all.size(), mix.length, byChannel(mix));
        ArrayNode runs = result.putArray("by_rules");
        for (String count : counts) {
            int n = count.equals("all") ? all.size() : Math.min(Integer.parseInt(count), all.size());
            List<RuleSource> subset = List.copyOf(all.subList(0, n));
            System.gc();
            long heapBefore = usedHeap();
            long t0 = System.nanoTime();
            RulePack pack = RulePack.compile(subset);
            long compileMs = (System.nanoTime() - t0) / 1_000_000;
            System.gc();
            long heapHeld = Math.max(0, usedHeap() - heapBefore);
            Set<String> sigma = pack.rules().values().stream().filter(r -> RuleMeta.SIGMA.equals(r.ruleset()))
                    .map(RuleMeta::id).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
            double[] eps = new double[passes];
            long hits = 0;
            try (RuleEvaluator evaluator = pack.newEvaluator(pack.rules().keySet())) {
                pass(evaluator, mix, events); // warm-up
                for (int p = 0; p < passes; p++) {
                    long s = System.nanoTime();
                    hits = pass(evaluator, mix, events);
                    eps[p] = events / ((System.nanoTime() - s) / 1e9);
                }
            }
            ObjectNode r = runs.addObject();
            r.put("rule_files", n);
            r.put("rules_active", sigma.size());
            r.put("compile_ms", compileMs);
            r.put("heap_held_bytes", heapHeld);
            r.put("hits_per_pass", hits);
            r.set("events_per_s", BenchJson.stats(eps));
            out.printf(Locale.ROOT, "%,6d rule files, %,6d active: compile %,d ms, heap %,d MB, %,.0f events/s (median), "
                    + "%,d hits per pass%n", n, sigma.size(), compileMs, heapHeld >> 20, median(eps), hits);
            if (count.equals("all")) {
                result.put("all_rules_eps", Math.round(median(eps)));
                result.put("all_rules_active", sigma.size());
            }
        }
        if (json != null) {
            BenchJson.write(json, result);
        }
    }

    /** One pass: {@code events} evaluations, cycling the mix; the hits seen. */
    private static long pass(RuleEvaluator evaluator, SecurityEvent[] mix, long events) {
        long hits = 0;
        for (long i = 0; i < events; i++) {
            hits += evaluator.evaluateWithErrors(mix[(int) (i % mix.length)]).hits().size();
        }
        return hits;
    }

    /**
     * The OTRF Windows recordings (Security and Sysmon) and every SigmaHQ regression sample
     * (evtx_dump JSON, mostly Sysmon), decoded once.
     */
    static SecurityEvent[] windowsMix() throws java.io.IOException {
        List<String> files = new ArrayList<>();
        try (var walk = java.nio.file.Files.list(Datasets.root().resolve("otrf-security-datasets/windows"))) {
            walk.filter(p -> p.toString().endsWith(".json")).sorted()
                    .forEach(p -> files.add(Datasets.root().relativize(p).toString()));
        }
        try (var walk = java.nio.file.Files.walk(Datasets.root().resolve("sigmahq-rules/regression_data"))) {
            walk.filter(p -> p.toString().endsWith(".json")).sorted()
                    .forEach(p -> files.add(Datasets.root().relativize(p).toString()));
        }
        DecoderRegistry decoders = new DecoderRegistry(DecoderOptions.defaults());
        List<SecurityEvent> out = new ArrayList<>();
        for (RawRecord r : Datasets.records(files, null)) {
            DecodeResult d = decoders.decode(r);
            if (d.ok()) {
                out.addAll(d.events());
            }
        }
        return out.toArray(SecurityEvent[]::new);
    }

    private static TreeMap<String, Integer> byChannel(SecurityEvent[] mix) {
        TreeMap<String, Integer> n = new TreeMap<>();
        for (SecurityEvent e : mix) {
            String channel = e.field("winlog.channel");
            n.merge(channel == null ? "(none)" : channel, 1, Integer::sum);
        }
        return n;
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
