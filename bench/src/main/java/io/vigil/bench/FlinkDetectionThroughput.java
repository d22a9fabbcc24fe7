package io.vigil.bench;

import io.vigil.jobs.detect.Detection;
import io.vigil.jobs.detect.DetectionSettings;
import io.vigil.model.Alert;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.verify.RuleSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Vigil's detection topology (watermarks, rule evaluation, keyed correlation) on a local Flink
 * cluster at parallelism 1, over {@code N} synthetic auth events generated in the source. Each
 * run is timed net of job start-up: the clock starts when the first event reaches the rules.
 * Prints each run and the median, min and max events/s.
 *
 * <p>Run: {@code java -cp bench/target/vigil-bench.jar io.vigil.bench.FlinkDetectionThroughput [events] [sources] [runs]}
 */
public final class FlinkDetectionThroughput {

    static final AtomicLong FIRST = new AtomicLong();
    static final AtomicLong ALERTS = new AtomicLong();

    public static void main(String[] args) throws Exception {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int sources = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        RuleSet rules = RuleSet.packaged();
        double[] rates = new double[runs];
        for (int run = 0; run < runs; run++) {
            FIRST.set(0);
            ALERTS.set(0);
            StreamExecutionEnvironment env = localEnvironment();
            SyntheticAuth gen = new SyntheticAuth(sources, 42);
            DataGeneratorSource<SecurityEvent> source = new DataGeneratorSource<>(
                    (GeneratorFunction<Long, SecurityEvent>) gen::event, events, TypeInformation.of(SecurityEvent.class));
            Detection.build(env.fromSource(source, WatermarkStrategy.noWatermarks(), "synthetic auth")
                                    .map(FlinkDetectionThroughput::stamp).name("clock"),
                            DetectionSettings.of(rules, Duration.ofSeconds(5), Duration.ofHours(1))
                                    // correlation alone: every alert counted, none aggregated
                                    .withMaxNewKeysPerMinute(0)).alerts()
                    .sinkTo(new CountingSink()).name("count");
            env.execute("detection throughput");
            long end = System.nanoTime();
            rates[run] = events / ((end - FIRST.get()) / 1e9);
            System.out.printf("run %d: %,.0f events/s, %,d alerts%n", run + 1, rates[run], ALERTS.get());
        }
        Arrays.sort(rates);
        System.out.printf("detection (Flink, parallelism 1, %,d events, %,d sources, whole pack): median %,.0f events/s "
                + "(min %,.0f, max %,.0f)%n", events, sources, rates[runs / 2], rates[0], rates[runs - 1]);
    }

    /** A local cluster at parallelism 1 with the jobs' pipeline settings; the correlation peers run on it too. */
    public static StreamExecutionEnvironment localEnvironment() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.OBJECT_REUSE, true); // as the jobs run: records are immutable
        return StreamExecutionEnvironment.createLocalEnvironment(1, conf);
    }

    static SecurityEvent stamp(SecurityEvent e) {
        FIRST.compareAndSet(0, System.nanoTime());
        return e;
    }

    static final class CountingSink implements Sink<Alert> {
        @Override
        public SinkWriter<Alert> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(Alert a, Context c) {
                    ALERTS.incrementAndGet();
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
