package io.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.decode.DecodeCounters;
import io.vigil.jobs.metrics.StageTrace;
import io.vigil.jobs.metrics.VigilMetrics;
import io.vigil.jobs.wiring.RuleSets;
import io.vigil.localstack.LocalElasticsearch;
import io.vigil.localstack.LocalKafka;
import io.vigil.model.EcsJson;
import io.vigil.rules.verify.RuleSet;
import io.vigil.simulate.KafkaSink;
import io.vigil.simulate.ScenarioGenerator;
import io.vigil.simulate.Simulation;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.HistogramStatistics;
import org.apache.kafka.clients.admin.NewTopic;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

/**
 * The latency of alerts on this machine, by stage and by rule shape, with the {@code vigil simulate}
 * generator running beside the job (BENCHMARKS.md, latency).
 *
 * <p>(1) With {@code sustained} as the rate, the highest rate the job sustains with the generator
 * live is searched first: one job reads topics the generator feeds in real time for a short probe at
 * a rate; the rate is sustained when the generator kept its pace (at most 10 % late) and the decode
 * counter, at the probe's end, trails what the topics hold by at most two seconds of input (its
 * reports come about every second). The rate doubles from 5,000 records/s until a probe fails, then
 * is bisected until the bounds are within an eighth. The latency run is at half of it.
 *
 * <p>(2) The latency run: records fed in real time at the rate to topics whose broker stamps each
 * record with its append time ({@code LogAppendTime}), the job started with the stage trace
 * ({@code metrics.stage-trace-topic}); Elasticsearch polled every 50 ms. Each alert's stages are
 * joined by {@link StageLatency}: the completing record's append time, its evaluation, the alert
 * leaving correlation, reaching the outputs, searchable. The read and decoded lags are the job's
 * histograms over the latest 10,000 records of each subtask, sampled every second once the
 * warm-up's records left them: the median of the p50s, the highest p99 and max.
 *
 * <p>Run: {@code java --add-opens java.base/java.util=ALL-UNNAMED -cp bench/target/vigil-bench.jar
 * io.vigil.bench.LatencyBench [parallelism] [rate|sustained] [seconds] [probeSeconds] [key=value ...] [--json FILE]}.
 */
public final class LatencyBench {

    /** The trace topic of the latency run. */
    static final String TRACE_TOPIC = "lat.stage-trace";
    private static final long FIRST_PROBE_RATE = 5_000;
    private static final long HIGHEST_PROBE_RATE = 320_000;
    private static final int MAX_PROBES = 12;
    /** Benign records fed before the measured ones, until the job decoded them. */
    private static final int WARM_UP = 1_000;

    private LatencyBench() {}

    public static void main(String[] argv) throws Exception {
        List<String> given = BenchJson.mutable(argv);
        Path json = BenchJson.jsonPath(given);
        String[] args = EndToEnd.overrides(given);
        int parallelism = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        String rateArg = args.length > 1 ? args[1] : "sustained";
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int probeSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        PrintWriter out = new PrintWriter(System.out, true);
        ObjectNode result = BenchJson.object();
        Path work = Files.createTempDirectory("vigil-latency");
        try (LocalKafka kafka = LocalKafka.start(); LocalElasticsearch es = LocalElasticsearch.builder().build().start();
             RestClient rest = RestClient.builder(org.apache.http.HttpHost.create(es.url())).build()) {
            long rate;
            if ("sustained".equals(rateArg)) {
                long max = sustainedMaximum(kafka, es, work, parallelism, probeSeconds, out, result);
                rate = max > 0 ? max / 2 : FIRST_PROBE_RATE / 4;
                out.printf("latency run at %s: %,d records/s%n", max > 0 ? "half the sustained maximum"
                        : "a quarter of the first probe's rate (no probe was sustained)", rate);
            } else {
                rate = Long.parseLong(rateArg);
            }
            measure(kafka, es, rest, work, parallelism, rate, seconds, out, result);
        }
        result.put("parallelism", parallelism);
        result.set("machine", BenchJson.machine());
        BenchJson.write(json, result);
    }

    private static long decodedRecords(JobClient job) throws Exception {
        return job.getAccumulators().get().get(DecodeCounters.RECORDS) instanceof Long l ? l : 0;
    }

    private static List<String> rawTopics(String prefix) {
        return List.of(prefix + "syslog", prefix + "windows", prefix + "access");
    }

