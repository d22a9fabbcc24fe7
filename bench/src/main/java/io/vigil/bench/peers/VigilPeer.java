package io.vigil.bench.peers;

import io.vigil.jobs.detect.Detection;
import io.vigil.jobs.detect.DetectionSettings;
import io.vigil.model.Alert;
import io.vigil.rules.verify.RuleSet;
import java.util.Set;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Vigil: its detection topology ({@link Detection#build}: watermarks, Drools rule evaluation,
 * keyed correlation) at parallelism 1 with the given rules. The compared alerts are the first
 * emission of each alert of the compared rules; the second emission of a suppressed alert (same
 * id, with the suppressed count, when its suppression period ends) is counted with the others.
 */
final class VigilPeer {

    private VigilPeer() {}

    static EngineRun run(AuthStream stream, RuleSet rules, Set<String> compared) throws Exception {
        StreamExecutionEnvironment env = FlinkHarness.environment();
        Detection.build(FlinkHarness.events(env, stream), DetectionSettings.of(rules, FlinkHarness.OUT_OF_ORDERNESS,
                        // the peers raise every alert: compare with every alert, none aggregated
                        Detection.DEFAULT_STATE_TTL).withMaxNewKeysPerMinute(0)).alerts()
                .sinkTo(new AlertSink(compared)).name("alerts");
        return FlinkHarness.execute(env, "vigil detection", stream.size());
    }

    static final class AlertSink implements Sink<Alert> {
        private static final long serialVersionUID = 1L;
        private final Set<String> compared;

        AlertSink(Set<String> compared) {
            this.compared = Set.copyOf(compared);
        }

        @Override
        public SinkWriter<Alert> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(Alert a, Context c) {
                    if (compared.contains(a.ruleId()) && a.suppressedCount() == 0) {
                        FlinkHarness.ALERTS.add(PeerAlert.of(a));
                    } else {
                        FlinkHarness.OTHER.incrementAndGet();
                    }
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
