package io.vigil.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.simulate.HostileCorpus;
import io.vigil.rules.verify.RuleSet;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code ./vigil bench --only hostile}: the hostile-input corpus ({@link HostileCorpus}: valid logs of
 * every format with every hostile kind mixed in; by default the corpus of {@code HostileReplayTest},
 * seed 13, 90,000 valid records, 1,200 per kind, and a 100 MB line) through
 * <ol>
 *   <li>{@code replay}: {@code vigil replay} ({@link HostileReplayRun});
 *   <li>{@code stream}: the streaming job, Kafka → Elasticsearch ({@link HostileStreamRun});
 *   <li>{@code per_kind}: what one record of each kind costs decoding and rule evaluation, against a
 *       valid one ({@link HostileKindCost}).
 * </ol>
 * One JSON object with the three.
 *
 * <pre>java --add-opens java.base/java.util=ALL-UNNAMED -cp bench/target/vigil-bench.jar io.vigil.bench.HostileInput
 *     [valid] [perKind] [hugeLineMB] [passes] [--parts replay,stream,per_kind] [--json FILE]</pre>
 */
public final class HostileInput {

    /** The corpus of {@code HostileReplayTest}. */
    static final long SEED = 13;
    static final Instant START = Instant.parse("2026-03-02T08:00:00Z");

    private HostileInput() {}

    public static void main(String[] argv) throws Exception {
        List<String> args = BenchJson.mutable(argv);
        Path json = BenchJson.jsonPath(args);
        String partsArg = BenchJson.option(args, "--parts");
        Set<String> parts = Set.copyOf(Arrays.asList((partsArg == null ? "replay,stream,per_kind" : partsArg).split(",")));
        int valid = args.size() > 0 ? Integer.parseInt(args.get(0)) : 90_000;
        int perKind = args.size() > 1 ? Integer.parseInt(args.get(1)) : 1_200;
        long hugeLineBytes = (args.size() > 2 ? Long.parseLong(args.get(2)) : 100) << 20;
        int passes = args.size() > 3 ? Integer.parseInt(args.get(3)) : 5;
        PrintWriter out = new PrintWriter(System.out, true);
        Path work = Files.createTempDirectory("vigil-hostile");
        Supplier<HostileCorpus> corpus = () -> new HostileCorpus(SEED, START, valid, perKind);

        ObjectNode result = BenchJson.object();
        ObjectNode c = result.putObject("corpus");
        c.put("seed", SEED);
        c.put("start", START.toString());
        c.put("valid_records", valid);
        c.put("hostile_per_kind", perKind);
        c.put("huge_line_bytes", hugeLineBytes);

        Set<String> validOnlySignatures = null;
        if (parts.contains("replay") || parts.contains("stream")) {
            // the files first, then the corpus dropped: the replay's heap is the replay's
            Path mixedIn = work.resolve("mixed");
            Path validIn = work.resolve("valid");
            writeFiles(corpus.get(), mixedIn, validIn, c);
            out.printf("hostile corpus: %,d records %s%n", c.get("records").asLong(), c.get("records_by_kind"));
            HostileReplayRun.Result replay = HostileReplayRun.run(mixedIn, validIn, hugeLineBytes, work, out);
            result.set("replay", replay.json());
            validOnlySignatures = replay.validOnlySignatures();
            // the inputs (with the huge line) are not needed again; the outputs stay for a look
            deleteRecursively(mixedIn);
            deleteRecursively(validIn);
        }
        if (parts.contains("stream")) {
            result.set("stream", HostileStreamRun.run(corpus, validOnlySignatures, work, out));
        }
        if (parts.contains("per_kind")) {
            result.set("per_kind", perKind(corpus.get(), passes, out));
        }
        result.set("machine", BenchJson.machine());
        BenchJson.write(json, result);
        out.println("outputs (replay alerts and dead letters, stream alerts) in " + work);
        System.exit(0);
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void writeFiles(HostileCorpus corpus, Path mixedIn, Path validIn, ObjectNode c) throws Exception {
        HostileCorpus.writeFiles(mixedIn, corpus.mixed());
        HostileCorpus.writeFiles(validIn, corpus.validOnly());
        c.put("records", corpus.mixed().size());
        ObjectNode byKind = c.putObject("records_by_kind");
        corpus.counts().forEach((k, n) -> byKind.put(k.id(), n));
    }

    private static ObjectNode perKind(HostileCorpus corpus, int passes, PrintWriter out) throws Exception {
        Map<String, String> m = new HashMap<>(HostileTopics.settings());
        VigilConfig config = VigilConfig.of(m, "hostile per kind");
        try (HostileKindCost cost = new HostileKindCost(config, RuleSet.packaged())) {
            ObjectNode r = cost.measure(HostileKindCost.byKind(corpus.mixed()), 2, passes);
            out.println("per kind: ns per record (median of " + passes + " passes), bytes allocated per record, "
                    + "events and dead letters per record:");
            r.fields().forEachRemaining(e -> {
                if (e.getValue().isObject()) {
                    var k = e.getValue();
                    out.printf("  %-20s %,8d records of %,9d bytes: %,12d ns (%6.2f× valid), %,12d B allocated "
                                    + "(%6.2f× valid), %.2f events, %.2f dead letters %s, %.2f rule hits%n", e.getKey(),
                            k.get("records").asLong(), k.get("bytes_per_record").asLong(),
                            k.at("/ns_per_record/median").asLong(), k.path("ns_vs_valid").asDouble(),
                            k.at("/allocated_bytes_per_record/median").asLong(), k.path("allocated_vs_valid").asDouble(),
                            k.get("events_per_record").asDouble(), k.get("dead_letters_per_record").asDouble(),
                            k.get("dead_letters_by_kind"), k.get("rule_hits_per_record").asDouble());
                }
            });
            return r;
        }
    }
}
