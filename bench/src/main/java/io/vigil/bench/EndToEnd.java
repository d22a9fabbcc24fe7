package io.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.connectors.elasticsearch.LocalElasticsearch;
import io.vigil.connectors.kafka.LocalKafka;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.decode.DecodeCounters;
import io.vigil.jobs.simulate.KafkaSink;
import io.vigil.jobs.simulate.ScenarioGenerator;
import io.vigil.jobs.simulate.Simulation;
import io.vigil.jobs.stream.StreamingMain;
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
 * Kafka → Vigil → Elasticsearch on this machine, with the {@code vigil simulate} generator:
 * (1) throughput: N generated records are put in Kafka first, then the streaming job (parallelism
 * P) is started and timed from its decode counter's first report (net of job start-up) until the
 * counter stops moving; (2) latency: records fed in real time at a given rate,
 * Elasticsearch polled every 100 ms, each alert's latency = when it became searchable minus its
 * {@code @timestamp} (the event time of the event that completed it, which the generator sets to
 * the time it appended it).
 *
 * <p>Run: {@code java --add-opens java.base/java.util=ALL-UNNAMED -cp bench/target/vigil-bench.jar
 * io.vigil.bench.EndToEnd [records] [parallelism] [latencyRate] [latencySeconds]}
 */
public final class EndToEnd {

    public static void main(String[] args) throws Exception {
        long records = args.length > 0 ? Long.parseLong(args[0]) : 500_000;
        int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        long latencyRate = args.length > 2 ? Long.parseLong(args[2]) : 0;
        int latencySeconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
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
                Simulation.run(new ScenarioGenerator(7, Instant.parse("2024-06-01T00:00:00Z"), 20_000, 1000), sink,
                        records, false, 0, out);
            }
            out.printf("put %,d records in Kafka in %.1f s%n", records, (System.nanoTime() - t0) / 1e9);
            JobClient job = startJob(kafka, es, work.resolve("chk1"), parallelism, "e2e-throughput");
            // timed from the decode counter's first report to its last change: the job has drained Kafka
            // when the counter stops moving (records the producer could not deliver never arrive)
            long first = 0;
            long atFirst = 0;
            long seen = 0;
            long lastChange = 0;
            while (first == 0 || System.nanoTime() - lastChange < 3_000_000_000L) {
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
            out.printf("end to end (Kafka -> decode -> rules -> Elasticsearch), parallelism %d: %,d of %,d records "
                    + "decoded; %,d in %.1f s after the first report = %,.0f records/s (counter reports every second)%n",
                    parallelism, seen, records, seen - atFirst, secs, (seen - atFirst) / secs);
            job.cancel().get();

            // (2) latency
            if (latencyRate > 0) {
                latency(kafka, es, rest, work, parallelism, latencyRate, latencySeconds, out);
            }
        }
    }

    private static JobClient startJob(LocalKafka kafka, LocalElasticsearch es, Path chk, int parallelism, String group)
            throws Exception {
        Map<String, String> m = new HashMap<>();
        m.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        m.put("kafka.topics", "vigil.raw.syslog:syslog,vigil.raw.windows:windows,vigil.raw.access:access");
        m.put("kafka.group-id", group);
        m.put("elasticsearch.urls", es.url());
        m.put("elasticsearch.bulk.flush-interval", "200ms");
        m.put("detection.out-of-orderness", "500ms");
        m.put("checkpoints.interval", "10s");
        m.put("checkpoints.dir", chk.toString());
        m.put("parallelism", String.valueOf(parallelism));
        VigilConfig config = VigilConfig.of(m, "e2e");
        StreamingMain.installTemplates(StreamingMain.elasticsearch(config));
        Configuration conf = StreamingMain.flinkConfig(config);
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        StreamingMain.build(config, StreamingMain.rules(config), env);
        return env.executeAsync(group);
    }

    private static void latency(LocalKafka kafka, LocalElasticsearch es, RestClient rest, Path work, int parallelism,
                                long rate, int seconds, PrintWriter out) throws Exception {
        JobClient job = startJob(kafka, es, work.resolve("chk2"), parallelism, "e2e-latency");
        Thread.sleep(5000); // let the job start before the clock of the first record
        Instant start = Instant.now();
        Thread feeder = new Thread(() -> {
            try (KafkaSink sink = new KafkaSink(kafka.bootstrapServers(), "vigil.raw.")) {
                Simulation.run(new ScenarioGenerator(11, start, rate, 200), sink, rate * seconds, true, 0, out);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        feeder.start();
        Map<String, Long> firstSeen = new HashMap<>();
        Map<String, Instant> stamp = new HashMap<>();
        long end = System.nanoTime() + (seconds + 15) * 1_000_000_000L;
        while (System.nanoTime() < end) {
            Request search = new Request("GET", "/vigil-alerts-*/_search");
            search.setJsonEntity("{\"size\":500,\"_source\":[\"@timestamp\"],\"query\":{\"range\":{\"@timestamp\":"
                    + "{\"gte\":\"" + start + "\"}}}}");
            try {
                JsonNode body = EcsJson.MAPPER.readTree(rest.performRequest(search).getEntity().getContent());
                long now = System.currentTimeMillis();
                for (JsonNode hit : body.at("/hits/hits")) {
                    String id = hit.get("_id").asText();
                    if (!firstSeen.containsKey(id)) {
                        firstSeen.put(id, now);
                        stamp.put(id, Instant.parse(hit.at("/_source/@timestamp").asText()));
                    }
                }
            } catch (Exception e) {
                // no alert index yet
            }
            Thread.sleep(100);
        }
        feeder.join();
        job.cancel().get();
        List<Long> latencies = new ArrayList<>();
        firstSeen.forEach((id, seen) -> latencies.add(seen - stamp.get(id).toEpochMilli()));
        Collections.sort(latencies);
        if (latencies.isEmpty()) {
            out.println("latency: no alerts");
            return;
        }
        out.printf("latency event append -> alert searchable at %,d records/s for %d s (%d alerts): p50 %d ms, "
                + "p99 %d ms, max %d ms%n", rate, seconds, latencies.size(), latencies.get(latencies.size() / 2),
                latencies.get(Math.min(latencies.size() - 1, (int) Math.ceil(latencies.size() * 0.99) - 1)),
                latencies.get(latencies.size() - 1));
    }

}
