package io.vigil.bench;

import io.vigil.jobs.stream.StreamingTopology;
import io.vigil.jobs.wiring.RuleSets;
import io.vigil.jobs.wiring.FlinkSettings;
import io.vigil.jobs.wiring.Connections;
import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.localstack.LocalElasticsearch;
import io.vigil.localstack.LocalKafka;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.decode.DecodeCounters;
import io.vigil.simulate.KafkaSink;
import io.vigil.simulate.ScenarioGenerator;
import io.vigil.simulate.Simulation;
import io.vigil.model.EcsJson;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

/**
 * Kafka → Vigil → Elasticsearch on this machine, with the {@code vigil simulate} generator and
 * the streaming job's default configuration.
 *
 * <p>(1) Throughput: N generated records are put in Kafka first, then the streaming job
 * (parallelism P) is started and timed from its decode counter's first report (net of job
 * start-up) until the counter reaches the number of records the raw topics hold; a counter that
 * stops short for 60 s is reported as a shortfall, with the group's committed offsets. Each run
 * reads the same records from the start under a consumer group of its own; the figure is the
 * median of the runs (3 by default), with min and max.
 *
 * <p>(2) Latency: records fed in real time at a given rate to topics whose broker stamps each
 * record with its append time ({@code LogAppendTime}); Elasticsearch polled every 50 ms; each
 * alert's latency = when it first became searchable minus the append time of the latest record
 * among its origins (the one that completed it).
 *
 * <p>Run: {@code java --add-opens java.base/java.util=ALL-UNNAMED -cp bench/target/vigil-bench.jar
 * io.vigil.bench.EndToEnd [records] [parallelism] [latencyRate] [latencySeconds] [runs] [key=value ...]},
 * where {@code key=value} overrides a configuration key (for example
 * {@code detection.out-of-orderness=500ms}).
 */
public final class EndToEnd {

    /** Configuration keys given as {@code key=value} arguments; everything else keeps its default. */
    private static final Map<String, String> OVERRIDES = new HashMap<>();

    public static void main(String[] argv) throws Exception {
        List<String> given = BenchJson.mutable(argv);
        Path json = BenchJson.jsonPath(given);
        com.fasterxml.jackson.databind.node.ObjectNode result = BenchJson.object();
        List<String> positional = new ArrayList<>();
        for (String a : given) {
            if (a.contains("=")) {
                OVERRIDES.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            } else {
                positional.add(a);
            }
        }
        String[] args = positional.toArray(String[]::new);
        long records = args.length > 0 ? Long.parseLong(args[0]) : 500_000;
        int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        long latencyRate = args.length > 2 ? Long.parseLong(args[2]) : 0;
        int latencySeconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        int runs = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        PrintWriter out = new PrintWriter(System.out, true);
        Path work = Files.createTempDirectory("vigil-e2e");
        try (LocalKafka kafka = LocalKafka.start(); LocalElasticsearch es = LocalElasticsearch.builder().build().start();
             RestClient rest = RestClient.builder(org.apache.http.HttpHost.create(es.url())).build()) {
            String prefix = "vigil.raw.";
            kafka.createTopics(parallelism, prefix + "syslog", prefix + "windows", prefix + "access",
                    "vigil.dead-letters", "vigil.alerts");
            // (1) throughput
            long t0 = System.nanoTime();
            try (KafkaSink sink = new KafkaSink(kafka.bootstrapServers(), prefix)) {
                Simulation.run(Datasets.simulated(7), sink,
                        records, false, 0, out);
            }
            out.printf("put %,d records in Kafka in %.1f s%n", records, (System.nanoTime() - t0) / 1e9);
            // what the broker holds, not what the generator made: the job must decode exactly this many
            long inKafka = endOffsets(kafka, parallelism, prefix + "syslog", prefix + "windows", prefix + "access");
            out.printf("the raw topics hold %,d records%n", inKafka);
            double[] rates = new double[runs];
            long seen = 0;
            for (int run = 0; run < runs; run++) {
                String group = "e2e-throughput-" + (run + 1);
                JobClient job = startJob(kafka, es, work.resolve("chk1-" + run), parallelism, group);
                // timed from the decode counter's first report until it reaches what Kafka holds; a counter
                // that stops short for 60 s is reported as a shortfall
                long first = 0;
                long atFirst = 0;
                seen = 0;
                long lastChange = System.nanoTime();
                while (seen < inKafka && System.nanoTime() - lastChange < 60_000_000_000L) {
                    Map<String, Object> acc = job.getAccumulators().get();
                    long now = acc.get(DecodeCounters.RECORDS) instanceof Long l ? l : 0;
                    if (now > 0 && first == 0) {
                        first = System.nanoTime();
                        atFirst = now;
                    }
                    if (now != seen) {
                        seen = now;
                        lastChange = System.nanoTime();
                    }
                    Thread.sleep(100);
                }
                double secs = (lastChange - first) / 1e9;
                out.printf("end to end (Kafka -> decode -> rules -> Elasticsearch), run %d, parallelism %d: %,d of %,d records "
                        + "decoded%s; %,d in %.1f s after the first report = %,.0f records/s (counter reports every second)%n",
                        run + 1, parallelism, seen, inKafka, seen < inKafka ? " (SHORTFALL: the counter stopped for 60 s)" : "",
                        seen - atFirst, secs, (seen - atFirst) / secs);
                if (seen < inKafka) {
                    out.printf("consumer group %s has committed offsets for %,d records%n", group,
                            committedOffsets(kafka, group));
                }
                job.cancel().get();
                rates[run] = (seen - atFirst) / secs;
            }
            com.fasterxml.jackson.databind.node.ObjectNode stats = BenchJson.stats(rates);
            out.printf("end to end, parallelism %d: median %,d records/s of %d runs (min %,d, max %,d)%n", parallelism,
                    stats.get("median").asLong(), runs, stats.get("min").asLong(), stats.get("max").asLong());
            result.put("end_to_end_eps", stats.get("median").asLong());
            result.set("end_to_end_runs", stats);
            result.put("parallelism", parallelism);
            result.put("records", inKafka);
            result.put("decoded", seen);

            // (2) latency
            if (latencyRate > 0) {
                com.fasterxml.jackson.databind.node.ObjectNode lat = latency(kafka, es, rest, work, parallelism,
                        latencyRate, latencySeconds, out);
                if (lat != null) {
                    result.set("latency_ms", lat);
                }
            }
        }
        result.set("machine", BenchJson.machine());
        BenchJson.write(json, result);
    }

