package io.vigil.bench.peers;

import io.vigil.bench.FlinkDetectionThroughput;
import io.vigil.jobs.detect.Detection;
import io.vigil.model.SecurityEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What the Flink-based engines share, so they are run and timed the same way: a local cluster at
 * parallelism 1 configured as {@link FlinkDetectionThroughput} does, the events generated in the
 * source, a clock started when the first event leaves the source, the run ended when
 * {@code execute} returns, and the compared alerts collected in this JVM.
 */
final class FlinkHarness {

    /** The out-of-orderness Vigil's job runs with by default; every Flink engine gets the same. */
    static final Duration OUT_OF_ORDERNESS = Detection.DEFAULT_OUT_OF_ORDERNESS;

    static final AtomicLong FIRST = new AtomicLong();
    static final ConcurrentLinkedQueue<PeerAlert> ALERTS = new ConcurrentLinkedQueue<>();
    static final AtomicLong OTHER = new AtomicLong();

    private FlinkHarness() {}

    static StreamExecutionEnvironment environment() {
        FIRST.set(0);
        ALERTS.clear();
        OTHER.set(0);
        return FlinkDetectionThroughput.localEnvironment();
    }

    /** The events, without watermarks (each engine assigns its own), through the clock. */
    static DataStream<SecurityEvent> events(StreamExecutionEnvironment env, AuthStream stream) {
        DataGeneratorSource<SecurityEvent> source = new DataGeneratorSource<>(
                (GeneratorFunction<Long, SecurityEvent>) stream::event, stream.size(),
                TypeInformation.of(SecurityEvent.class));
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "auth events")
                .map(FlinkHarness::stamp).name("clock");
    }

    /** Event time as {@link Detection} assigns it. */
    static WatermarkStrategy<SecurityEvent> watermarks() {
        return WatermarkStrategy.<SecurityEvent>forBoundedOutOfOrderness(OUT_OF_ORDERNESS)
                .withTimestampAssigner((e, previous) -> e.timestamp().toEpochMilli());
    }

    static EngineRun execute(StreamExecutionEnvironment env, String name, long events) throws Exception {
        env.execute(name);
        long end = System.nanoTime();
        if (FIRST.get() == 0) {
            throw new IllegalStateException(name + ": no event reached the clock");
        }
        return new EngineRun(events, end - FIRST.get(), new ArrayList<>(ALERTS), OTHER.get());
    }

    private static SecurityEvent stamp(SecurityEvent e) {
        FIRST.compareAndSet(0, System.nanoTime());
        return e;
    }

    /** Collects alerts of the compared rules. */
    static final class CollectingSink implements Sink<PeerAlert> {
        private static final long serialVersionUID = 1L;

        @Override
        public SinkWriter<PeerAlert> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(PeerAlert a, Context c) {
                    ALERTS.add(a);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