    /**
     * The highest rate, records/s, that one job (with the generator live in this JVM) sustains; the
     * probes go to {@code result.sustained}.
     */
    static long sustainedMaximum(LocalKafka kafka, LocalElasticsearch es, Path work, int parallelism, int probeSeconds,
                                 PrintWriter out, ObjectNode result) throws Exception {
        String prefix = "probe.raw.";
        List<String> raw = rawTopics(prefix);
        kafka.createTopics(parallelism, raw.toArray(String[]::new));
        VigilConfig config = EndToEnd.config(kafka, es, work.resolve("chk-probe"), parallelism, "latency-probe", prefix,
                Map.of());
        JobClient job = EndToEnd.start(config, RuleSets.load(config), new Configuration());
        ObjectNode sustained = result.putObject("sustained");
        ArrayNode probes = sustained.putArray("probes");
        long good = 0;
        long bad = 0;
        try (KafkaSink sink = new KafkaSink(kafka.bootstrapServers(), prefix)) {
            warmUp(kafka, job, parallelism, prefix, out);
            long rate = FIRST_PROBE_RATE;
            int probe = 0;
            // until the bounds are within an eighth of the failed rate
            while (probe < MAX_PROBES && rate > good && (bad == 0 || bad - good > bad / 8)
                    && rate <= HIGHEST_PROBE_RATE) {
                probe++;
                Simulation.Summary s = Simulation.run(new ScenarioGenerator(100 + probe, Instant.now(), rate, 200), sink,
                        rate * probeSeconds, true, 0, out);
                double elapsed = s.elapsed().toNanos() / 1e9;
                long behind = EndToEnd.endOffsets(kafka, parallelism, raw.toArray(String[]::new)) - decodedRecords(job);
                boolean paced = elapsed <= probeSeconds * 1.1;
                boolean ok = paced && behind <= 2 * rate;
                out.printf(Locale.ROOT, "probe %d: %,d records/s for %d s: generator took %.1f s, decode %,d records "
                        + "behind at the end: %s%n", probe, rate, probeSeconds, elapsed, behind,
                        ok ? "sustained" : "not sustained");
                probes.addObject().put("rate", rate).put("generator_seconds", Math.round(elapsed * 10) / 10.0)
                        .put("decode_behind", behind).put("sustained", ok);
                // the next probe starts without a backlog, or the search ends
                boolean caughtUp = drained(kafka, job, parallelism, raw, Duration.ofSeconds(60));
                if (ok) {
                    good = rate;
                } else {
                    bad = rate;
                }
                if (!caughtUp) {
                    out.println("the job did not catch up within 60 s: the search ends");
                    break;
                }
                rate = bad == 0 ? rate * 2 : (good + bad) / 2;
            }
        } finally {
            job.cancel().get();
        }
        out.printf("sustained maximum with the generator live: %,d records/s (not sustained: %s)%n", good,
                bad == 0 ? "none tried" : String.format(Locale.ROOT, "%,d", bad));
        sustained.put("max_rate", good);
        sustained.put("probe_seconds", probeSeconds);
        return good;
    }

    /**
     * Feeds {@value #WARM_UP} benign records (before the measured ones, so none completes an alert) and waits until the job
     * decoded them: it is then running, however long a loaded machine took to start it.
     */
    private static void warmUp(LocalKafka kafka, JobClient job, int parallelism, String prefix, PrintWriter out)
            throws Exception {
        try (KafkaSink sink = new KafkaSink(kafka.bootstrapServers(), prefix)) {
            Simulation.run(new ScenarioGenerator(5, Instant.now().minusSeconds(2), WARM_UP, 0), sink, WARM_UP, false, 0, out);
        }
        if (!drained(kafka, job, parallelism, rawTopics(prefix), Duration.ofSeconds(180))) {
            throw new IllegalStateException("the job did not decode the warm-up records within 180 s");
        }
    }

