package io.vigil.jobs.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.jobs.config.VigilConfig;
import io.vigil.jobs.context.ContextTopicSource;
import io.vigil.jobs.context.retro.RetroHuntAlerts;
import io.vigil.rules.verify.RuleSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** Which context operators the streaming job has, by configuration (the graph only: nothing is started). */
class StreamingContextWiringTest {

    static final RuleSet RULES = RuleSet.packaged();

    static List<String> uids(Map<String, String> more) {
        Map<String, String> m = new HashMap<>();
        m.put("kafka.bootstrap-servers", "127.0.0.1:9");
        m.put("kafka.topics", "raw.syslog:syslog");
        m.put("elasticsearch.urls", "http://127.0.0.1:9");
        m.putAll(more);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        StreamingTopology.build(VigilConfig.of(m, "test"), RULES, env);
        return env.getStreamGraph().getStreamNodes().stream().map(StreamNode::getTransformationUID).toList();
    }

    @Test
    void theControlTopicIsReadByDefaultAndRetroHuntNeedsIndexedEvents() {
        assertThat(uids(Map.of())).contains(ContextTopicSource.UID).doesNotContain(RetroHuntAlerts.HUNT_UID);
        assertThat(uids(Map.of("elasticsearch.write-events", "true")))
                .contains(ContextTopicSource.UID, RetroHuntAlerts.HUNT_UID, RetroHuntAlerts.TIME_UID);
    }

    @Test
    void anEmptyTopicOrAZeroLookbackTurnsThemOff() {
        assertThat(uids(Map.of("enrich.control-topic", "", "elasticsearch.write-events", "true")))
                .doesNotContain(ContextTopicSource.UID, RetroHuntAlerts.HUNT_UID);
        assertThat(uids(Map.of("enrich.retro-hunt.lookback", "0s", "elasticsearch.write-events", "true")))
                .contains(ContextTopicSource.UID).doesNotContain(RetroHuntAlerts.HUNT_UID);
    }
}