    private static long committedOffsets(LocalKafka kafka, String group) throws Exception {
        try (var admin = kafka.admin()) {
            var offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            System.out.println("committed offsets: " + offsets);
            return offsets.values().stream().mapToLong(o -> o == null ? 0 : o.offset()).sum();
        }
    }

    private static long endOffsets(LocalKafka kafka, int partitions, String... topics) throws Exception {
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> specs = new HashMap<>();
        for (String t : topics) {
            for (int p = 0; p < partitions; p++) {
                specs.put(new org.apache.kafka.common.TopicPartition(t, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
        }
        try (var admin = kafka.admin()) {
            long sum = 0;
            for (var info : admin.listOffsets(specs).all().get().values()) {
                sum += info.offset();
            }
            return sum;
        }
    }

    private static JobClient startJob(LocalKafka kafka, LocalElasticsearch es, Path chk, int parallelism, String group)
            throws Exception {
        return startJob(kafka, es, chk, parallelism, group, "vigil.raw.");
    }

    private static JobClient startJob(LocalKafka kafka, LocalElasticsearch es, Path chk, int parallelism, String group,
                                      String prefix) throws Exception {
        Map<String, String> m = new HashMap<>();
        m.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        m.put("kafka.topics", prefix + "syslog:syslog," + prefix + "windows:windows," + prefix + "access:access");
        m.put("kafka.group-id", group);
        m.put("elasticsearch.urls", es.url());
        m.put("checkpoints.interval", "10s");
        m.put("checkpoints.dir", chk.toString());
        m.put("parallelism", String.valueOf(parallelism));
        // the generator attacks far more often than a real network is attacked: hundreds of new attacker
        // keys a minute per rule, which mass activity would aggregate; every alert's latency is measured
        m.put("detection.mass-activity.max-new-keys-per-minute", "0");
        m.putAll(OVERRIDES);
        VigilConfig config = VigilConfig.of(m, "e2e");
        Connections.installTemplates(Connections.elasticsearch(config));
        Configuration conf = FlinkSettings.flinkConfig(config);
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        StreamingTopology.build(config, RuleSets.load(config), env);
        return env.executeAsync(group);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode latency(LocalKafka kafka, LocalElasticsearch es,
            RestClient rest, Path work, int parallelism, long rate, int seconds, PrintWriter out) throws Exception {
        // the broker stamps every record with its append time: the start of each alert's latency
        String prefix = "lat.raw.";
        List<String> raw = List.of(prefix + "syslog", prefix + "windows", prefix + "access");
        List<org.apache.kafka.clients.admin.NewTopic> topics = new ArrayList<>();
        for (String t : raw) {
            topics.add(new org.apache.kafka.clients.admin.NewTopic(t, parallelism, (short) 1)
                    .configs(Map.of("message.timestamp.type", "LogAppendTime")));
        }
        try (var admin = kafka.admin()) {
            admin.createTopics(topics).all().get();
        }
        JobClient job = startJob(kafka, es, work.resolve("chk2"), parallelism, "e2e-latency", prefix);
        Thread.sleep(5000); // let the job start before the first record
        Instant start = Instant.now();
        Thread feeder = new Thread(() -> {
            try (KafkaSink sink = new KafkaSink(kafka.bootstrapServers(), prefix)) {
                Simulation.run(new ScenarioGenerator(11, start, rate, 200), sink, rate * seconds, true, 0, out);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        feeder.start();
        // alert id -> when it was first searchable, and the origins (topic/partition@offset) it names
        Map<String, Long> firstSeen = new HashMap<>();
        Map<String, JsonNode> alerts = new HashMap<>();
        long end = System.nanoTime() + (seconds + 15) * 1_000_000_000L;
        while (System.nanoTime() < end) {
            Request search = new Request("GET", "/vigil-alerts-*/_search");
            // newest first: past 1,000 alerts an unsorted page could leave a new alert out for a while
            search.setJsonEntity("{\"size\":1000,\"sort\":[{\"@timestamp\":\"desc\"}],"
                    + "\"_source\":[\"vigil.alert.origins\",\"vigil.alert.origins_total\"],"
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
            Thread.sleep(50);
        }
        feeder.join();
        job.cancel().get();
        Map<String, Long> appended = appendTimes(kafka, raw);
        List<Long> latencies = new ArrayList<>();
        int incomplete = 0;
        for (var e : alerts.entrySet()) {
            JsonNode alert = e.getValue().path("vigil").path("alert");
            JsonNode origins = alert.path("origins");
            if (alert.path("origins_total").asLong() > origins.size()) {
                incomplete++; // the completing record may be one of those not listed
                continue;
            }
            long last = 0;
            for (JsonNode o : origins) {
                Long t = appended.get(o.path("source").asText() + "/" + o.path("partition").asInt() + "@"
                        + o.path("offset").asLong());
                last = Math.max(last, t == null ? 0 : t);
            }
            if (last > 0) {
                latencies.add(firstSeen.get(e.getKey()) - last);
            }
        }
        Collections.sort(latencies);
        if (latencies.isEmpty()) {
            out.println("latency: no alerts");
            return null;
        }
        out.printf("latency record appended to Kafka -> alert searchable in Elasticsearch, at %,d records/s for %d s "
                + "(%d alerts; %d with more origins than listed left out; polled every 50 ms): p50 %d ms, p90 %d ms, "
                + "p99 %d ms, max %d ms%n", rate, seconds, latencies.size(), incomplete, pct(latencies, 0.50),
                pct(latencies, 0.90), pct(latencies, 0.99), latencies.get(latencies.size() - 1));
        com.fasterxml.jackson.databind.node.ObjectNode lat = BenchJson.object();
        lat.put("p50", pct(latencies, 0.50));
        lat.put("p90", pct(latencies, 0.90));
        lat.put("p99", pct(latencies, 0.99));
        lat.put("max", latencies.get(latencies.size() - 1));
        lat.put("alerts", latencies.size());
        lat.put("rate", rate);
        lat.put("seconds", seconds);
        return lat;
    }

    private static long pct(List<Long> sorted, double p) {
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * p) - 1)));
    }

    /** topic/partition@offset -> the broker's append time, for every record of {@code topics}. */
    private static Map<String, Long> appendTimes(LocalKafka kafka, List<String> topics) {
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("key.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        Map<String, Long> out = new HashMap<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(p)) {
            List<org.apache.kafka.common.TopicPartition> parts = new ArrayList<>();
            for (String t : topics) {
                consumer.partitionsFor(t).forEach(i -> parts.add(new org.apache.kafka.common.TopicPartition(t, i.partition())));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<org.apache.kafka.common.TopicPartition, Long> ends = consumer.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    out.put(r.topic() + "/" + r.partition() + "@" + r.offset(), r.timestamp());
                }
            }
        }
        return out;
    }
}