    /** Whether the decode counter reached what the topics hold within {@code deadline}. */
    private static boolean drained(LocalKafka kafka, JobClient job, int parallelism, List<String> raw, Duration deadline)
            throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        long held = EndToEnd.endOffsets(kafka, parallelism, raw.toArray(String[]::new));
        while (System.nanoTime() < end) {
            if (decodedRecords(job) >= held) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    /**
     * One latency run at {@code rate} for {@code seconds}: adds {@code latency_ms} (append → searchable, as before),
     * {@code stages_ms} (per stage, from the append), {@code shapes_ms} (per rule shape) to {@code result}.
     */
    static void measure(LocalKafka kafka, LocalElasticsearch es, RestClient rest, Path work, int parallelism, long rate,
                        int seconds, PrintWriter out, ObjectNode result) throws Exception {
        // the broker stamps every record with its append time: the start of each alert's latency
        String prefix = "lat.raw.";
        List<String> raw = rawTopics(prefix);
        List<NewTopic> topics = new ArrayList<>();
        for (String t : raw) {
            topics.add(new NewTopic(t, parallelism, (short) 1).configs(Map.of("message.timestamp.type", "LogAppendTime")));
        }
        topics.add(new NewTopic(TRACE_TOPIC, parallelism, (short) 1));
        try (var admin = kafka.admin()) {
            admin.createTopics(topics).all().get();
        }
        VigilConfig config = EndToEnd.config(kafka, es, work.resolve("chk-latency"), parallelism, "e2e-latency", prefix,
                Map.of("metrics.stage-trace-topic", TRACE_TOPIC));
        RuleSet rules = RuleSets.load(config);
        Configuration tap = new Configuration();
        tap.setString("metrics.reporter.tap.factory.class", MetricsTap.Factory.class.getName());
        MetricsTap.clear();
        JobClient job = EndToEnd.start(config, rules, tap);
        warmUp(kafka, job, parallelism, prefix, out);
        Instant start = Instant.now();
        Thread feeder = new Thread(() -> {
            try (KafkaSink sink = new KafkaSink(kafka.bootstrapServers(), prefix)) {
                Simulation.run(new ScenarioGenerator(11, start, rate, 200), sink, rate * seconds, true, 0, out);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        feeder.start();
        // alert id -> when it was first searchable, and its first searchable document
        Map<String, Long> firstSeen = new HashMap<>();
        Map<String, JsonNode> alerts = new HashMap<>();
        Map<String, List<HistogramStatistics>> lags = new HashMap<>();
        long end = System.nanoTime() + (seconds + 15) * 1_000_000_000L;
        long nextSample = 0;
        while (System.nanoTime() < end) {
            Request search = new Request("GET", "/vigil-alerts-*/_search");
            // newest first: past 1,000 alerts an unsorted page could leave a new alert out for a while
            search.setJsonEntity("{\"size\":1000,\"sort\":[{\"@timestamp\":\"desc\"}],"
                    + "\"_source\":[\"rule.id\",\"vigil.alert.origins\",\"vigil.alert.origins_total\"],"
                    + "\"query\":{\"range\":{\"@timestamp\":{\"gte\":\"" + start.minusSeconds(1) + "\"}}}}");
            try {
                JsonNode body = EcsJson.MAPPER.readTree(rest.performRequest(search).getEntity().getContent());
                long now = System.currentTimeMillis();
                for (JsonNode hit : body.at("/hits/hits")) {
                    String id = hit.get("_id").asText();
                    if (firstSeen.putIfAbsent(id, now) == null) {
                        alerts.put(id, hit.get("_source"));
                    }
                }
            } catch (Exception e) {
                // no alert index yet
            }
            if (System.nanoTime() >= nextSample) {
                sampleLags(lags);
                nextSample = System.nanoTime() + 1_000_000_000L;
            }
            Thread.sleep(50);
        }
        feeder.join();
        sampleLags(lags);
        job.cancel().get();
        Map<String, Long> appended = EndToEnd.appendTimes(kafka, raw);
        Map<String, Map<String, List<Long>>> marks = marks(kafka);
        List<StageLatency.AlertStages> stages = new ArrayList<>();
        int incomplete = 0;
        for (var e : alerts.entrySet()) {
            JsonNode alert = e.getValue().path("vigil").path("alert");
            JsonNode origins = alert.path("origins");
            if (alert.path("origins_total").asLong() > origins.size()) {
                incomplete++; // the completing record may be one of those not listed
                continue;
            }
            List<String> names = new ArrayList<>();
            for (JsonNode o : origins) {
                names.add(o.path("source").asText() + "/" + o.path("partition").asInt() + "@" + o.path("offset").asLong());
            }
            String ruleId = e.getValue().path("rule").path("id").asText();
            StageLatency.AlertStages a = StageLatency.of(e.getKey(), StageLatency.shape(rules.rule(ruleId)), names,
                    firstSeen.get(e.getKey()), appended, marks);
            if (a != null) {
                stages.add(a);
            }
        }
        report(stages, incomplete, lags, rate, seconds, out, result);
    }

    private static void report(List<StageLatency.AlertStages> stages, int incomplete,
                               Map<String, List<HistogramStatistics>> lags, long rate, int seconds, PrintWriter out,
                               ObjectNode result) {
        List<Long> searchable = new ArrayList<>();
        long untraced = 0;
        long disordered = 0;
        for (StageLatency.AlertStages a : stages) {
            searchable.add(a.searchable() - a.appended());
            if (!a.complete()) {
                untraced++;
                if (untraced <= 5) {
                    out.printf("alert %s (%s) has no mark at or after the stage before for:%s%s%s%n", a.id(), a.shape(),
                            a.evaluated() == 0 ? " evaluated (of " + a.completing() + ")" : "",
                            a.correlated() == 0 ? " correlated" : "", a.written() == 0 ? " written" : "");
                }
            } else if (!a.monotonic()) {
                disordered++;
            }
        }
        ObjectNode lat = StageLatency.summary(searchable);
        lat.put("rate", rate);
        lat.put("seconds", seconds);
        if (searchable.isEmpty()) {
            out.println("latency: no alerts");
        } else {
            out.printf(Locale.ROOT, "latency record appended to Kafka -> alert searchable in Elasticsearch, at %,d "
                    + "records/s for %d s (%d alerts; %d with more origins than listed left out; polled every 50 ms): "
                    + "p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n", rate, seconds, searchable.size(), incomplete,
                    lat.get("p50").asLong(), lat.get("p90").asLong(), lat.get("p99").asLong(), lat.get("max").asLong());
        }
        result.set("latency_ms", lat);
        ObjectNode byStage = BenchJson.object();
        byStage.set("read", lagSummary(lags.get(VigilMetrics.STAGE_READ_LAG_MS)));
        byStage.set("decoded", lagSummary(lags.get(VigilMetrics.STAGE_DECODED_LAG_MS)));
        byStage.setAll(StageLatency.byStage(stages));
        byStage.put("alerts_without_every_mark", untraced);
        byStage.put("alerts_out_of_stage_order", disordered);
        result.set("stages_ms", byStage);
        result.set("shapes_ms", StageLatency.byShape(stages));
        out.println("by stage, ms after the Kafka append (read and decoded: every record; the others: each alert's "
                + "completing record): " + byStage);
        out.println("by rule shape, append -> searchable, ms: " + result.get("shapes_ms"));
    }

    /**
     * Adds the current statistics of the read and decoded lag histograms of every subtask, once the warm-up's
     * records have left their window.
     */
    private static void sampleLags(Map<String, List<HistogramStatistics>> lags) {
        for (MetricsTap.Registered m : MetricsTap.all()) {
            if ((m.name().equals(VigilMetrics.STAGE_READ_LAG_MS) || m.name().equals(VigilMetrics.STAGE_DECODED_LAG_MS))
                    && m.metric() instanceof Histogram h && h.getCount() >= WARM_UP + StageTrace.HISTOGRAM_WINDOW) {
                lags.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(h.getStatistics());
            }
        }
    }

    /** The median p50, the highest p99 and max of the samples; {@code {"samples":0}} without any. */
    static ObjectNode lagSummary(List<HistogramStatistics> samples) {
        ObjectNode s = BenchJson.object();
        if (samples == null || samples.isEmpty()) {
            s.put("samples", 0);
            return s;
        }
        List<Long> p50 = new ArrayList<>();
        long p99 = 0;
        long max = 0;
        for (HistogramStatistics h : samples) {
            p50.add(Math.round(h.getQuantile(0.50)));
            p99 = Math.max(p99, Math.round(h.getQuantile(0.99)));
            max = Math.max(max, h.getMax());
        }
        p50.sort(null);
        s.put("p50", StageLatency.percentile(p50, 0.5));
        s.put("p99", p99);
        s.put("max", max);
        s.put("samples", samples.size());
        return s;
    }

    /** The times of the marks of the trace topic in ascending order, by stage and id. */
    private static Map<String, Map<String, List<Long>>> marks(LocalKafka kafka) {
        Map<String, Map<String, List<Long>>> out = new HashMap<>();
        EndToEnd.readAll(kafka, List.of(TRACE_TOPIC), r -> {
            try {
                JsonNode m = EcsJson.MAPPER.readTree(r.value());
                out.computeIfAbsent(m.path("stage").asText(), k -> new HashMap<>())
                        .computeIfAbsent(m.path("id").asText(), k -> new ArrayList<>()).add(m.path("at").asLong());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        out.values().forEach(byId -> byId.values().forEach(times -> times.sort(null)));
        return out;
    }
}
