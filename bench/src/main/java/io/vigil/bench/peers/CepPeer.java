package io.vigil.bench.peers;

import io.vigil.model.SecurityEvent;
import io.vigil.rules.RuleMeta;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * The two detections written natively with Flink CEP's pattern API, at parallelism 1, in event
 * time with Vigil's watermarks:
 *
 * <ul>
 *   <li>{@code ssh-brute-force}: keyed by {@code source.ip},
 *       {@code begin("failures").where(failed ssh login).times(5).within(60 s)};
 *   <li>{@code brute-force-then-success}: keyed by Vigil's {@code authKey},
 *       {@code begin("failures").where(failed logon).times(5)
 *       .followedBy("success").where(successful logon).within(10 min)}.
 * </ul>
 *
 * Both use {@link AfterMatchSkipStrategy#skipPastLastEvent()}: a match discards every partial
 * match that started before its last event, as Vigil clears the window when a rule fires. CEP has
 * no counterpart of Vigil's suppression period (a pattern cannot see earlier matches), so after
 * a match the next five failures alert again. {@code times(5)} has relaxed inner contiguity and
 * {@code within} times a partial match out when {@code t - first >= window}, as Vigil's window
 * keeps events whose times differ by less than the window. Window, count and window length come
 * from the rules' metadata. Each pattern's stream is filtered on its condition before the key,
 * which only saves work: the conditions are in the pattern too, and relaxed contiguity skips
 * other events anyway.
 */
final class CepPeer {

    private CepPeer() {}

    static EngineRun run(AuthStream stream, RuleMeta bruteForce, RuleMeta thenSuccess) throws Exception {
        StreamExecutionEnvironment env = FlinkHarness.environment();
        DataStream<SecurityEvent> events = FlinkHarness.events(env, stream)
                .assignTimestampsAndWatermarks(FlinkHarness.watermarks()).name("event time");

        Pattern<SecurityEvent, ?> failures = Pattern.<SecurityEvent>begin("failures",
                        AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(AuthLogic::isFailedSshLogin))
                .times(bruteForce.threshold())
                .within(Duration.ofMillis(bruteForce.windowMs()));
        DataStream<PeerAlert> bf = CEP.pattern(events.filter(AuthLogic::isFailedSshLogin).name("failed ssh logins")
                                .keyBy(SecurityEvent::sourceIp), failures)
                .inEventTime()
                .process(new ToAlert(bruteForce.id(), "failures", false)).name(bruteForce.id());

        Pattern<SecurityEvent, ?> sequence = Pattern.<SecurityEvent>begin("failures",
                        AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(AuthLogic::isFailedLogon))
                .times(thenSuccess.threshold())
                .followedBy("success")
                .where(SimpleCondition.of(AuthLogic::isSuccessfulLogon))
                .within(Duration.ofMillis(thenSuccess.windowMs()));
        DataStream<PeerAlert> seq = CEP.pattern(events.filter(AuthLogic::isLogonStep).name("logons")
                                .keyBy(AuthLogic::authKey), sequence)
                .inEventTime()
                .process(new ToAlert(thenSuccess.id(), "success", true)).name(thenSuccess.id());

        bf.union(seq).sinkTo(new FlinkHarness.CollectingSink()).name("alerts");
        return FlinkHarness.execute(env, "flink cep", stream.size());
    }

    /** A match as an alert: the group key and the time of its last event. */
    static final class ToAlert extends PatternProcessFunction<SecurityEvent, PeerAlert> {
        private static final long serialVersionUID = 1L;
        private final String rule;
        private final String last;
        private final boolean authKey;

        ToAlert(String rule, String last, boolean authKey) {
            this.rule = rule;
            this.last = last;
            this.authKey = authKey;
        }

        @Override
        public void processMatch(Map<String, List<SecurityEvent>> match, Context ctx, Collector<PeerAlert> out) {
            List<SecurityEvent> events = match.get(last);
            SecurityEvent e = events.get(events.size() - 1);
            String key = authKey ? AuthLogic.authKey(e) : e.sourceIp();
            out.collect(new PeerAlert(rule, key, e.timestamp().toEpochMilli()));
        }
    }
}
