package io.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.EcsJson;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./vigil bench [--quick]}: every benchmark of the suite, one after another, each in its
 * own JVM (so one's heap and JIT do not colour the next), on the same generated input; then
 * {@code bench/results.json} (every figure, for comparing commits) and the results table of
 * {@code BENCHMARKS.md} (between its {@code results} markers), with the targets and where Vigil
 * stands. A section that fails is reported and left out; the others still run.
 */
public final class VigilBench {

    /** Section name → main class and its arguments (full run, quick run), and options of its JVM. */
    private record Section(String name, String main, List<String> full, List<String> quick, List<String> jvm) {
        Section(String name, String main, List<String> full, List<String> quick) {
            this(name, main, full, quick, List.of());
        }
    }

    private static final List<Section> SECTIONS = List.of(
            new Section("decode", "org.openjdk.jmh.Main",
                    List.of("DecodeBenchmark", "-f", "1", "-wi", "2", "-w", "2s", "-i", "5", "-r", "2s", "-t", "1"),
                    List.of("DecodeBenchmark", "-f", "1", "-wi", "1", "-w", "1s", "-i", "3", "-r", "1s", "-t", "1")),
            new Section("kafka", "io.vigil.bench.KafkaConsumeOnly", List.of("1000000", "3"), List.of("200000", "3")),
            new Section("peers", "io.vigil.bench.CorrelationPeers", List.of("1000000", "10000", "3"),
                    List.of("200000", "10000", "3")),
            new Section("replay", "io.vigil.bench.ReplayThroughput", List.of("1000000", "3"), List.of("200000", "3")),
            new Section("end_to_end_p1", "io.vigil.bench.EndToEnd", List.of("1000000", "1"), List.of("100000", "1")),
            new Section("end_to_end_p2", "io.vigil.bench.EndToEnd", List.of("1000000", "2"), List.of("100000", "2")),
            // latency by stage and rule shape: parallelism, rate (sustained: half the highest rate the job sustains
            // with the generator live, searched first), seconds, seconds of each probe of the search
            new Section("latency", "io.vigil.bench.LatencyBench", List.of("1", "sustained", "30", "10"),
                    List.of("1", "sustained", "10", "5")),
            new Section("latency_at_8000", "io.vigil.bench.LatencyBench", List.of("1", "8000", "30"),
                    List.of("1", "8000", "10")),
            new Section("latency_at_20000", "io.vigil.bench.LatencyBench", List.of("1", "20000", "30"),
                    List.of("1", "20000", "10")),
            new Section("state", "io.vigil.bench.StateFootprint", List.of("100000,1000000", "hashmap,rocksdb"),
                    List.of("10000,100000", "hashmap,rocksdb")),
            // first-seen history: keys, values remembered per key
            new Section("first_seen_state", "io.vigil.bench.FirstSeenFootprint", List.of("100000", "20"),
                    List.of("10000", "20")),
            // SigmaHQ's Windows rules on one thread: rule counts, evaluations per pass, passes
            new Section("sigma", "io.vigil.bench.SigmaThroughput", List.of("100,1000,all", "1000000", "3"),
                    List.of("100,1000,all", "200000", "3"), List.of("-Xmx2g")),
            new Section("webhooks", "io.vigil.bench.WebhookDelivery", List.of("20000", "4", "5"),
                    List.of("5000", "4", "3")),
            // valid records, hostile records per kind, the huge line in MB, measured passes per kind
            // a fixed heap, so that its peak is a figure to compare between machines and commits
            new Section("hostile", "io.vigil.bench.HostileInput", List.of("90000", "1200", "100", "5"),
                    List.of("10000", "100", "10", "2"), List.of("-Xmx2g")),
            // threat intelligence: indicators loaded, events enriched per run, runs; a fixed heap for the 1M
            new Section("intel", "io.vigil.bench.IntelBenchmark", List.of("1000000", "1000000", "3"),
                    List.of("100000", "200000", "3"), List.of("-Xmx3g")),
            // fault scenarios on a Flink cluster of separate processes: records per run (the baseline and each scenario)
            new Section("faults", "io.vigil.bench.faults.FaultBench", List.of("1000000"), List.of("30000", "--quick"),
                    List.of("-Xmx1500m")));

    private VigilBench() {}

    public static void main(String[] argv) throws Exception {
        List<String> args = BenchJson.mutable(argv);
        boolean quick = args.remove("--quick");
        Path root = Path.of(option(args, "--root", "."));
        List<String> only = Arrays.asList(option(args, "--only", "").split(","));
        if (!args.isEmpty()) {
            System.err.println("usage: VigilBench [--quick] [--root DIR] [--only SECTION,…]; sections: "
                    + SECTIONS.stream().map(Section::name).toList());
            System.exit(2);
        }
        Path work = Files.createTempDirectory("vigil-bench");
        Map<String, JsonNode> results = new LinkedHashMap<>();
        Path json = root.resolve("bench/results.json");
        boolean partial = !only.get(0).isEmpty();
        JsonNode previous = (partial || only.contains("none")) && Files.exists(json)
                ? EcsJson.MAPPER.readTree(json.toFile()) : null;
        if (partial && previous != null) {
            // a partial run replaces its sections and keeps the others' figures
            previous.path("details").fields().forEachRemaining(e -> results.put(e.getKey(), e.getValue()));
        }
        // when each section's figures were measured: a partial run keeps the others' times
        Map<String, String> measuredAt = new java.util.TreeMap<>();
        if (partial && previous != null) {
            String before = previous.path("measured_at").asText();
            previous.path("details").fieldNames().forEachRemaining(name -> measuredAt.put(name, before));
            previous.path("sections_measured_at").fields().forEachRemaining(e -> measuredAt.put(e.getKey(), e.getValue().asText()));
        }
        String now = Instant.now().toString();
        for (Section s : SECTIONS) {
            if (partial && !only.contains(s.name())) {
                continue;
            }
            JsonNode r = run(s, quick, work);
            if (r != null) {
                results.put(s.name(), r);
                measuredAt.put(s.name(), now);
            }
        }
        ObjectNode summary = summarize(results, quick);
        if (!measuredAt.isEmpty()) {
            summary.set("sections_measured_at", EcsJson.MAPPER.valueToTree(measuredAt));
        }
        if (only.contains("none") && previous != null) {
            // only the table is regenerated: the figures keep the time they were measured at
            summary.put("measured_at", previous.path("measured_at").asText());
        }
        Files.writeString(json, EcsJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(summary) + "\n");
        Path md = root.resolve("BENCHMARKS.md");
        boolean hasMd = Files.exists(md);
        String table = table(summary);
        if (hasMd) {
            String text = replaceTable(Files.readString(md), table);
            if (results.containsKey("hostile")) {
                text = replaceBetween(text, HOSTILE_START, HOSTILE_END, hostileKindTable(results.get("hostile")));
            }
            Files.writeString(md, text);
        }
        System.out.println(table);
        System.out.println("wrote " + json + (hasMd ? " and the table of " + md : ""));
    }

    /** The latency sections: at half the sustained maximum, at fixed rates. */
    private static final List<String> LATENCY_SECTIONS = List.of("latency", "latency_at_8000", "latency_at_20000");

    /**
     * Per latency section, append → searchable against the target; for the run at half the sustained maximum,
     * that maximum and each stage and rule shape.
     */
    private static void latencyRows(StringBuilder t, JsonNode s) {
        for (String section : LATENCY_SECTIONS) {
            JsonNode lat = s.path(section.equals("latency") ? "latency_ms" : section + "_ms");
            long p99 = lat.path("p99").asLong();
            long rate = section.equals("latency") ? lat.path("rate").asLong()
                    : Long.parseLong(section.substring("latency_at_".length()));
            String where = (section.equals("latency") ? "at half the sustained maximum" : "at")
                    + (rate == 0 ? "" : String.format(Locale.ROOT, " %,d/s", rate));
            String value = p99 == 0 ? "n/a" : String.format(Locale.ROOT, "p50 %,d, p99 %,d, max %,d",
                    lat.path("p50").asLong(), p99, lat.path("max").asLong());
            t.append(String.format(Locale.ROOT, "| latency event → alert searchable %s, ms | %s | p99 ≤ 1,000 | %s |%n",
                    where, value, p99 == 0 ? "n/a" : p99 <= 1000 ? "met" : "missed"));
        }
        JsonNode d = s.at("/details/latency");
        long max = d.at("/sustained/max_rate").asLong();
        if (max > 0) {
            row(t, "highest rate sustained with the generator live, p=1, records/s", max, "", "");
        }
        d.path("stages_ms").fields().forEachRemaining(e -> {
            if (e.getValue().has("p99")) {
                t.append(String.format(Locale.ROOT, "| latency append → %s, ms | p50 %,d, p99 %,d, max %,d | | |%n",
                        e.getKey(), e.getValue().path("p50").asLong(), e.getValue().path("p99").asLong(),
                        e.getValue().path("max").asLong()));
            }
        });
        d.path("shapes_ms").fields().forEachRemaining(e -> t.append(String.format(Locale.ROOT,
                "| latency append → searchable, %s rules (%,d alerts), ms | p50 %,d, p99 %,d, max %,d | p99 ≤ 1,000 | |%n",
                e.getKey(), e.getValue().path("alerts").asLong(), e.getValue().path("p50").asLong(),
                e.getValue().path("p99").asLong(), e.getValue().path("max").asLong())));
    }

    private static String option(List<String> args, String name, String dflt) {
        String v = BenchJson.option(args, name);
        return v == null ? dflt : v;
    }

    /** Runs one section in a child JVM; its JSON, or {@code null} when it failed (reported). */
    private static JsonNode run(Section s, boolean quick, Path work) throws IOException, InterruptedException {
        Path out = work.resolve(s.name() + ".json");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/java.util=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED"));
        cmd.addAll(s.jvm());
        cmd.addAll(List.of("-cp", jar(), s.main()));
        cmd.addAll(quick ? s.quick() : s.full());
        if (s.main().equals("org.openjdk.jmh.Main")) {
            cmd.addAll(List.of("-rf", "json", "-rff", out.toString()));
        } else {
            cmd.addAll(List.of("--json", out.toString()));
        }
        System.out.printf("== %s (%s)%n", s.name(), String.join(" ", cmd.subList(cmd.indexOf(s.main()), cmd.size())));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve(s.name() + ".log")
                .toFile()).start();
        int exit = p.waitFor();
        System.out.printf("   %s in %.0f s (log: %s)%n", exit == 0 ? "done" : "FAILED with exit " + exit,
                (System.nanoTime() - t0) / 1e9, work.resolve(s.name() + ".log"));
        if (exit != 0 || !Files.exists(out)) {
            return null;
        }
        JsonNode r = EcsJson.MAPPER.readTree(out.toFile());
        return s.main().equals("org.openjdk.jmh.Main") ? decode(r) : r;
    }

    private static String jar() {
        try {
            return new File(VigilBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JMH's JSON, per format: records/s (median, min, max over the measured iterations) and bytes/s. */
    private static JsonNode decode(JsonNode jmh) {
        ObjectNode byFormat = BenchJson.object();
        for (JsonNode b : jmh) {
            String format = b.at("/params/format").asText("all");
            List<Double> raw = new ArrayList<>();
            b.at("/primaryMetric/rawData").forEach(fork -> fork.forEach(v -> raw.add(v.asDouble())));
            ObjectNode f = BenchJson.stats(raw.stream().mapToDouble(Double::doubleValue).toArray());
            JsonNode bytes = b.at("/secondaryMetrics/bytes/score");
            if (!bytes.isMissingNode()) {
                f.put("bytes_per_s", Math.round(bytes.asDouble()));
            }
            byFormat.set(format, f);
        }
        return byFormat;
    }

    static ObjectNode summarize(Map<String, JsonNode> r, boolean quick) {
        ObjectNode s = BenchJson.object();
        s.put("measured_at", Instant.now().toString());
        s.put("quick", quick);
        s.set("machine", BenchJson.machine());
        JsonNode peers = r.get("peers");
        ObjectNode corr = s.putObject("correlation_eps");
        if (peers != null) {
            corr.put("vigil", peers.at("/correlation_eps/vigil").asLong());
            corr.put("flink-cep", peers.at("/correlation_eps/flink-cep").asLong());
            corr.put("esper", peers.at("/correlation_eps/esper").asLong());
        }
        JsonNode decode = r.get("decode");
        if (decode != null) {
            s.put("decode_only_eps", decode.at("/syslog/median").asLong());
        }
        if (r.containsKey("replay")) {
            s.put("pipeline_eps", r.get("replay").path("pipeline_eps").asLong());
        }
        if (r.containsKey("end_to_end_p1")) {
            s.put("end_to_end_eps", r.get("end_to_end_p1").path("end_to_end_eps").asLong());
        }
        for (String section : LATENCY_SECTIONS) {
            if (r.containsKey(section)) {
                JsonNode lat = r.get(section).path("latency_ms");
                ObjectNode l = s.putObject(section.equals("latency") ? "latency_ms" : section + "_ms");
                l.put("p50", lat.path("p50").asLong());
                l.put("p99", lat.path("p99").asLong());
                l.put("max", lat.path("max").asLong());
                l.put("rate", lat.path("rate").asLong());
            }
        }
        if (r.containsKey("sigma")) {
            s.put("sigma_eps", r.get("sigma").path("all_rules_eps").asLong());
        }
        if (r.containsKey("state")) {
            // per backend, per entity count: the heap backend's figure at the most entities measured
            JsonNode byCount = r.get("state").at("/state_bytes_per_entity/hashmap");
            long best = 0;
            long most = -1;
            for (var it = byCount.fields(); it.hasNext(); ) {
                var e = it.next();
                long n = Long.parseLong(e.getKey());
                if (n > most) {
                    most = n;
                    best = Math.round(e.getValue().asDouble());
                }
            }
            s.put("state_bytes_per_entity", byCount.isNumber() ? Math.round(byCount.asDouble()) : best);
        }
        s.set("details", EcsJson.MAPPER.valueToTree(r));
        return s;
    }

    /** The results as a Markdown table: figure, value, target, where Vigil stands. */
    static String table(JsonNode s) {
        StringBuilder t = new StringBuilder();
        JsonNode m = s.path("machine");
        t.append(String.format(Locale.ROOT, "Measured %s%s on %d cores, %s, %s.%n%n", s.path("measured_at").asText(),
                s.path("quick").asBoolean() ? " (--quick)" : "", m.path("cores").asInt(), m.path("java").asText(),
                m.path("os").asText()));
        JsonNode stamps = s.path("sections_measured_at");
        java.util.Set<String> times = new java.util.TreeSet<>();
        stamps.fields().forEachRemaining(e -> times.add(e.getValue().asText()));
        if (times.size() > 1) {
            // a partial run: say which figures are older, so no one compares across runs unawares
            t.append("Figures of sections run separately:");
            for (String time : times) {
                List<String> names = new java.util.ArrayList<>();
                stamps.fields().forEachRemaining(e -> {
                    if (e.getValue().asText().equals(time)) {
                        names.add(e.getKey());
                    }
                });
                t.append(String.format(Locale.ROOT, " %s at %s;", String.join(", ", names), time));
            }
            t.append("\n\n");
        }
        t.append("| figure | measured (median) | target | stands |\n|---|---|---|---|\n");
        long vigil = s.at("/correlation_eps/vigil").asLong();
        long cep = s.at("/correlation_eps/flink-cep").asLong();
        long esper = s.at("/correlation_eps/esper").asLong();
        row(t, "correlation, whole pack, events/s", vigil, "≥ 2× Flink CEP, ≥ 0.5× Esper",
                cep > 0 && esper > 0 ? String.format(Locale.ROOT, "%.2f× CEP, %.2f× Esper", (double) vigil / cep,
                        (double) vigil / esper) : "n/a");
        row(t, "Flink CEP (2 rules), events/s", cep, "", "");
        row(t, "Esper (2 rules), events/s", esper, "", "");
        long decode = s.path("decode_only_eps").asLong();
        long pipeline = s.path("pipeline_eps").asLong();
        row(t, "decode only (syslog, 1 thread), records/s", decode, "the floor", "");
        evtxRows(t, s.at("/details/decode"));
        row(t, "Kafka consume only, records/s", s.at("/details/kafka/kafka_consume_eps/median").asLong(), "the floor", "");
        boolean sameRun = stamps.path("decode").asText("").equals(stamps.path("replay").asText(""));
        row(t, "full pipeline (replay --no-events, rule pack, p=1), lines/s", pipeline, "≥ 0.5× decode only",
                decode > 0 ? String.format(Locale.ROOT, "%.2f×%s", (double) pipeline / decode,
                        sameRun ? "" : " (decode and replay from different runs)") : "n/a");
        row(t, "replay, rule pack, events.ndjson, p=1, lines/s", s.at("/details/replay/rules_p1/median").asLong(), "", "");
        row(t, "replay, rule pack, events.ndjson, p=2, lines/s", s.at("/details/replay/rules_p2/median").asLong(), "", "");
        long e2e = s.path("end_to_end_eps").asLong();
        row(t, "end to end Kafka → Elasticsearch, p=1, events/s", e2e, "≥ 100,000 on 2 cores",
                e2e >= 100_000 ? "met" : String.format(Locale.ROOT, "%.2f× target", e2e / 100_000.0));
        row(t, "end to end, p=2, events/s", s.at("/details/end_to_end_p2/end_to_end_eps").asLong(), "", "");
        latencyRows(t, s);
        long state = s.path("state_bytes_per_entity").asLong();
        row(t, "state bytes per tracked entity (heap backend)", state, "≤ 500", state == 0 ? "n/a"
                : state <= 500 ? "met" : "missed");
        // the other state figures of the run, by backend and entity count (the heap backend's is the one above)
        JsonNode st = s.at("/details/state");
        for (String backend : List.of("hashmap", "rocksdb")) {
            st.path("state_bytes_per_entity").path(backend).fields().forEachRemaining(e -> {
                long n = Long.parseLong(e.getKey());
                row(t, String.format(Locale.ROOT, "%s checkpoint, %,d entities, bytes per entity", backend, n),
                        Math.round(e.getValue().asDouble()), "≤ 500", e.getValue().asDouble() <= 500 ? "met" : "missed");
                row(t, String.format(Locale.ROOT, "%s, %,d entities, heap bytes per entity", backend, n),
                        Math.round(st.path("heap_bytes_per_entity").path(backend).path(e.getKey()).asDouble()), "", "");
            });
        }
        sigmaRows(t, s.at("/details/sigma"));
        row(t, "webhook deliveries/s (loopback, 4 in flight)",
                s.at("/details/webhooks/webhook_deliveries_per_s/median").asLong(), "", "");
        hostileRows(t, s.at("/details/hostile"));
        faultRows(t, s.at("/details/faults"));
        return t.toString();
    }

    /**
     * The EVTX rows of the decode section: the reader alone (what {@code evtx_dump -t 1 -o jsonl}
     * does) and reader plus decoder, records/s with MB/s beside; the Rust evtx crate's published
     * single-thread figure as the reference (its PR #268, on its own 30 MB sample and machine).
     */
    static void evtxRows(StringBuilder t, JsonNode decode) {
        JsonNode read = decode.path(EvtxDecodeBenchmark.READ_ONLY);
        JsonNode both = decode.path(EvtxDecodeBenchmark.READ_AND_DECODE);
        row(t, "EVTX read only (file → evtx_dump JSON, 1 thread), records/s", read.path("median").asLong(),
                "reference: Rust evtx, -t 1 -o jsonl, ~160–190k records/s, 75–90 MB/s", megabytesPerSecond(read));
        row(t, "EVTX read + decode (file → events, 1 thread), records/s", both.path("median").asLong(), "",
                megabytesPerSecond(both));
    }

    private static String megabytesPerSecond(JsonNode figure) {
        long bytes = figure.path("bytes_per_s").asLong();
        return bytes == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MB/s", bytes / 1e6);
    }

    /** The Sigma rows: events/s per number of SigmaHQ Windows rules loaded, one thread. */
    static void sigmaRows(StringBuilder t, JsonNode sigma) {
        for (JsonNode r : sigma.path("by_rules")) {
            boolean all = r.path("rule_files").asLong() == sigma.path("rule_files").asLong();
            long eps = r.at("/events_per_s/median").asLong();
            row(t, String.format(Locale.ROOT, "Sigma, %,d SigmaHQ Windows rule files (%,d active), events/s, 1 thread",
                    r.path("rule_files").asLong(), r.path("rules_active").asLong()), eps,
                    all ? "≥ 100,000 with all rules" : "", all ? (eps >= 100_000 ? "met"
                    : String.format(Locale.ROOT, "%.2f× target", eps / 100_000.0)) : "");
        }
    }

    /** The hostile-input rows: throughput, and whether the run kept what issue 13 asks of hostile input. */
    static void hostileRows(StringBuilder t, JsonNode h) {
        JsonNode replay = h.path("replay");
        JsonNode stream = h.path("stream");
        row(t, "hostile input through replay (and one huge line), records/s", replay.path("records_per_s").asLong(),
                "exit 0, every record accounted for, valid alerts unchanged", hostileStands(replay, false));
        row(t, "hostile input Kafka → Elasticsearch, records/s", stream.path("records_per_s").asLong(),
                "0 failures, 0 restarts, every record accounted for, valid alerts unchanged", hostileStands(stream, true));
        t.append(String.format(Locale.ROOT, "| hostile input, peak heap used, MB (replay / stream) | %s / %s | bounded | %s |%n",
                megabytes(replay), megabytes(stream), h.isMissingNode() ? "n/a" : "max heap " + megabytes(replay.path(
                        "max_heap_bytes")) + " MB"));
    }

    /**
     * One row per fault scenario: lost and duplicated over alerts, incidents and webhook deliveries
     * against the fault-free run of the same records, with the redeliveries and the time to recover.
     */
    static void faultRows(StringBuilder t, JsonNode faults) {
        faults.path("scenarios").fields().forEachRemaining(e -> {
            JsonNode f = e.getValue();
            String figure = String.format(Locale.ROOT, "fault %s, %,d records on %d TaskManagers: lost / duplicated",
                    e.getKey(), faults.path("records").asLong(), faults.path("taskmanagers").asInt());
            if (f.has("failed")) {
                t.append(String.format(Locale.ROOT, "| %s | failed | 0 / 0 | missed: %s |%n", figure,
                        f.path("failed").asText().replace('|', '/')));
                return;
            }
            long lost = f.path("lost").asLong();
            long duplicated = f.path("duplicated").asLong();
            t.append(String.format(Locale.ROOT, "| %s | %,d / %,d (of %,d alerts, %,d incidents, %,d webhook keys; "
                            + "%,d redelivered, %,d dead-lettered; recovered in %.1f s) | 0 / 0 | %s |%n", figure, lost,
                    duplicated, f.at("/alerts/expected").asLong(), f.at("/incidents/expected").asLong(),
                    f.at("/webhooks/expected").asLong(), f.at("/webhooks/redelivered").asLong(),
                    f.at("/webhooks/dead_lettered").asLong(), f.path("recover_ms").asLong() / 1000.0,
                    lost == 0 && duplicated == 0 ? "met" : "missed"));
        });
    }

    private static String hostileStands(JsonNode part, boolean stream) {
        if (part.isMissingNode()) {
            return "n/a";
        }
        List<String> missed = new ArrayList<>();
        if (!stream && part.path("exit_code").asInt(-1) != 0) {
            missed.add("exit " + part.path("exit_code").asText());
        }
        if (stream && !part.path("job_status").asText().equals("RUNNING")) {
            missed.add("job " + part.path("job_status").asText());
        }
        if (stream && part.path("restarts").asLong() > 0) {
            missed.add(part.path("restarts").asLong() + " restarts");
        }
        if (!part.path("records_accounted_for").asBoolean()) {
            missed.add("records not accounted for");
        }
        if (part.path("rule_errors").asLong() > 0) {
            missed.add(part.path("rule_errors").asLong() + " rule errors");
        }
        if (!part.path("valid_alerts_identical").asBoolean()) {
            missed.add("valid alerts differ");
        }
        return missed.isEmpty() ? "met" : "missed: " + String.join(", ", missed);
    }

    private static String megabytes(JsonNode part) {
        JsonNode v = part.isNumber() ? part : part.path("peak_heap_used_bytes");
        return v.isNumber() ? String.format(Locale.ROOT, "%,d", v.asLong() >> 20) : "n/a";
    }

    private static void row(StringBuilder t, String figure, long value, String target, String stands) {
        t.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", figure, value == 0 ? "n/a"
                : String.format(Locale.ROOT, "%,d", value), target, stands));
    }

    static final String START = "<!-- results:start -->";
    static final String END = "<!-- results:end -->";

    static String replaceTable(String md, String table) {
        return replaceBetween(md, START, END, table);
    }

    static final String HOSTILE_START = "<!-- hostile-kinds:start -->";
    static final String HOSTILE_END = "<!-- hostile-kinds:end -->";

    static String replaceBetween(String md, String start, String end, String table) {
        int a = md.indexOf(start);
        int b = md.indexOf(end);
        if (a < 0 || b < a) {
            return md;
        }
        return md.substring(0, a + start.length()) + "\n" + table + md.substring(b);
    }

    /** What each hostile kind costs against a valid record ({@code per_kind} of the hostile section), as Markdown. */
    static String hostileKindTable(JsonNode hostile) {
        StringBuilder t = new StringBuilder("| kind | records | bytes per record | ns per record (CPU) | × valid "
                + "| bytes allocated per record | × valid | events per record | dead letters per record |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        hostile.path("per_kind").fields().forEachRemaining(e -> {
            JsonNode k = e.getValue();
            if (!k.isObject()) {
                return;
            }
            List<String> letterKinds = new ArrayList<>();
            k.path("dead_letters_by_kind").fieldNames().forEachRemaining(letterKinds::add);
            String dead = String.format(Locale.ROOT, "%.2f", k.path("dead_letters_per_record").asDouble())
                    + (letterKinds.isEmpty() ? "" : " (" + String.join(", ", letterKinds) + ")");
            t.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d (%,d) | %.2f | %,d | %.2f | %.2f | %s |%n",
                    e.getKey(), k.path("records").asLong(), k.path("bytes_per_record").asLong(),
                    k.at("/ns_per_record/median").asLong(), k.at("/cpu_ns_per_record/median").asLong(),
                    k.path("ns_vs_valid").asDouble(), k.at("/allocated_bytes_per_record/median").asLong(),
                    k.path("allocated_vs_valid").asDouble(), k.path("events_per_record").asDouble(), dead));
        });
        return t.toString();
    }

}
