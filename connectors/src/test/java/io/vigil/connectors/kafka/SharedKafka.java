package io.vigil.connectors.kafka;

import io.vigil.localstack.LocalKafka;

/** One real broker for all test classes of the module: started on first use, closed at JVM exit. */
public final class SharedKafka {

    private static LocalKafka kafka;
    static long startMillis;

    private SharedKafka() {}

    public static synchronized LocalKafka get() {
        if (kafka == null) {
            long t0 = System.nanoTime();
            kafka = LocalKafka.start();
            startMillis = (System.nanoTime() - t0) / 1_000_000;
            System.err.println("local Kafka broker started in " + startMillis + " ms at " + kafka.bootstrapServers());
            LocalKafka started = kafka;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "local-kafka-shutdown"));
        }
        return kafka;
    }
}
