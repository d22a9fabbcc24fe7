package io.vigil.jobs.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.junit.jupiter.api.Test;

/** Vigil's labelled counters: one per known value, the rest under "other", never more than the bound. */
class LabelledCountersTest {

    /** The vigil group, handing out one intercepting group per label value. */
    private final Map<String, InterceptingOperatorMetricGroup> byValue = new HashMap<>();
    private final InterceptingOperatorMetricGroup vigil = new InterceptingOperatorMetricGroup() {
        @Override
        public MetricGroup addGroup(String key, String value) {
            assertThat(key).isEqualTo(VigilMetrics.FORMAT);
            return byValue.computeIfAbsent(value, v -> new InterceptingOperatorMetricGroup());
        }
    };
    private final InterceptingOperatorMetricGroup operator = new InterceptingOperatorMetricGroup() {
        @Override
        public MetricGroup addGroup(String name) {
            assertThat(name).isEqualTo(VigilMetrics.GROUP);
            return vigil;
        }
    };

    private long count(String value) {
        return ((Counter) byValue.get(value).get(VigilMetrics.RECORDS)).getCount();
    }

    @Test
    void knownValuesHaveTheirCounterAndTheRestShareOther() {
        LabelledCounters c = new LabelledCounters(operator, VigilMetrics.FORMAT, VigilMetrics.RECORDS,
                Set.of("syslog", "windows")::contains);
        c.of("syslog").inc();
        c.of("syslog").inc();
        c.of(new String("syslog")).inc(); // another string, same value
        c.of("windows").inc(5);
        c.of("x' onerror=alert(1)").inc();
        c.of(null).inc();
        assertThat(byValue.keySet()).containsExactlyInAnyOrder("syslog", "windows", LabelledCounters.OTHER);
        assertThat(count("syslog")).isEqualTo(3);
        assertThat(count("windows")).isEqualTo(5);
        assertThat(count(LabelledCounters.OTHER)).isEqualTo(2);
    }

    @Test
    void registeredValuesAreReportedBeforeTheirFirstCount() {
        new LabelledCounters(operator, VigilMetrics.FORMAT, VigilMetrics.RECORDS, v -> true)
                .register(List.of("syslog", "zeek"));
        assertThat(count("syslog")).isZero();
        assertThat(count("zeek")).isZero();
    }

    @Test
    void theNumberOfValuesIsBounded() {
        LabelledCounters c = new LabelledCounters(operator, VigilMetrics.FORMAT, VigilMetrics.RECORDS, v -> true);
        for (int i = 0; i < LabelledCounters.MAX_VALUES + 100; i++) {
            c.of("rule-" + i).inc();
        }
        assertThat(byValue).hasSize(LabelledCounters.MAX_VALUES + 1);
        assertThat(count(LabelledCounters.OTHER)).isEqualTo(100);
    }
}
