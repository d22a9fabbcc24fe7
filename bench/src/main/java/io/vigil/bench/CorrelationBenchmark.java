package io.vigil.bench;

import io.vigil.model.Alert;
import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleEvaluator;
import io.vigil.rules.RuleHit;
import io.vigil.rules.RulePack;
import io.vigil.rules.verify.RuleSet;
import io.vigil.rules.correlate.CorrelationState;
import io.vigil.rules.correlate.Correlator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Rule evaluation and correlation with the whole packaged rule pack on one thread, without Flink:
 * 1M synthetic auth events ({@link SyntheticAuth}) with {@code sources} source addresses, in time
 * order, through the reused Drools session and the {@link Correlator} with state in a map. The
 * score is events/s.
 *
 * <p>Run: {@code java -jar bench/target/vigil-bench.jar CorrelationBenchmark -f 1 -wi 1 -i 3}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CorrelationBenchmark {

    public static final int EVENTS = 1_000_000;

    @Param({"10000"})
    public int sources;

    private SecurityEvent[] events;
    private RulePack pack;
    private RuleEvaluator evaluator;
    private long alerts;

    @Setup(Level.Trial)
    public void setUp() {
        SyntheticAuth gen = new SyntheticAuth(sources, 42);
        events = new SecurityEvent[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            events[i] = gen.event(i);
        }
        RuleSet rules = RuleSet.packaged();
        pack = RulePack.compile(rules.sources());
        evaluator = pack.newEvaluator(rules.active().keySet());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        evaluator.close();
        if (alerts == 0) {
            throw new IllegalStateException("the synthetic attacks raised no alert: the benchmark measures nothing");
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long wholePack() {
        Map<String, CorrelationState> states = new HashMap<>();
        long n = 0;
        for (SecurityEvent e : events) {
            for (RuleHit hit : evaluator.evaluate(e)) {
                CorrelationState st = states.computeIfAbsent(hit.stateKey(), k -> new CorrelationState());
                for (Alert a : Correlator.onHit(pack.rule(hit.ruleId()), st, hit)) {
                    n++;
                }
            }
        }
        alerts = n;
        return n;
    }
}
