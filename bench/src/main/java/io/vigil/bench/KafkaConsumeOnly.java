package io.vigil.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.localstack.LocalKafka;
import io.vigil.simulate.KafkaSink;
import io.vigil.simulate.Simulation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The Kafka floor: how fast a plain consumer reads the raw topics on this machine, doing nothing
 * with the records, from the same in-process broker and the same simulated mix as the end-to-end
 * run. What Vigil's streaming job can never exceed here. Median, min and max of the runs, each a
 * new consumer group from the earliest offset.
 *
 * <pre>java -cp bench/target/vigil-bench.jar io.vigil.bench.KafkaConsumeOnly 1000000 3 [--json FILE]</pre>
 */
public final class KafkaConsumeOnly {

    private KafkaConsumeOnly() {}

    public static void main(String[] argv) throws Exception {
        List<String> args = BenchJson.mutable(argv);
        Path json = BenchJson.jsonPath(args);
        long records = args.size() > 0 ? Long.parseLong(args.get(0)) : 1_000_000;
        int runs = args.size() > 1 ? Integer.parseInt(args.get(1)) : 3;
        PrintWriter out = new PrintWriter(System.out, true);
        String prefix = "floor.raw.";
        List<String> topics = List.of(prefix + "syslog", prefix + "windows", prefix + "access");
        try (LocalKafka kafka = LocalKafka.start()) {
            kafka.createTopics(1, topics.toArray(String[]::new));
            try (KafkaSink sink = new KafkaSink(kafka.bootstrapServers(), prefix)) {
                Simulation.run(Datasets.simulated(7), sink,
                        records, false, 0, new PrintWriter(java.io.OutputStream.nullOutputStream()));
            }
            double[] rates = new double[runs];
            double[] bytesRates = new double[runs];
            for (int run = 0; run < runs; run++) {
                Properties p = new Properties();
                p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
                p.put(ConsumerConfig.GROUP_ID_CONFIG, "floor-" + run);
                p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
                p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
                p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
                p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
                long n = 0;
                long bytes = 0;
                long first = 0;
                try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
                    consumer.subscribe(topics);
                    long idleSince = System.nanoTime();
                    while (n < records && System.nanoTime() - idleSince < 30_000_000_000L) {
                        var batch = consumer.poll(Duration.ofMillis(200));
                        if (!batch.isEmpty()) {
                            if (first == 0) {
                                first = System.nanoTime();
                            }
                            idleSince = System.nanoTime();
                        }
                        for (ConsumerRecord<byte[], byte[]> r : batch) {
                            n++;
                            bytes += r.value().length;
                        }
                    }
                }
                double secs = (System.nanoTime() - first) / 1e9;
                rates[run] = n / secs;
                bytesRates[run] = bytes / secs;
                out.printf("run %d: consumed %,d records (%,d bytes) in %.2f s: %,.0f records/s, %.1f MB/s%n", run + 1,
                        n, bytes, secs, rates[run], bytesRates[run] / 1e6);
                if (n < records) {
                    throw new IllegalStateException("consumed " + n + " of " + records + " records");
                }
            }
            ObjectNode eps = BenchJson.stats(rates);
            ObjectNode result = BenchJson.object();
            result.set("kafka_consume_eps", eps);
            result.set("kafka_consume_bytes_per_s", BenchJson.stats(bytesRates));
            result.put("records", records);
            result.set("machine", BenchJson.machine());
            out.printf("Kafka consume-only: median %,.0f records/s (%,d runs)%n", eps.get("median").asDouble(), runs);
            BenchJson.write(json, result);
        }
    }
}
