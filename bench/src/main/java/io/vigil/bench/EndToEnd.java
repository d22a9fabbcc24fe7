package io.vigil.bench;

import io.vigil.jobs.stream.StreamingTopology;
import io.vigil.jobs.wiring.RuleSets;
import io.vigil.jobs.wiring.FlinkSettings;
import io.vigil.jobs.wiring.Connections;
import io.vigil.localstack.LocalElasticsearch;
import io.vigil.localstack.LocalKafka;
import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.decode.DecodeCounters;
import io.vigil.simulate.KafkaSink;
import io.vigil.simulate.Simulation;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
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
 * <p>(2) Latency, when a rate is given: {@link LatencyBench#measure}, by stage and rule shape.
 *
 * <p>Run: {@code java --add-opens java.base/java.util=ALL-UNNAMED -cp bench/target/vigil-bench.jar
 * io.vigil.bench.EndToEnd [records] [parallelism] [latencyRate] [latencySeconds] [runs] [key=value ...]},
 * where {@code key=value} overrides a configuration key (for example
 * {@code detection.out-of-orderness=500ms}).
 */
public final class EndToEnd {

    /** Configuration keys given as {@code key=value} arguments; everything else keeps its default. */
    static final Map<String, String> OVERRIDES = new HashMap<>();

    public static void main(String[] argv) throws Exception {
        List<String> given = BenchJson.mutable(argv);
        Path json = BenchJson.jsonPath(given);
        com.fasterxml.jackson.databind.node.ObjectNode result = BenchJson.object();
        String[] args = overrides(given);
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
                LatencyBench.measure(kafka, es, rest, work, parallelism, latencyRate, latencySeconds, out, result);
            }
        }
        result.set("machine", BenchJson.machine());
        BenchJson.write(json, result);
    }

    /** Puts the {@code key=value} arguments into {@link #OVERRIDES}; returns the others. */
    static String[] overrides(List<String> given) {
        List<String> positional = new ArrayList<>();
        for (String a : given) {
            if (a.contains("=")) {
                OVERRIDES.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            } else {
                positional.add(a);
            }
        }
        return positional.toArray(String[]::new);
    }

    private static long committedOffsets(LocalKafka kafka, String group) throws Exception {
        try (var admin = kafka.admin()) {
            var offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            System.out.println("committed offsets: " + offsets);
            return offsets.values().stream().mapToLong(o -> o == null ? 0 : o.offset()).sum();
        }
    }

    static long endOffsets(LocalKafka kafka, int partitions, String... topics) throws Exception {
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
        VigilConfig config = config(kafka, es, chk, parallelism, group, "vigil.raw.", Map.of());
        return start(config, RuleSets.load(config), new Configuration());
    }

    /**
     * The streaming job's configuration for a run reading the raw topics of {@code prefix}: the defaults, the
     * {@code key=value} arguments, then {@code extra}.
     */
    static VigilConfig config(LocalKafka kafka, LocalElasticsearch es, Path chk, int parallelism, String group,
                              String prefix, Map<String, String> extra) {
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
        m.putAll(extra);
        return VigilConfig.of(m, "e2e");
    }

    /** Starts the streaming job of {@code config} in a local cluster, with {@code flink} added to its Flink configuration. */
    static JobClient start(VigilConfig config, io.vigil.rules.verify.RuleSet rules, Configuration flink) throws Exception {
        Connections.installTemplates(Connections.elasticsearch(config));
        Configuration conf = FlinkSettings.flinkConfig(config);
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        conf.addAll(flink);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        StreamingTopology.build(config, rules, env);
        return env.executeAsync(config.get(io.vigil.jobs.config.VigilOptions.KAFKA_GROUP));
    }

    /** topic/partition@offset -> the broker's append time, for every record of {@code topics}. */
    static Map<String, Long> appendTimes(LocalKafka kafka, List<String> topics) {
        Map<String, Long> out = new HashMap<>();
        readAll(kafka, topics, r -> out.put(r.topic() + "/" + r.partition() + "@" + r.offset(), r.timestamp()));
        return out;
    }

    /** Gives every record {@code topics} hold now, from the start, to {@code each}. */
    static void readAll(LocalKafka kafka, List<String> topics,
                        java.util.function.Consumer<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> each) {
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("key.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(p)) {
            List<org.apache.kafka.common.TopicPartition> parts = new ArrayList<>();
            for (String t : topics) {
                consumer.partitionsFor(t).forEach(i -> parts.add(new org.apache.kafka.common.TopicPartition(t, i.partition())));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<org.apache.kafka.common.TopicPartition, Long> ends = consumer.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                consumer.poll(Duration.ofMillis(500)).forEach(each);
            }
        }
    }
}
